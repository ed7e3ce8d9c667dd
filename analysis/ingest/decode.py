"""Bytes to text: encoding detection, .xlsx / HTML / zip to CSV text, and finding the header row.

DuckDB 2.0 reads only UTF-8 with one kind of line end, so everything else is made so here:
GB18030 (a superset of GBK) and UTF-16 are decoded and handed on as UTF-8, stray GBK lines
in a UTF-8 file are decoded line by line, NUL bytes and extra BOMs are dropped, mixed line
ends become LF, and a line with a quote that never closes is taken out so it does not swallow
the rows after it. Only the head of the file is parsed in Python (to find the delimiter and
the header); the rows themselves are parsed by DuckDB. A clean UTF-8 file is only scanned by
C loops (validation, ``bytes.count``) and never changed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from analysis import schema
from analysis.errors import UserError
from analysis.ingest import aliases

HEAD_CHARS = 256 * 1024
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", "\t", ";", "|")
_XLS_OLE = b"\xd0\xcf\x11\xe0"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_ZIP = b"PK\x03\x04"
_DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".htm", ".html")
_HTML_STARTS = (b"<html", b"<table", b"<!doctype html", b"<meta", b"<head", b"<body",
                b"<!--", b"<style", b"<title")
# Bytes that text never holds: C0 controls other than tab, LF, FF and CR, and DEL (NUL is
# counted apart: text files may carry a few).
_CONTROL_BYTES = bytes(b for b in range(256) if b in range(1, 9) or b in (11, 127)
                       or b in range(14, 32))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes the decoder could not take (surrogateescape)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LONE_CR = re.compile(rb"\r(?![\r\n])")
_CRS_LF = re.compile(rb"\r+\n")  # CRLF, and CR CR LF (CRLF written twice over)
_FOLD_SPACE = re.compile(r"(?<=[A-Za-z0-9])\s*[\r\n]+\s*(?=[A-Za-z0-9])")
_FOLD = re.compile(r"\s*[\r\n]+\s*")
MAX_QUOTE_REPAIRS = 100
MAX_VALUE_CHARS = 200

# Python's csv stops at a field over 128 KiB; the line numbers of rejections would stop there.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


@dataclass
class Decoded:
    """A file as text, ``encoding`` being what the bytes were.

    ``data`` holds the text as UTF-8 bytes: a UTF-8 file's own (without BOM, only
    validated), others' re-encoded once; ``text`` decodes them the first time it is asked
    for (rejection line numbers need it; a clean import never does). An .xlsx sheet or an
    HTML table holds its ``text``.

    ``changed`` says the text is not the file's own bytes (read it from ``data``/``text``,
    never from the file). ``warnings`` are {column: None, count, reason, examples} of what
    was repaired; ``bad_lines`` are {line, column: None, value, reason} of physical lines
    that could not be read and were blanked out (``blank_lines`` of them still stand as
    empty lines, which are not to be counted as skipped).
    """

    encoding: str
    is_xlsx: bool = False
    data: bytes | None = None
    _text: str | None = None
    changed: bool = False
    warnings: list[dict] = field(default_factory=list)
    bad_lines: list[dict] = field(default_factory=list)
    blank_lines: int = 0

    @property
    def text(self) -> str:
        """The whole file as text."""
        if self._text is None:
            self._text = bytes(self.data).decode("utf-8")
        return self._text

    def head(self, chars: int) -> tuple[str, bool]:
        """(the first ``chars`` characters or fewer, whether that is the whole file)."""
        if self._text is not None or self.data is None:
            return self.text[:chars], len(self.text) <= chars
        piece = bytes(self.data[:chars * 4])
        # The incremental decoder leaves a character cut at the end for later.
        text = codecs.getincrementaldecoder("utf-8")().decode(piece, final=False)
        return text[:chars], len(piece) == len(self.data) and len(text) <= chars

    def body(self, offset: int):
        """The file from character ``offset`` on: bytes for an undecoded UTF-8 file at 0."""
        if offset == 0 and self._text is None and self.data is not None:
            return self.data
        return self.text[offset:]

    def warn(self, reason: str, count: int | None, examples=()) -> None:
        """Note a repair of the whole file (not of one column)."""
        self.warnings.append({"column": None, "count": count, "reason": reason,
                              "examples": list(examples)})

    def reject_line(self, line: int, value: str, reason: str, *, blank: bool) -> None:
        """Note a physical line taken out of the text (``blank``: an empty line stays)."""
        self.bad_lines.append({"line": line, "column": None, "value": value[:MAX_VALUE_CHARS],
                               "reason": reason})
        self.blank_lines += bool(blank)


def write_utf8(fh, decoded: Decoded, offset: int, chunk: int = 1 << 22) -> None:
    """Write the text from character ``offset`` on as UTF-8, a piece at a time."""
    text = decoded.text
    for start in range(offset, len(text), chunk):
        fh.write(text[start:start + chunk].encode("utf-8"))


def _valid_utf8(data) -> bool:
    """Arrow's vectorised UTF-8 check: ~10x faster than decoding, and no copy of the text."""
    import pyarrow as pa

    buf = pa.py_buffer(data)
    offsets = pa.array([0, len(buf)], pa.int64()).buffers()[1]
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, buf]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


@dataclass
class Layout:
    """Where the data is: delimiter, header cells and the physical line of the header."""

    delimiter: str
    headers: list[str]
    n_cols: int
    header_line: int  # 1-based physical line of the header (0 with no header)
    data_offset: int  # character offset in the text where the data rows start
    preamble_lines: int
    head_records: list[list[str]] = field(default_factory=list)  # first data rows
    head_is_whole_file: bool = False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2 ** 53:
            return str(int(value))
        if abs(value) >= 2 ** 53:
            # Past 2**53 a float holds no exact integer: a 19-digit id typed as a number
            # has lost its last digits. Written as Excel shows it, id cleaning calls it
            # damaged; written as digits it would pass for a real, wrong id.
            return format(decimal.Decimal(repr(value)).normalize(), "E")
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sheet_score(ws, kind: str | None) -> tuple[int, bool]:
    """(known columns named by the best of the first rows, whether the sheet has any cell)."""
    best, filled = 0, False
    for i, row in enumerate(ws.iter_rows(values_only=True)):
        if i >= HEADER_SEARCH_ROWS:
            break
        cells = [_cell_text(v) for v in row]
        filled = filled or any(c.strip() for c in cells)
        if kind in schema.CANONICAL:
            best = max(best, _score(kind, cells, set()))
    return best, filled


def xlsx_to_text(data: bytes, kind: str | None = None) -> str:
    """One sheet of an .xlsx workbook as CSV text, every cell as text.

    The sheet is the one whose first rows name the most known columns of ``kind`` (exports
    often put a cover or notes sheet first), else the first sheet with any cell.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = wb.worksheets
        if not sheets:
            raise UserError("ingest.empty_file", file="")
        sheet = sheets[0]
        if len(sheets) > 1:
            scores = [_sheet_score(ws, kind) for ws in sheets]
            sheet = sheets[max(range(len(sheets)), key=lambda i: (scores[i], -i))]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in sheet.iter_rows(values_only=True):
            writer.writerow([_cell_text(v) for v in row])
        wb.close()
    except UserError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise UserError("ingest.bad_xlsx", detail=type(exc).__name__) from exc
    return out.getvalue()


def _is_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml"):
        # XHTML, not Excel's 2003 XML workbook (<Workbook>).
        return b"<html" in head or b"<table" in head
    return head.startswith(_HTML_STARTS)


def _html_charset(data: bytes) -> str | None:
    found = re.search(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", data[:4096], re.I)
    if not found:
        return None
    name = found.group(1).decode("ascii").lower()
    # GB2312 and GBK pages hold GBK characters whatever they declare: GB18030 covers all.
    return "gb18030" if name in ("gb2312", "gbk", "x-gbk", "cp936", "gb18030") else name


def _span(value) -> int:
    try:
        return min(max(int(str(value).strip()), 1), 1000)
    except (TypeError, ValueError):
        return 1


def _table_rows(table) -> list[list[str]]:
    """The rows of an HTML table as text, a merged cell's text in its first column and, for
    rows it spans, repeated down (order cells spanning their item rows)."""
    out, pending = [], {}  # column -> [rows still spanned, text]

    def spanned(col):
        left, text = pending[col]
        if left <= 1:
            del pending[col]
        else:
            pending[col][0] = left - 1
        return text

    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells, col = [], 0
        for cell in tr.xpath("./td|./th"):
            while col in pending:
                cells.append(spanned(col))
                col += 1
            text = cell.text_content().strip()
            rows = _span(cell.get("rowspan"))
            for k in range(_span(cell.get("colspan"))):
                cells.append(text if k == 0 else "")
                if rows > 1:
                    pending[col] = [rows - 1, text if k == 0 else ""]
                col += 1
        for later in sorted(c for c in pending if c >= col):
            cells += [""] * (later - len(cells))
            cells.append(spanned(later))
        out.append(cells)
    return out


def html_to_text(data: bytes, file_name: str = "", encoding: str | None = None) -> str:
    """The largest table of an HTML page (what back offices save as .xls) as CSV text.

    Cells are taken as the text they show, so ids and leading zeros stay as they are.
    """
    import lxml.html

    text = None
    for codec in (encoding or _html_charset(data), "utf-8", "gb18030"):
        if codec:
            try:
                text = data.decode(codec)
                break
            except (UnicodeDecodeError, LookupError):
                continue
    if text is None:
        text = data.decode("utf-8", "replace")
    # lxml refuses text that still declares its byte encoding.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text.lstrip("\ufeff"))
    try:
        doc = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml.etree.ParserError and kin for a page with no elements
        raise UserError("ingest.html_no_table", file=file_name) from exc
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    tables = [_table_rows(t) for t in doc.iter("table")]
    tables = [rows for rows in tables if any(any(c for c in r) for r in rows)]
    if not tables:
        raise UserError("ingest.html_no_table", file=file_name)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(max(tables, key=len))
    return out.getvalue()


def _from_zip(data: bytes, file_name: str, kind: str | None, depth: int) -> Decoded:
    """An .xlsx workbook, or the one data file of a zip archive decoded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        if file_name.lower().endswith((".xlsx", ".xlsm")):
            raise UserError("ingest.bad_xlsx", detail=type(exc).__name__) from exc
        raise UserError("ingest.bad_zip", file=file_name) from exc
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return Decoded("xlsx", is_xlsx=True, _text=xlsx_to_text(data, kind), changed=True)
    members = [info for info in archive.infolist() if not info.is_dir()
               and not info.filename.startswith("__MACOSX/")
               and not info.filename.rsplit("/", 1)[-1].startswith((".", "~$"))
               and info.filename.lower().endswith(_DATA_SUFFIXES)]
    if not members or depth > 0:
        raise UserError("ingest.zip_no_data_file", file=file_name)
    if len(members) > 1:
        shown = [m.filename.rsplit("/", 1)[-1] for m in members]
        raise UserError("ingest.zip_several_data_files", file=file_name,
                        names=", ".join(shown[:5]) + (", …" if len(shown) > 5 else ""))
    try:
        inner = archive.read(members[0])
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UserError("ingest.bad_zip", file=file_name) from exc
    name = members[0].filename.rsplit("/", 1)[-1]
    decoded = decode(inner, name, kind, _depth=depth + 1)
    decoded.changed = True  # the file on disk is the archive
    return decoded


def _utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec of ``data`` by its BOM, or by NULs on every other byte without one."""
    if data[:2] in _UTF16_BOMS:
        rest = data[2:]
        # A UTF-16 BOM in front of UTF-8 text is a stray one: the text has no NULs then.
        if b"\x00" in rest[:4096] or not _valid_utf8(rest):
            return _UTF16_BOMS[data[:2]]
        return None
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    many, nuls = max(even, odd), min(even, odd)
    if nuls * 10 > many or many < 4:
        return None
    # ASCII in UTF-16 LE puts a NUL after each character; CJK characters have none, so a
    # Chinese text may have few: then its bytes not being UTF-8 (NULs are) must tell too.
    if many * 10 < half * 3:
        whole = sample[:len(sample) - _partial_utf8_tail(sample)]
        if many * 50 < half or _valid_utf8(whole):
            return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _decode_utf16(data: bytes, codec: str, out: Decoded) -> str:
    if data[:2] in _UTF16_BOMS:
        data = data[2:]
    if len(data) % 2:
        data = data[:-1]
        out.warn("truncated_last_character", 1)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) - 1 and exc.start >= len(data) - 4:
            text = data[:exc.start].decode(codec, "replace")
            out.warn("truncated_last_character", 1)
        else:
            # Lone surrogates: an emoji cut in half by a field length limit.
            text = data.decode(codec, "replace")
            out.warn("characters_replaced", text.count("\ufffd"))
    return text.lstrip("\ufeff")


def _looks_binary(data: bytes) -> bool:
    """Whether the head holds bytes no text has: control codes, or mostly NULs."""
    sample = data[:8192]
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls * 100 > len(sample) or sample.count(0) * 4 > len(sample)


def _partial_utf8_tail(data) -> int:
    """How many bytes at the end start a UTF-8 character that is never finished (0 if none)."""
    for k in range(1, min(4, len(data)) + 1):
        byte = data[-k]
        if 0x80 <= byte < 0xC0:
            continue  # a continuation byte: the lead is further back
        if byte < 0xC0:
            return 0
        need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
        return k if k < need else 0
    return 0


def _breaks(text: str, start: int, end: int) -> int:
    """Physical line ends in ``text[start:end]`` (a lone CR left in a quoted value counts)."""
    n = text.count("\n", start, end)
    if "\r" in text[start:end]:
        n += text.count("\r", start, end) - text.count("\r\n", start, end)
    return n


def _mostly_gb18030(data: bytes) -> bool | None:
    """Whether the head's lines that are not ASCII are mostly not UTF-8 (None: all ASCII)."""
    sample = data[:65536]
    if len(sample) < len(data) and b"\n" in sample:
        sample = sample[:sample.rfind(b"\n")]
    utf8 = other = 0
    for line in sample.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    if not utf8 and not other:
        return None
    return other > utf8


def _by_line(data: bytes, primary: str, secondary: str, out: Decoded, file_name: str) -> str:
    """Decode ``data`` as ``primary``, each line that is not as ``secondary``; a line that is
    neither is blanked out and rejected. Only lines the primary decoder fails are visited."""
    text = data.decode(primary, "surrogateescape")
    pieces, other, last, line, counted = [], [], 0, 1, 0
    match = _ESCAPED.search(text)
    while match:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        line += _breaks(text, counted, start)
        counted = start
        raw = text[start:end].encode(primary, "surrogateescape")
        try:
            fixed = raw.decode(secondary)
            other.append(line)
        except UnicodeDecodeError:
            fixed = ""
            out.reject_line(line, raw.decode(primary, "replace"), "undecodable_line",
                            blank=end < len(text))
        pieces += [text[last:start], fixed]
        last = end
        match = _ESCAPED.search(text, end)
    pieces.append(text[last:])
    if len(out.bad_lines) * 2 > text.count("\n") + 1:
        raise UserError("ingest.binary_file", file=file_name)
    if other:
        label = "gb18030" if secondary == "gb18030" else "utf8"
        out.warn(f"lines_decoded_as_{label}", len(other), other[:3])
    return "".join(pieces)


def _to_utf8(data: bytes, out: Decoded, file_name: str) -> tuple[bytes | None, str | None]:
    """(UTF-8 bytes, or None when ``data`` already is; the encoding, None for UTF-8)."""
    if _valid_utf8(data):
        return None, None
    cut = _partial_utf8_tail(data)
    if cut and _valid_utf8(memoryview(data)[:-cut]):
        out.warn("truncated_last_character", 1)
        return data[:-cut], None
    mostly_gb = _mostly_gb18030(data)
    if mostly_gb:
        try:
            return data.decode("gb18030").encode("utf-8"), "gb18030"
        except UnicodeDecodeError as exc:
            if exc.end == len(data) and exc.start >= len(data) - 3:
                try:
                    text = data[:exc.start].decode("gb18030")
                    out.warn("truncated_last_character", 1)
                    return text.encode("utf-8"), "gb18030"
                except UnicodeDecodeError:
                    pass
        return _by_line(data, "gb18030", "utf-8", out, file_name).encode("utf-8"), "gb18030"
    if cut:
        data = data[:-cut]
        out.warn("truncated_last_character", 1)
    trial = Decoded("utf-8")
    text = _by_line(data, "utf-8", "gb18030", trial, file_name)
    decoded_gb = sum(w["count"] for w in trial.warnings)
    if (decoded_gb + len(trial.bad_lines)) * 2 > text.count("\n") + 1:
        # Most lines are not UTF-8 (an ASCII head over a GBK body): a GB18030 file after all.
        try:
            return data.decode("gb18030").encode("utf-8"), "gb18030"
        except UnicodeDecodeError:
            return _by_line(data, "gb18030", "utf-8", out, file_name).encode("utf-8"), "gb18030"
    out.warnings += trial.warnings
    out.bad_lines += trial.bad_lines
    out.blank_lines += trial.blank_lines
    return text.encode("utf-8"), None


def _newline_pattern(delimiter: str, cr_ends_lines: bool) -> re.Pattern:
    """Quoted fields (group 1, kept), unquoted fields holding a lone CR (group 2, to quote
    when LF or CRLF end the lines), and line ends."""
    d = re.escape(delimiter).encode()
    field_start = rb"(?<![^" + d + rb"\r\n])"
    quoted = field_start + rb'"(?:[^"]++|"")*+"'
    if cr_ends_lines:
        return re.compile(b"(" + quoted + rb")|\r\r\n|\r\n|\r")
    lone_cr = rb"\r(?![\r\n])"
    field_cr = (field_start + rb"[^" + d + rb'\r\n"]*+' + lone_cr
                + rb"(?:[^" + d + rb'\r\n"]|' + lone_cr + rb")*+")
    return re.compile(b"(" + quoted + b")|(" + field_cr + rb")|\r\r\n|\r\n|\r")


def _fields(line: bytes, delimiter: str) -> int:
    """Fields of one physical line, a CR in it taken as text."""
    text = line.replace(b"\r", b" ").decode("utf-8", "replace")
    try:
        return len(next(csv.reader([text], delimiter=delimiter), []))
    except csv.Error:
        return -1


def _lone_cr_repl(delimiter: str, width: int):
    """The replacement of each match of :func:`_newline_pattern` for a file whose lines end
    in LF or CRLF.

    A lone CR in an unquoted value is a line end when it splits its line into rows of the
    usual ``width`` (rows of an old Mac file pasted in); else it is part of the value, which
    is quoted so that DuckDB keeps it there.
    """
    def repl(match: re.Match) -> bytes:
        if match.group(1) is not None:
            return _CRS_LF.sub(b"\n", match.group(1))
        if match.group(2) is None:
            return b"\n"
        data = match.string
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        line = data[start:end if end >= 0 else len(data)].rstrip(b"\r")
        parts = _LONE_CR.split(line)
        if (all(_fields(p, delimiter) == width for p in parts)
                and _fields(line, delimiter) != width):
            return _LONE_CR.sub(b"\n", match.group(2))
        return b'"' + match.group(2) + b'"'
    return repl


def _cr_line_end(match: re.Match) -> bytes:
    return b"\n" if match.group(1) is None else _CRS_LF.sub(b"\n", match.group(1))


def _normalise_newlines(data: bytes) -> bytes | None:
    """``data`` with LF line ends, or None when DuckDB can read it as it is.

    DuckDB takes the line end of a file from its first line and stops with an error at any
    other, so LF and CRLF mixed, CR CR LF (CRLF written twice over) and CR alone are made LF,
    CRLF inside quoted values too. A lone CR inside a quoted value stays; inside an unquoted
    value of a file whose lines end in LF it stays too, the value quoted around it, unless
    it splits its line into two whole rows. Line numbers do not move, except that CR CR LF
    counts as one line end. So a CR is left only where no LF follows it.
    """
    if b"\r" not in data:  # memchr: 5x faster than counting
        return None
    n_cr, n_crlf, n_lf = data.count(b"\r"), data.count(b"\r\n"), data.count(b"\n")
    if n_cr == n_crlf:
        return None if n_crlf == n_lf else data.replace(b"\r\n", b"\n")
    head = data[:65536].decode("utf-8", "replace")
    delimiter = sniff_delimiter(head)
    if n_cr - n_crlf > n_lf:
        # More lone CRs than LFs: an old Mac file, where CR ends the lines.
        out = _newline_pattern(delimiter, True).sub(_cr_line_end, data)
    else:
        widths = Counter(len(r) for _, r in _records(head, delimiter) if r)
        width = widths.most_common(1)[0][0] if widths else 0
        out = _newline_pattern(delimiter, False).sub(_lone_cr_repl(delimiter, width), data)
    return None if out == data else out


def first_line_for_duckdb(decoded: Decoded, offset: int) -> tuple[str, int] | None:
    """(the first line of the text from character ``offset`` on, its CRs made LF; the offset
    after it) when a CR that ends no CRLF comes before its first LF, else None.

    DuckDB takes the line end of the whole file from the first one it meets: a lone CR
    kept inside a quoted header cell would make it read no row at all or stop with an error.
    A lone CR counts as a line end, so the line numbers stay.
    """
    if offset == 0 and decoded._text is None and decoded.data is not None:
        end = decoded.data.find(b"\n")
        first = decoded.data[:len(decoded.data) if end < 0 else end]
        if b"\r" not in (first[:-1] if first.endswith(b"\r") else first):
            return None
    text = decoded.text
    stop = text.find("\n", offset)
    stop = len(text) if stop < 0 else stop
    first = text[offset:stop]
    if "\r" not in (first[:-1] if first.endswith("\r") else first):
        return None
    return first.replace("\r", "\n"), stop


def _line_start(text: str, base: int, line: int) -> int:
    """Character offset of physical line ``line`` (1-based) of ``text[base:]``."""
    pos = base
    for _ in range(line - 1):
        found = _LINE_BREAK.search(text, pos)
        if not found:
            return len(text)
        pos = found.end()
    return pos


def _first_broken_quote(text: str, base: int, delimiter: str, width: int) -> int | None:
    """The line (1-based, in ``text[base:]``) of the first record that a quote never
    closed made swallow the lines after it, or None."""
    reader = csv.reader(io.StringIO(text[base:], newline=""), delimiter=delimiter)
    end, last = 0, None
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            # A quoted value may hold line ends, but not the fields of the rows after it.
            if end > start and record and len(record) != width:
                return start
            last = (start, end)
    except csv.Error:
        return None
    if last and last[1] > last[0]:
        # The last record runs on to the end: its quote is open if its quotes are odd.
        if text.count('"', _line_start(text, base, last[0])) % 2:
            return last[0]
    return None


def _repair_quotes(text: str, out: Decoded) -> str | None:
    """``text`` with each line whose quote never closes blanked out and rejected, or None.

    Only a file with an odd number of quotes is looked at (a clean file costs one count).
    """
    if text.count('"') % 2 == 0:
        return None
    head = text[:HEAD_CHARS]
    delimiter = sniff_delimiter(head)
    widths = Counter(len(r) for _, r in _records(head, delimiter) if r)
    if not widths:
        return None
    width = widths.most_common(1)[0][0]
    base, base_line, changed = 0, 1, False
    for _ in range(MAX_QUOTE_REPAIRS):
        broken = _first_broken_quote(text, base, delimiter, width)
        if broken is None:
            break
        line = base_line + broken - 1
        start = _line_start(text, base, broken)
        found = _LINE_BREAK.search(text, start)
        end = found.start() if found else len(text)
        out.reject_line(line, text[start:end], "broken_quote", blank=found is not None)
        text = text[:start] + text[end:]
        base = start + (found.end() - found.start() if found else 0)
        base_line, changed = line + 1, True
    return text if changed else None


def decode(data: bytes, file_name: str = "", kind: str | None = None, *,
           _depth: int = 0) -> Decoded:
    """Decode an export: zip, .xlsx, HTML saved as .xls, UTF-16, UTF-8, else GB18030.

    ``kind`` picks the sheet of a workbook with several. What was repaired on the way is in
    the result's ``warnings`` and ``bad_lines``.

    Raises
    ------
    UserError
        Empty, binary or undecodable files, zips without exactly one data file, and old
        .xls workbooks.
    """
    # isspace() stops at the first other byte; strip() would copy the whole file first.
    if not data or data.isspace():
        raise UserError("ingest.empty_file", file=file_name)
    if data[:4] == _ZIP:
        return _from_zip(data, file_name, kind, _depth)
    if data[:4] == _XLS_OLE:
        raise UserError("ingest.xls_unsupported", file=file_name)
    out, body, boms = Decoded("utf-8"), data, 0
    while body.startswith(_UTF8_BOM, 3 * boms):
        boms += 1
    if boms:
        # DuckDB skips one BOM itself; a second would stay in the first header cell.
        body, out.encoding, out.changed = data[3 * boms:], "utf-8-sig", boms > 1
    codec = _utf16_codec(body)
    if codec:
        body = _decode_utf16(body, codec, out).encode("utf-8")
        out.encoding, out.changed = "utf-16", True
    elif body[:2] in _UTF16_BOMS:
        body, out.changed = body[2:], True
    if not body or body.isspace():
        raise UserError("ingest.empty_file", file=file_name)
    if _is_html(body):
        return Decoded("html", _text=html_to_text(body, file_name, "utf-8" if codec else None),
                       changed=True, warnings=out.warnings)
    if not codec and _looks_binary(body):
        raise UserError("ingest.binary_file", file=file_name)
    if b"\x00" in body:
        # A NUL inside an id would make it a different id, and DuckDB would keep it.
        out.warn("nul_bytes_removed", body.count(b"\x00"))
        body, out.changed = body.replace(b"\x00", b""), True
        if not body or body.isspace():
            raise UserError("ingest.empty_file", file=file_name)
    if body.endswith(b"\x1a"):  # DOS end-of-file mark, read as a one-field row otherwise
        body, out.changed = body[:-1], True
    normal = _normalise_newlines(body)
    if normal is not None:
        body, out.changed = normal, True
    utf8, encoding = _to_utf8(body, out, file_name)
    if utf8 is not None:
        body, out.changed = utf8, True
    out.encoding = encoding or out.encoding
    if body.count(b'"') % 2:
        repaired = _repair_quotes(body.decode("utf-8"), out)
        if repaired is not None:
            body, out.changed = repaired.encode("utf-8"), True
    if out.bad_lines and b"\r" in body:
        # A line taken out may have opened a quote, or closed one that hid line ends from
        # the first pass.
        body = _normalise_newlines(body) or body
    out.data = body
    return out


def _records(text: str, delimiter: str):
    """(first physical line, record) for each record of ``text``; empty lines give []."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error:
        return


def sniff_delimiter(head: str) -> str:
    """The delimiter giving the most fields per row over the head of the file."""
    best, best_score = ",", 0
    for delim in DELIMITERS:
        counts = [len(r) for _, r in _records(head, delim) if r][:20]
        if not counts:
            continue
        counts.sort()
        score = counts[len(counts) // 2]
        if score > best_score:
            best, best_score = delim, score
    return best


def _line_offsets(text: str, upto_line: int) -> int:
    """Character offset where physical line ``upto_line`` (1-based) starts (a lone CR left
    in a quoted value ends a line, as for the csv module that numbered it)."""
    if "\r" in text:
        return _line_start(text, 0, upto_line)
    offset = 0
    for _ in range(upto_line - 1):
        nl = text.find("\n", offset)
        if nl < 0:
            return len(text)
        offset = nl + 1
    return offset


def _score(kind: str, record: list[str], user_sources: set[str]) -> int:
    return sum(1 for cell in record
               if aliases.norm(cell) in user_sources or aliases.alias_for(kind, cell))


def _header_cell(cell: str) -> str:
    """A header cell without the line ends typed inside it (Alt+Enter in Excel): between
    Latin words they become a space, elsewhere (Chinese) nothing."""
    cell = cell.strip()
    if "\n" not in cell and "\r" not in cell:
        return cell
    return _FOLD.sub("", _FOLD_SPACE.sub(" ", cell))


def find_layout(text: str, kind: str, *, no_header: bool = False,
                mapping: dict | None = None, whole: bool | None = None) -> Layout:
    """Find delimiter, header row (skipping preamble lines) and the first data rows.

    The header is the row among the first few that names the most known columns (aliases of
    ``kind`` or the user's ``mapping`` sources); with none, the first non-empty row.
    ``text`` may be the head of the file only, with ``whole`` saying whether it is all of it.
    """
    head = text[:HEAD_CHARS]
    whole = len(head) == len(text) and whole is not False
    if not whole:
        head = head[: head.rfind("\n") + 1] or head
    delimiter = sniff_delimiter(head)
    records = [(line, r) for line, r in _records(head, delimiter)
               if any(c.strip() for c in r)]
    if not whole and len(records) > 1:
        # The last one may be cut mid-record, unless it is the header before a long row.
        records = records[:-1]
    if not records:
        raise UserError("ingest.empty_file", file="")
    if no_header:
        n_cols = max(len(r) for _, r in records[:200])
        first_line = records[0][0]
        return Layout(delimiter, [str(i + 1) for i in range(n_cols)], n_cols, 0,
                      _line_offsets(text, first_line), first_line - 1,
                      [r for _, r in records[:20]], whole)
    sources = {aliases.norm(s) for s in (mapping or {})}
    scored = [(_score(kind, r, sources), -i) for i, (_, r) in enumerate(records[:HEADER_SEARCH_ROWS])]
    best, neg_index = max(scored)
    index = -neg_index if best > 0 else 0
    header_line, header = records[index]
    headers = [_header_cell(h) for h in header]
    following = [r for _, r in records[index + 1:]]
    if not following and whole:
        raise UserError("ingest.header_only")
    widths = Counter(len(r) for r in following[:200])
    if widths:
        # A trailing delimiter on the header alone (",\n") names no column.
        common = widths.most_common(1)[0][0]
        while len(headers) > common and headers[-1] == "":
            headers.pop()
    return Layout(delimiter, headers, len(headers), header_line,
                  _line_offsets(text, header_line), header_line - 1,
                  following[:20], whole)


def record_shapes(text: str, delimiter: str, width: int | None = None) -> list[tuple[int, int]]:
    """(physical start line, number of fields) of every non-empty record of ``text``.

    With ``width``, empty fields past it are not counted, as DuckDB drops them (a trailing
    delimiter). Used only to put line numbers on rejected rows, so the fast path never pays
    for it.
    """
    out = []
    for line, record in _records(text, delimiter):
        if not record:
            continue
        n = len(record)
        if width is not None and n > width and not any(record[width:]):
            n = width
        out.append((line, n))
    return out
