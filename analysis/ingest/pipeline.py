"""Preview and import of one export file: decode, find the header, stage, write, log."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import schema
from analysis.errors import UserError
from analysis.ingest import clean, decode as dec, history, lines, links, load, needs, pseudonym, stage
from analysis.ingest.aliases import missing_required
from analysis.ingest.plan import Plan, make_plan, require_key


_BLANK_LINE = re.compile(r"\n(?=\r?\n)")
_BLANK_LINE_BYTES = re.compile(rb"\n(?=\r?\n)")


@dataclass
class Preview:
    """What an import would do, without writing anything."""

    encoding: str
    platform: str | None
    headers: list[str]
    proposed_mapping: dict[str, str]
    unmapped: list[str]
    missing_required: list[str]
    sample: pd.DataFrame
    ambiguous_date_columns: list[str]
    checklist: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def _plan_for(con, decoded, kind, *, mapping, sets, no_header):
    head, whole = decoded.head(dec.HEAD_CHARS)
    layout = dec.find_layout(head, kind, no_header=no_header, mapping=mapping, whole=whole)
    if mapping is None and con is not None and not no_header:
        mapping = history.profile_for(con, kind, layout.headers)
    plan = make_plan(kind, layout.headers, mapping=mapping, sets=sets, no_header=no_header,
                     samples=layout.head_records)
    return layout, plan


def preview(data: bytes, file_name: str, kind: str, *, no_header: bool = False,
            mapping: dict | None = None, con=None) -> Preview:
    """Decode, find the header and propose a mapping; nothing is written.

    Raises
    ------
    UserError
        Empty, binary or header-only files.
    """
    decoded = dec.decode(data, file_name, kind)
    layout, plan = _plan_for(con, decoded, kind, mapping=mapping, sets=None, no_header=no_header)
    width = len(layout.headers)
    rows = [(r + [""] * width)[:width] for r in layout.head_records]
    names = [h or f"column_{i + 1}" for i, h in enumerate(layout.headers)]
    sample = pd.DataFrame(rows, columns=pd.Index(names).astype(str), dtype="string")
    ambiguous = []
    ts = [(p, c) for p, c in plan.by_position.items() if clean.value_kind(c) == "ts"]
    if ts:
        import duckdb

        scratch = duckdb.connect()
        scratch.execute("CREATE TABLE s (" + ", ".join(f"t_{c} VARCHAR" for _, c in ts) + ")")
        scratch.executemany("INSERT INTO s VALUES (" + ", ".join("?" for _ in ts) + ")",
                            [[(r[p] or "").strip() or None for p, _ in ts] for r in rows])
        counts = scratch.execute(clean.date_order_sql([f"t_{c}" for _, c in ts], "s")).fetchone()
        for i, (p, _) in enumerate(ts):
            if clean.decide_day_first(tuple(counts[3 * i:3 * i + 3]), None)[1]:
                ambiguous.append(layout.headers[p])
        scratch.close()
    mapping_json = plan.mapping_json()
    return Preview(decoded.encoding, plan.platform, layout.headers, mapping_json,
                   [layout.headers[p] for p in plan.extra_positions],
                   missing_required(kind, plan.mapped), sample, ambiguous,
                   needs.checklist(kind, mapping_json),
                   needs.preview_warnings(kind, mapping_json, sample))


def _report(progress, fraction: float, message: str) -> None:
    if progress is not None:
        progress(fraction, message)


def _csv_for_duckdb(decoded, layout, source_path) -> tuple[str, bool]:
    """(path of a UTF-8 CSV starting at the header or first row, whether it is ours to delete)."""
    first = dec.first_line_for_duckdb(decoded, layout.data_offset)
    if source_path is not None and decoded.encoding in ("utf-8", "utf-8-sig") \
            and not decoded.is_xlsx and not decoded.changed and layout.data_offset == 0 \
            and first is None:
        return str(source_path), False
    fd, path = tempfile.mkstemp(suffix=".csv", prefix="ingest_")
    with os.fdopen(fd, "wb") as fh:
        if first is not None:
            fh.write(first[0].encode("utf-8"))
            dec.write_utf8(fh, decoded, first[1])
        elif decoded.data is not None and layout.data_offset == 0:
            fh.write(decoded.data)
        else:
            dec.write_utf8(fh, decoded, layout.data_offset)
    return path, True


def _line_numbers(decoded, layout, plan: Plan, rejected: list[dict], malformed: int,
                  records: int, con=None, path=None) -> list[dict]:
    """Physical line numbers for rejected rows, plus one entry per malformed row."""
    if not malformed and _one_line_per_record(decoded, layout, records):
        # Record k is then on line k after the header: no need to parse the whole file in
        # Python (seconds for a million rows, and a copy of its text) for a few rejections.
        first = layout.preamble_lines + (1 if layout.header_line else 0) + 1
        out = [{"line": first + r["ord"], "column": r["column"], "value": r["value"],
                "reason": r["reason"]} for r in rejected]
        return sorted(out, key=lambda r: r["line"])[:stage.MAX_REJECTIONS]
    shapes = dec.record_shapes(decoded.text[layout.data_offset:], layout.delimiter,
                               len(plan.headers))
    if layout.header_line:
        shapes = shapes[1:]
    base = layout.preamble_lines
    n = len(plan.headers)
    unread = _unread_records(con, path, base) if malformed and path else {}
    good = [line + base for line, width in shapes if width == n and line + base not in unread]
    out = [{"line": good[r["ord"]] if r["ord"] < len(good) else None, "column": r["column"],
            "value": r["value"], "reason": r["reason"]} for r in rejected]
    if malformed:
        out += [{"line": line + base, "column": None, "value": None,
                 "reason": f"malformed_row:{width}_of_{n}_fields"}
                for line, width in shapes if width != n][:stage.MAX_REJECTIONS]
        counted = {line + base for line, width in shapes if width != n}
        out += [{"line": line, "column": None, "value": None, "reason": reason}
                for line, reason in unread.items() if line not in counted]
    return sorted(out, key=lambda r: r["line"] or 0)[:stage.MAX_REJECTIONS]


# DuckDB's reasons for a record it could not read at all (not a count of fields).
_UNREAD = {"LINE SIZE OVER MAXIMUM": "line_too_long", "UNQUOTED VALUE": "broken_quote",
           "INVALID UNICODE": "undecodable_line"}


def _unread_records(con, path: str, base: int) -> dict[int, str]:
    """{physical line: reason} of the records DuckDB rejected with the right number of
    fields (a line too long, a quote never closed), which the Python parse does not see.

    The line comes from the record's byte position in the file DuckDB read.
    """
    rows = con.execute(
        f"SELECT min(coalesce(line_byte_position, byte_position, 0)), first(error_type) "
        f"FROM {stage.REJECTS} "
        "WHERE error_type NOT IN ('TOO MANY COLUMNS', 'MISSING COLUMNS') "
        "GROUP BY line ORDER BY 1").fetchall()
    if not rows:
        return {}
    with open(path, "rb") as fh:
        data = fh.read()
    out, pos, line = {}, 0, 1
    for at, error in rows:
        # The position is of the record's first byte or the one after it: either way the
        # line ends before it are the lines before the record.
        at = min(int(at), len(data))
        line += (data.count(b"\n", pos, at) + data.count(b"\r", pos, at)
                 - data.count(b"\r\n", pos, at))
        pos = at
        out[base + line] = _UNREAD.get(error, "unreadable_row")
    return out


def _add_decode_problems(result: dict, decoded) -> None:
    """Count the lines decoding took out as read and rejected, not as skipped blank lines,
    and put decoding's warnings first."""
    result["warnings"][:0] = decoded.warnings
    bad = decoded.bad_lines
    if not bad:
        return
    result["rows_read"] += len(bad)
    result["rejected"] += len(bad)
    result["skipped"] = max(0, result["skipped"] - decoded.blank_lines)
    result["rejections"] = sorted(result["rejections"] + bad,
                                  key=lambda r: r["line"] or 0)[:stage.MAX_REJECTIONS]
    if result["rejected"] > stage.MAX_REJECTIONS:
        result["warnings"] = [w for w in result["warnings"]
                              if w["reason"] != "rejections_truncated"]
        result["warnings"].append({"column": None, "count": result["rejected"],
                                   "reason": "rejections_truncated", "examples": []})


def _already(name: str, sha: str, kind: str, prior: history.Prior) -> dict:
    return {"file": name, "sha256": sha, "kind": kind, "encoding": None, "platform": None,
            "mapping": prior.mapping, "rows_read": prior.rows_read, "inserted": 0,
            "updated": 0, "unchanged": prior.rows_read, "rejected": 0, "skipped": 0,
            "already_imported": True, "rejections": [], "warnings": [], "tables": {},
            "import_id": prior.import_id}


def _request(kind: str, *, mapping=None, sets=None, no_header=False, day_first=None,
             shop=None, **_) -> str:
    """What an import is asked, as :func:`history.request_key` fingerprints it."""
    return history.request_key(kind, mapping=mapping, sets=sets, no_header=no_header,
                               day_first=day_first, shop=shop)


def import_bytes(con, data: bytes, file_name: str, kind: str, *, mapping: dict | None = None,
                 sets: dict | None = None, no_header: bool = False,
                 day_first: dict | None = None, imported_by: str | None = None,
                 shop: str | None = None, progress=None, source_path=None,
                 salt: str | None = None, sha256: str | None = None) -> dict:
    """Import one export into the canonical table ``kind`` in one transaction.

    Parameters
    ----------
    salt : str, optional
        Salt of the customer-id pseudonyms when the ``privacy.pseudonymise`` setting is on
        (the app passes its secret); else ``INSIGHTS_PSEUDONYM_SALT`` is used.
    sha256 : str, optional
        The hex sha256 of ``data`` when the caller has it already (:func:`import_file`).

    Returns
    -------
    dict
        The ``import --json`` object of the CLI contract plus ``import_id``.

    Raises
    ------
    UserError
        A file it cannot read or map, or pseudonymising without a salt; the database is then
        unchanged.
    """
    if kind not in schema.CANONICAL:
        raise UserError("ingest.unknown_kind", kind=kind)
    sha = sha256 or hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    request = _request(kind, mapping=mapping, sets=sets, no_header=no_header,
                       day_first=day_first, shop=shop)
    prior = history.prior_import(con, sha, kind)
    if prior is not None and prior.request == request:
        return _already(name, sha, kind, prior)
    pseudo = pseudonym.for_import(con, salt)
    _report(progress, 0.05, "decode")
    decoded = dec.decode(data, file_name, kind)
    layout, plan = _plan_for(con, decoded, kind, mapping=mapping, sets=sets, no_header=no_header)
    require_key(plan)
    constants = {**plan.constants, **({"shop": shop} if shop and "shop" not in plan.constants
                                      else {})}
    if day_first:
        # The day order the page answered reads the dates another way: part of the plan.
        constants["__day_first__"] = {str(k): bool(v) for k, v in sorted(day_first.items())}
    if prior is not None and prior.same_plan(plan.mapping_json(), constants):
        # Asked another way, but read the same way: still the same import.
        return _already(name, sha, kind, prior)
    shop_name = (sets or {}).get("shop") or shop or schema.DEFAULT_SHOP
    path, ours = _csv_for_duckdb(decoded, layout, source_path)
    # DuckDB's progress bar writes to stdout, which would corrupt ``import --json``.
    con.execute("SET enable_progress_bar = false")
    stage.drop_temp(con)
    clean.install(con)
    skip = 1 if layout.header_line else 0
    try:
        _report(progress, 0.15, "read")
        stage.build_typed(con, path, plan, delimiter=layout.delimiter, skip=skip,
                          header_mode=bool(layout.header_line), pseudo=pseudo,
                          nul=stage.holds_nul(decoded))
        counts = stage.stats(con, plan)
        malformed = counts["malformed"]
        if counts["kept"] + malformed == 0:
            raise UserError("ingest.header_only")
        _report(progress, 0.4, "clean")
        decided, ambiguous = stage.decide_dates(con, plan, counts["dates"], day_first)
        if decided:
            stage.type_dates(con, plan, decided)
            counts = stage.stats(con, plan)
        n_rejected = counts["rejected"]
        rejected = stage.rejections(con, plan) if n_rejected else []
        hidden = {"customer_id"} if pseudo is not None else set()
        warnings = stage.id_warnings(con, plan, counts["odd_ids"], hidden=hidden)
        warnings += stage.value_warnings(con, plan, hidden=hidden)
        if "shop" not in plan.mapped and not shop:
            shop_name, shop_warning = links.infer_shop(con, plan)
            warnings += [shop_warning] if shop_warning else []
        if prior is not None:
            warnings.append({"column": None, "count": prior.rows_read,
                             "reason": "reimported_new_mapping", "examples": [prior.import_id]})
        warnings += [{"column": c, "count": None, "reason": "ambiguous_dates_month_first",
                      "examples": []} for c in ambiguous]
        if n_rejected + malformed > stage.MAX_REJECTIONS:
            warnings.append({"column": None, "count": n_rejected + malformed,
                             "reason": "rejections_truncated", "examples": []})
        rejections = (_line_numbers(decoded, layout, plan, rejected, malformed,
                                    counts["records"], con, path)
                      if n_rejected or malformed else [])
        _report(progress, 0.6, "keys")
        n_valid = counts["kept"] - n_rejected
        lines_plan = None
        if lines.is_multi_row(con, plan):
            # One order row per order, one order_items row per file row.
            lines.build_orders(con, plan)
            lines_plan = lines.items_plan(plan)
            load.build_final(con, plan, shop_name, src=lines.ORDERS, final=lines.FINAL_ORDERS)
            load.build_final(con, lines_plan, shop_name, final=lines.FINAL_ITEMS)
            fresh = False
            inserted, updated, unchanged = lines.row_counts(con)
            tables = {t: dict(zip(("inserted", "updated", "unchanged"), load.counts(con, f)))
                      for t, f in (("orders", lines.FINAL_ORDERS),
                                   ("order_items", lines.FINAL_ITEMS))}
        else:
            fresh = load.first_load(con, plan, shop_name, n_valid)
            if fresh:
                inserted, updated, unchanged = n_valid, 0, 0
            else:
                load.build_final(con, plan, shop_name)
                inserted, updated, unchanged = load.counts(con)
            tables = {kind: {"inserted": inserted, "updated": updated, "unchanged": unchanged}}
        blank_lines = _blank_lines(con, decoded, layout, len(plan.headers), path, skip,
                                   counts["records"] + malformed)
        result = {
            "file": name, "sha256": sha, "kind": kind, "encoding": decoded.encoding,
            "platform": plan.platform, "mapping": plan.mapping_json(),
            "rows_read": counts["kept"] + malformed, "inserted": inserted, "updated": updated,
            "unchanged": unchanged, "rejected": n_rejected + malformed,
            "skipped": counts["records"] - counts["kept"] + layout.preamble_lines + blank_lines,
            "already_imported": False, "rejections": rejections, "warnings": warnings,
            "tables": tables,
        }
        _add_decode_problems(result, decoded)
        _report(progress, 0.75, "write")
        con.execute("BEGIN")
        try:
            result["import_id"] = con.execute(history.NEXT_ID_SQL).fetchone()[0]
            if fresh:
                load.insert_new(con, plan, shop_name, result["import_id"])
            elif lines_plan is not None:
                load.write(con, plan, result["import_id"], final=lines.FINAL_ORDERS)
                load.write(con, lines_plan, result["import_id"], final=lines.FINAL_ITEMS)
                lines.drop_gone_lines(con)
            else:
                load.write(con, plan, result["import_id"])
            links.fill_buyers(con, kind, result["import_id"])
            history.log_import(con, result, shop=shop_name, imported_by=imported_by,
                               request=request, constants=constants)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        _report(progress, 1.0, "done")
        return result
    finally:
        stage.drop_temp(con)
        lines.drop(con)
        if ours:
            os.unlink(path)


def _blank_lines(con, decoded, layout, n_cols: int, path: str, skip: int,
                 records: int) -> int:
    """Empty lines after the header (DuckDB passes over them; the contract counts them).

    Quoted fields may hold empty lines too, so with quotes in the file the count is the
    physical lines minus those the records span, measured in SQL.
    """
    body = decoded.body(layout.data_offset)
    nl, cr, quote = ("\n", "\r", '"') if isinstance(body, str) else (b"\n", b"\r", b'"')
    lines = _physical_lines(body)
    if lines == records + (1 if layout.header_line else 0):
        return 0  # one line per record (counting them is much faster than searching)
    if nl + nl not in body and nl + cr + nl not in body:
        return 0
    if quote not in body:
        pattern = _BLANK_LINE if isinstance(body, str) else _BLANK_LINE_BYTES
        return len(pattern.findall(body))
    return lines - (1 if layout.header_line else 0) - stage.lines_spanned(
        con, path, n_cols, delimiter=layout.delimiter, skip=skip)


def _physical_lines(body) -> int:
    nl = "\n" if isinstance(body, str) else b"\n"
    return body.count(nl) + (0 if body.endswith(nl) else 1)


def _one_line_per_record(decoded, layout, records: int) -> bool:
    """Whether each record DuckDB read (``records``, none malformed) is one physical line.

    Records never outnumber lines unless a lone CR ends one, so equal counts mean no record
    spans lines and no line is blank.
    """
    body = decoded.body(layout.data_offset)
    cr, crlf = ("\r", "\r\n") if isinstance(body, str) else (b"\r", b"\r\n")
    if cr in body and body.count(cr) != body.count(crlf):
        return False
    return _physical_lines(body) == records + (1 if layout.header_line else 0)


def import_file(con, path, kind: str, **kwargs) -> dict:
    """Read ``path`` and :func:`import_bytes` it (UTF-8 files are read by DuckDB in place).

    The hash is taken first, streamed: a file imported before is answered without holding
    it in memory, which makes an unchanged re-import about twice as fast.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    if kind in schema.CANONICAL:
        prior = history.prior_import(con, sha, kind)
        if prior is not None and prior.request == _request(kind, **kwargs):
            return _already(path.name, sha, kind, prior)
    data = path.read_bytes()
    after = path.stat()
    # The hash must be of the bytes imported: a file rewritten meanwhile is hashed again.
    same = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) \
        and len(data) == after.st_size
    return import_bytes(con, data, path.name, kind, source_path=path,
                        sha256=sha if same else None, **kwargs)
