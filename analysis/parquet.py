"""The warehouse as Parquet files, and the same metric SQL run over them (docs/scaling.md).

The metric queries are plain DuckDB SQL over the canonical tables, the settings and the
sentiment cache. ``export-parquet`` writes those tables as one Parquet file each (DuckDB's
``COPY … (FORMAT parquet)``, through the relation API so no path is formatted into SQL);
:func:`open_parquet` gives an in-memory connection whose views carry the canonical names,
so every function in ``analysis`` runs unchanged over the files (local, or on object storage
through httpfs).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from analysis import schema
from analysis.db import connection, db_path, install_macros
from analysis.errors import UserError

# Tables the metric SQL reads: the canonical ones, the settings it reads its thresholds
# from, the sentiment cache, each shop's model and erased texts' keys the review_sentiment
# view joins, and the care lists' own tables. The app's bookkeeping (imports, audit log,
# models) is not exported.
EXPORTED_TABLES: tuple[str, ...] = (
    *schema.CANONICAL, "settings", "sentiment_scores", "sentiment_active", "erased_reviews",
    "care_calls", "do_not_call",
)


def parquet_path(directory: str | os.PathLike, table: str) -> Path:
    """Where ``table`` lives in an export directory."""
    return Path(directory) / f"{table}.parquet"


def export_parquet(con: duckdb.DuckDBPyConnection, directory: str | os.PathLike) -> dict[str, int]:
    """Write every table of :data:`EXPORTED_TABLES` that ``con`` has as Parquet.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Any connection to the warehouse (read-only is enough).
    directory : path-like
        Created when missing; existing files of the same names are replaced.

    Returns
    -------
    dict
        table -> rows written.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    written = {}
    for table in EXPORTED_TABLES:
        if table not in present:  # a database from before the table existed
            continue
        rel = con.table(table)
        rel.to_parquet(str(parquet_path(out, table)))
        # fetchall: DuckDB 2 refuses new work while a result is only partly fetched.
        written[table] = con.execute("SELECT count(*) FROM query_table(?)", [table]).fetchall()[0][0]
    return written


def _with_missing_columns(rel: duckdb.DuckDBPyRelation, table: str) -> duckdb.DuckDBPyRelation:
    """``rel`` plus NULL columns for any schema column the export predates."""
    missing = [(c, typ) for c, typ in schema.ALL_TABLES[table] if c not in rel.columns]
    if not missing:
        return rel
    # Identifiers and types come from schema.py constants only.
    extra = ", ".join(f'CAST(NULL AS {typ}) AS "{c}"' for c, typ in missing)
    return rel.project(f"*, {extra}")


def open_parquet(directory: str | os.PathLike,
                 con: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose canonical tables are views over an export's files.

    Parameters
    ----------
    directory : path-like
        An ``export-parquet`` directory; a table with no file is an empty table.
    con : duckdb.DuckDBPyConnection, optional
        A connection to use instead of a new in-memory one (e.g. one with httpfs and an S3
        secret loaded, with ``directory`` an ``s3://bucket/prefix`` URL).

    Returns
    -------
    duckdb.DuckDBPyConnection
        With the ``review_sentiment`` view and the metric macros, ready for the same
        functions as a database connection (read-only: the files are never written).
    """
    con = con or duckdb.connect(":memory:")
    remote = "://" in str(directory)
    for table in EXPORTED_TABLES:
        path = f"{str(directory).rstrip('/')}/{table}.parquet" if remote else parquet_path(directory, table)
        if remote or Path(path).exists():
            # A table's rowid (some metric queries match rows by it) is the file's row number.
            rel = con.read_parquet(str(path), file_row_number=True).project(
                "* EXCLUDE (file_row_number), file_row_number AS rowid")
            rel = _with_missing_columns(rel, table)
            rel.create_view(table, replace=True)
        else:
            body = ", ".join(f'"{c}" {typ}' for c, typ in schema.ALL_TABLES[table])
            con.execute(f'CREATE TABLE "{table}" ({body})')
    con.execute(schema.REVIEW_SENTIMENT_VIEW)
    install_macros(con)
    return con


def cli_export_parquet(args) -> int:
    """``python -m analysis export-parquet DIR [--db PATH]``: read-only on the database."""
    path = db_path(args.db)
    if not path.exists():
        raise UserError("parquet.no_db", path=str(path))
    with connection(path, read_only=True) as con:
        written = export_parquet(con, args.dir)
    for table, rows in written.items():
        print(f"{table}: {rows} rows -> {parquet_path(args.dir, table)}")
    return 0
