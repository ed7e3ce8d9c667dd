"""Opening the DuckDB file: per operation, with a bounded wait when another process holds it.

DuckDB lets one process at a time open a file read-write, and then no other process can
even read it. So nothing holds the database open between operations: each operation opens,
works and closes, and a writer that finds the file locked retries for up to 60 s.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import duckdb

from analysis import schema
from analysis.errors import UserError
from analysis.status_words import CANCELLED_STATUSES

DEFAULT_DB = Path("data/store.duckdb")
DEMO_DB = Path("data/demo.duckdb")
LOCK_WAIT_S = 60.0

# Shared metric definitions (docs/design.md "Metrics"), as macros so every query, whether over
# the database file or over its Parquet export, uses the same words.
_MACROS = [
    "CREATE OR REPLACE TEMP MACRO is_cancelled_status(s) AS "
    "coalesce(lower(trim(s)) IN (SELECT unnest(getvariable('cancelled_statuses'))), false)",
    # A purchase: paid, and not cancelled, closed or fully refunded.
    "CREATE OR REPLACE TEMP MACRO is_purchase(paid_amount, pay_time, status, refund_amount) AS "
    "(coalesce(paid_amount > 0, false) OR pay_time IS NOT NULL) "
    "AND NOT is_cancelled_status(status) "
    "AND NOT coalesce(refund_amount > 0 AND refund_amount >= paid_amount, false)",
    # A negative review: rating <= 2, or with no rating, sentiment below the threshold.
    "CREATE OR REPLACE TEMP MACRO is_negative_review(rating, sentiment, neg_threshold) AS "
    "coalesce(rating <= 2 OR (rating IS NULL AND sentiment < neg_threshold), false)",
    # Clearly positive: rating >= 4 or none, and sentiment above the threshold (a 5-star
    # review with no text has no sentiment, so it is not clearly positive).
    "CREATE OR REPLACE TEMP MACRO is_clearly_positive(rating, sentiment, pos_threshold) AS "
    "coalesce((rating IS NULL OR rating >= 4) AND sentiment > pos_threshold, false)",
    # ISO week label such as 2026-W47, in SQL so every axis says the same thing.
    "CREATE OR REPLACE TEMP MACRO iso_week_label(ts) AS "
    "CAST(isoyear(ts) AS VARCHAR) || '-W' || lpad(CAST(week(ts) AS VARCHAR), 2, '0')",
]


class DatabaseBusy(RuntimeError):
    """Another process held the database file for longer than the wait allows."""


def demo_path() -> Path:
    """The demo database: ``INSIGHTS_DEMO_DB`` (tests use their own), else data/demo.duckdb."""
    return Path(os.environ.get("INSIGHTS_DEMO_DB") or DEMO_DB)


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The store database: ``path``, else ``INSIGHTS_DB``, else ``data/store.duckdb``."""
    if path:
        return Path(path)
    return Path(os.environ.get("INSIGHTS_DB") or DEFAULT_DB)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the shared metric macros on ``con`` (temporary: nothing is written)."""
    con.execute(
        "SET VARIABLE cancelled_statuses = ?", [[s.lower() for s in CANCELLED_STATUSES]]
    )
    for sql in _MACROS:
        con.execute(sql)


# A DuckDB file carries this at byte 8 of its first block.
_MAGIC_OFFSET, _MAGIC = 8, b"DUCK"


def _check_is_database(target: Path) -> None:
    """Refuse a path that holds something other than a DuckDB database (a CSV given as
    ``--db`` by mistake): DuckDB would raise a traceback-worthy error, or worse, write to it."""
    if target.is_dir():
        raise UserError("db.not_a_database", path=str(target))
    try:
        with open(target, "rb") as fh:
            head = fh.read(_MAGIC_OFFSET + len(_MAGIC))
    except FileNotFoundError:
        return
    if head and head[_MAGIC_OFFSET:] != _MAGIC:
        raise UserError("db.not_a_database", path=str(target))


def _is_lock_error(exc: Exception) -> bool:
    msg = str(exc).lower()
    return "lock" in msg or "being used by another process" in msg


def open_db(
    path: str | os.PathLike | None = None,
    *,
    read_only: bool = False,
    wait_s: float = LOCK_WAIT_S,
) -> duckdb.DuckDBPyConnection:
    """Open the database, creating or upgrading its schema, retrying while it is locked.

    A database made before the weekly ladder was stored gets it on its first read-write
    open (:func:`analysis.ladder_store.build_if_missing`), as part of the upgrade.

    Parameters
    ----------
    path : path-like, optional
        Database file; see :func:`db_path` for the default.
    read_only : bool
        Open read-only (the file must exist; no schema change is made).
    wait_s : float
        How long to keep retrying a locked file before raising :class:`DatabaseBusy`.

    Returns
    -------
    duckdb.DuckDBPyConnection
        Close it when done (or use :func:`connection`).
    """
    target = db_path(path)
    _check_is_database(target)
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(target), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise DatabaseBusy(
                        f"{target} is in use by another process; tried for {wait_s:.0f} s"
                    ) from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        if not read_only:
            schema.ensure_schema(con)
        install_macros(con)
        if not read_only:
            # The one call up out of the warehouse, made only here: the stored tables are
            # part of a read-write upgrade, while a read-only open (and the sentiment
            # command) never loads them or pandas.
            from analysis import ladder_store

            ladder_store.build_if_missing(con)
    except Exception:
        con.close()
        raise
    return con


@contextlib.contextmanager
def connection(path=None, *, read_only: bool = False, wait_s: float = LOCK_WAIT_S):
    """Context manager around :func:`open_db` that always closes the file."""
    con = open_db(path, read_only=read_only, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def memory_db() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema and macros: for tests and Parquet queries."""
    con = duckdb.connect(":memory:")
    schema.ensure_schema(con)
    install_macros(con)
    return con
