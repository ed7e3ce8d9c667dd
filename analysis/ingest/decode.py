"""Bytes to text: encoding detection, .xlsx to CSV text, and finding the header row.

DuckDB 2.0 reads only UTF-8, so GB18030 (a superset of GBK) is decoded here and handed on as
UTF-8. Only the head of the file is parsed in Python (to find the delimiter and the header);
the rows themselves are parsed by DuckDB.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from analysis.errors import UserError
from analysis.ingest import aliases

HEAD_CHARS = 256 * 1024
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", "\t", ";", "|")
_XLS_OLE = b"\xd0\xcf\x11\xe0"


@dataclass
class Decoded:
    """A file as text, ``encoding`` being what the bytes were.

    ``data`` holds the text as UTF-8 bytes: a UTF-8 file's own (without BOM, only
    validated), a GB18030 file's re-encoded once; ``text`` decodes them the first time it is
    asked for (rejection line numbers need it; a clean import never does). An .xlsx sheet
    holds its ``text``.
    """

    encoding: str
    is_xlsx: bool = False
    data: bytes | None = None
    _text: str | None = None

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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_to_text(data: bytes) -> str:
    """The first sheet of an .xlsx workbook as CSV text, every cell as text."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise UserError("ingest.bad_xlsx", detail=type(exc).__name__) from exc
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in wb.worksheets[0].iter_rows(values_only=True):
        writer.writerow([_cell_text(v) for v in row])
    wb.close()
    return out.getvalue()


def decode(data: bytes, file_name: str = "") -> Decoded:
    """Decode an export: .xlsx, UTF-8 with BOM, UTF-8, else GB18030.

    Raises
    ------
    UserError
        Empty, binary or undecodable files, and old .xls workbooks.
    """
    # isspace() stops at the first other byte; strip() would copy the whole file first.
    if not data or data.isspace():
        raise UserError("ingest.empty_file", file=file_name)
    if data[:4] == b"PK\x03\x04":
        return Decoded("utf-8", is_xlsx=True, _text=xlsx_to_text(data))
    if data[:4] == _XLS_OLE:
        raise UserError("ingest.xls_unsupported", file=file_name)
    if b"\x00" in data[:8192]:
        raise UserError("ingest.binary_file", file=file_name)
    if data[:3] == b"\xef\xbb\xbf":
        body = data[3:]
        if not _valid_utf8(body):
            raise UserError("ingest.binary_file", file=file_name)
        return Decoded("utf-8-sig", data=body)
    if _valid_utf8(data):
        return Decoded("utf-8", data=data)
    try:
        # Held as UTF-8 bytes like a UTF-8 file: written out for DuckDB in one piece, and
        # decoded again only if a rejection needs its line.
        return Decoded("gb18030", data=data.decode("gb18030").encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError("ingest.binary_file", file=file_name) from exc


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
    """Character offset where physical line ``upto_line`` (1-based) starts."""
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
    if not whole and records:
        records = records[:-1]  # the last one may be cut mid-record
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
    headers = [h.strip() for h in header]
    following = [r for _, r in records[index + 1:]]
    if not following and whole:
        raise UserError("ingest.header_only")
    return Layout(delimiter, headers, len(headers), header_line,
                  _line_offsets(text, header_line), header_line - 1,
                  following[:20], whole)


def record_shapes(text: str, delimiter: str) -> list[tuple[int, int]]:
    """(physical start line, number of fields) of every non-empty record of ``text``.

    Used only to put line numbers on rejected rows, so the fast path never pays for it.
    """
    return [(line, len(record)) for line, record in _records(text, delimiter) if record]
