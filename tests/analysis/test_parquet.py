"""The metric SQL over the Parquet export gives the same figures as over the database."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import db, parquet, settings
from analysis.summary import summary


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        elif isinstance(v, (int, float)) or v is None:
            out[f"{prefix}{k}"] = v
    return out


def assert_same_figures(got: dict, expected: dict) -> None:
    """Equal summaries, up to the last bits of float sums (DuckDB adds in parallel, in any
    order)."""
    flat_got, flat_expected = _flat(got), _flat(expected)
    assert flat_got.keys() == flat_expected.keys()
    for k, v in flat_expected.items():
        assert flat_got[k] == (v if v is None else pytest.approx(v, rel=1e-12)), k
    assert got["period"] == expected["period"] and got["tiers"] == expected["tiers"]


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    from analysis.demo import write_demo

    path = tmp_path_factory.mktemp("pq") / "demo.duckdb"
    write_demo(path, customers=300, seed=5, end=dt.date(2026, 11, 20))
    with db.connection(path) as con:
        # A non-default threshold, so the test proves the settings travel with the files.
        settings.put(con, "complaints.sla_hours", 48)
    return path


@pytest.fixture(scope="module")
def exported(small_demo, tmp_path_factory):
    from analysis.cli import main

    out = tmp_path_factory.mktemp("pq") / "export"
    assert main(["export-parquet", str(out), "--db", str(small_demo)]) == 0
    return out


def test_every_table_the_metrics_read_is_written(exported):
    names = sorted(p.name for p in exported.iterdir())
    assert names == sorted(f"{t}.parquet" for t in parquet.EXPORTED_TABLES)


@pytest.mark.parametrize("week", ["2026-W47", None])
def test_summary_over_parquet_equals_summary_over_the_database(small_demo, exported, week):
    with db.connection(small_demo, read_only=True) as con:
        expected = summary(con, week)
    pq = parquet.open_parquet(exported)
    try:
        got = summary(pq, week)
    finally:
        pq.close()
    assert_same_figures(got, expected)
    assert got["complaints"]["sla_h"] == 48.0
    assert got["customers"] == 300  # the demo's customers, all on the ladder


def test_export_is_read_only_on_the_database(small_demo, tmp_path):
    before = small_demo.stat().st_mtime_ns
    with db.connection(small_demo, read_only=True) as con:
        written = parquet.export_parquet(con, tmp_path / "again")
    assert small_demo.stat().st_mtime_ns == before
    assert written["settings"] == 1


def test_tables_missing_from_an_export_are_empty(tmp_path):
    con = db.memory_db()
    con.execute("INSERT INTO reviews (shop, review_key, rating, review_time) "
                "VALUES ('s', 'k1', 5, TIMESTAMP '2026-11-17 10:00:00')")
    parquet.export_parquet(con, tmp_path)
    con.close()
    (tmp_path / "tickets.parquet").unlink()
    pq = parquet.open_parquet(tmp_path)
    assert pq.execute("SELECT count(*) FROM tickets").fetchall() == [(0,)]
    assert pq.execute("SELECT count(*), count(sentiment) FROM review_sentiment").fetchall() == [(1, 0)]


def test_missing_database_is_one_line(tmp_path, capsys):
    from analysis.cli import main

    assert main(["export-parquet", str(tmp_path / "out"), "--db", str(tmp_path / "nope.duckdb")]) == 2
    assert "No database at" in capsys.readouterr().err
