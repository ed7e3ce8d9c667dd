"""Exports that open cleanly in Excel and cannot inject formulas, and their audit log.

CSV: UTF-8 with BOM; id columns written as ``="…"`` (the platforms' own guard, so Excel keeps
all 19 digits, and the importer reads it back); any other text cell starting with = + - @
(or a tab / carriage return before one) gets a leading ``'``; numbers stay numbers.
.xlsx: ids typed as text, every string stored as a string (never as a formula).
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json
import re

import pandas as pd

from analysis import periods
from analysis import settings as settings_mod
from analysis.db import connection
from analysis.errors import UserError
from analysis.privacy import has_personal_columns

_DANGEROUS = re.compile(r"^[\t\r]*[=+\-@]")


def id_columns(df: pd.DataFrame) -> list[str]:
    """Columns that hold identifiers (``*_id`` and ``id``): kept whole as text."""
    return [c for c in df.columns if str(c) == "id" or str(c).endswith("_id")]


def neutralise(value):
    """A text cell made safe from formula injection; other values unchanged."""
    if isinstance(value, str) and _DANGEROUS.match(value):
        return "'" + value
    return value


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_datetime64_any_dtype(df[c])]


def to_csv_bytes(df: pd.DataFrame, ids: list[str] | None = None) -> bytes:
    """``df`` as Excel-safe CSV bytes (see module docstring).

    Parameters
    ----------
    df : DataFrame
        Every row is written.
    ids : list of str, optional
        Id columns; defaults to :func:`id_columns`.
    """
    ids = id_columns(df) if ids is None else ids
    out = df.copy()
    for c in _text_columns(out):
        if c in ids:
            out[c] = out[c].map(lambda v: None if v is None or pd.isna(v) else f'="{v}"')
        else:
            out[c] = out[c].map(neutralise)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, ids: list[str] | None = None, sheet: str = "data") -> bytes:
    """``df`` as .xlsx bytes: ids typed as text, strings never stored as formulas."""
    from openpyxl import Workbook  # lazy: only .xlsx downloads need it, and it is slow to import

    ids = set(id_columns(df) if ids is None else ids)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        ws.append([None if v is None or (not isinstance(v, str) and pd.isna(v)) else
                   (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for v in row])
    for col_idx, name in enumerate(df.columns, start=1):
        for (cell,) in ws.iter_rows(min_row=2, min_col=col_idx, max_col=col_idx):
            if isinstance(cell.value, str):
                # openpyxl would store "=…" as a formula; force a plain string.
                cell.data_type = "s"
            if name in ids:
                cell.number_format = "@"
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.value = str(cell.value)
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """``df`` as ``csv`` or ``xlsx`` bytes."""
    if fmt == "csv":
        return to_csv_bytes(df)
    if fmt == "xlsx":
        return to_xlsx_bytes(df)
    raise ValueError(f"unknown export format {fmt!r}")


def log_audit(con, *, actor: str | None, role: str | None, action: str, what: str,
              rows: int | None = None, detail: dict | None = None) -> None:
    """Append one entry to the audit log (a read-write connection)."""
    con.execute(
        "INSERT INTO audit_log VALUES (current_localtimestamp(), ?, ?, ?, ?, ?, ?)",
        [actor, role, action, what, rows, json.dumps(detail or {}, ensure_ascii=False)],
    )


def audit_log(con, limit: int = 500) -> pd.DataFrame:
    """The newest audit-log entries first."""
    return con.execute(
        # "at" is quoted: DuckDB 2 parses a bare AT as a keyword.
        'SELECT "at", actor, role, action, what, "rows", detail FROM audit_log '
        'ORDER BY "at" DESC LIMIT ?', [limit]).df()


# ---- python -m analysis export ------------------------------------------------------------

def _export_frame(con, args) -> pd.DataFrame:
    # Only the export command reads the lists: the pages and the erasure import this
    # module for the file writers and the audit log alone, not the metrics behind them.
    from analysis import care, ladder
    from analysis.sentiment import newest_reviews

    if args.what == "care-list":
        day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
        conf = settings_mod.get_all(con)
        assigned, overflow = care.assign_agents(
            care.call_list(con, day, shop=args.shop, settings=conf),
            conf["care.agents"], conf["care.calls_per_agent"])
        return pd.concat([assigned, overflow], ignore_index=True)
    if args.what == "thank-you":
        return care.thank_you_list(con, shop=args.shop)
    period = periods.parse_week(args.week) if args.week else periods.Period(None, None, None)
    if args.what == "reviews":
        return newest_reviews(con, shop=args.shop, limit=None, start=period.start, end=period.end)
    as_of = period.as_of or con.execute("SELECT max(coalesce(pay_time, order_time)) FROM orders").fetchone()[0]
    return ladder.tiers_as_of(con, as_of, shop=args.shop)


def cli_export(args) -> int:
    """``python -m analysis export care-list|thank-you|reviews|customers --out FILE``."""
    fmt = "xlsx" if str(args.out).lower().endswith(".xlsx") else "csv"
    if not str(args.out).lower().endswith((".csv", ".xlsx")):
        raise UserError("export.bad_extension", path=args.out)
    with connection(args.db) as con:
        df = _export_frame(con, args)
        data = export_bytes(df, fmt)
        with open(args.out, "wb") as fh:
            fh.write(data)
        if has_personal_columns(df):
            log_audit(con, actor=f"cli:{getpass.getuser()}", role="operator", action="export",
                      what=args.what, rows=len(df), detail={"out": str(args.out)})
    print(f"{args.what}: {len(df)} rows -> {args.out}")
    return 0
