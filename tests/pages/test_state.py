"""The one Streamlit-state module: a run's cache misses share one cursor, and the file is
released when the run ends (so the CLI can write between runs)."""

from __future__ import annotations

import duckdb

from analysis import db, periods
from pages._ui import state
from tests.pages.conftest import make_app


def _count_opens(monkeypatch) -> list:
    opened = []
    real = db.open_db

    def counting(path=None, **kwargs):
        opened.append(str(path))
        return real(path, **kwargs)

    monkeypatch.setattr(db, "open_db", counting)
    return opened


def test_run_scope_opens_the_file_once_and_releases_it(monkeypatch, tmp_path):
    path = tmp_path / "s.duckdb"
    db.open_db(path).close()
    opened = _count_opens(monkeypatch)
    with state.run_scope():
        with state._read_cursor(path) as a:
            a.execute("SELECT 1").fetchall()
        with state._read_cursor(path) as b:
            b.execute("SELECT 2").fetchall()
        assert a is b
        assert str(path) in state._open
    assert opened == [str(path)]
    assert state._open == {}
    # Released: another process (here a plain connection) may open the file again.
    duckdb.connect(str(path)).close()


def test_run_scope_follows_a_change_of_database(monkeypatch, tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for p in (first, second):
        db.open_db(p).close()
    opened = _count_opens(monkeypatch)
    with state.run_scope():
        with state._read_cursor(first):
            pass
        with state._read_cursor(second) as cur:
            assert cur.execute("SELECT current_database()").fetchone()[0] == "b"
        assert list(state._open) == [str(second)]
    assert opened == [str(first), str(second)]
    assert state._open == {}


def test_without_a_run_scope_each_read_opens_and_closes(monkeypatch, tmp_path):
    path = tmp_path / "s.duckdb"
    db.open_db(path).close()
    opened = _count_opens(monkeypatch)
    for _ in range(2):
        with state._read_cursor(path):
            assert str(path) in state._open
        assert state._open == {}
    assert len(opened) == 2


def test_a_page_run_opens_the_database_once(app_env, monkeypatch):
    opened = _count_opens(monkeypatch)
    at = make_app(role="operator", params={"week": "2026-W47"})
    at.switch_page("pages/complaints.py").run()
    assert not at.exception
    # Many queries, one open (the demo file), and nothing left open after the run.
    assert len(opened) == 1, opened
    assert state._open == {}


def test_a_write_leaves_the_stored_ladder_up_to_date(monkeypatch, tmp_path):
    from analysis import ladder_store

    monkeypatch.setenv("INSIGHTS_DB", str(tmp_path / "store.duckdb"))

    def add_buyer(con):
        con.execute("INSERT INTO orders (shop, order_id, customer_id, pay_time, paid_amount) "
                    "VALUES ('S', '1', 'A', TIMESTAMP '2026-11-18 10:00', 10)")

    state.write(add_buyer)
    with db.connection(tmp_path / "store.duckdb") as con:
        at = periods.parse_week("2026-W47").as_of
        assert ladder_store.grid_indices(con, [at]) is not None
        assert con.execute("SELECT customer_id FROM ladder_masks").fetchall() == [("A",)]
