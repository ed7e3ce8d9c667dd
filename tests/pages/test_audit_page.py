"""The operators' audit page: the log newest first, the action filter, imports, erasure."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import db as dbmod
from analysis.exports import log_audit
from tests.pages.conftest import make_app, texts


def _log(path, entries):
    with dbmod.connection(path) as con:
        for at, action, what in entries:
            log_audit(con, actor="ops", role="operator", action=action, what=what, rows=3)
            # Fixed times, so "newest first" has one right answer.
            con.execute('UPDATE audit_log SET "at" = ? WHERE what = ?', [at, what])


def test_direct_url_before_sign_in_shows_only_the_form(app_env):
    at = make_app("pages/audit.py").run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["密码"]
    assert len(at.dataframe) == 0


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_only_operators_open_it(app_env, role):
    at = make_app("pages/audit.py", role=role).run()
    assert not at.exception
    assert "不能打开此页面" in texts(at)
    assert len(at.dataframe) == 0 and len(at.text_input) == 0


def test_log_newest_first_and_filtered_by_action(app_env):
    _log(app_env / "demo.duckdb", [(dt.datetime(2026, 11, 20, 9), "export", "care_list"),
                                   (dt.datetime(2026, 11, 21, 9), "erase", "tb1"),
                                   (dt.datetime(2026, 11, 22, 9), "export", "customers")])
    at = make_app("pages/audit.py", role="operator", lang="en").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown["What"]) == ["customers", "tb1", "care_list"]
    assert "3 entries" in texts(at)

    at = make_app("pages/audit.py", role="operator", lang="en", params={"action": "export"}).run()
    assert not at.exception
    assert list(at.dataframe[0].value["What"]) == ["customers", "care_list"]


def test_imports_section_lists_the_demo_imports(app_env):
    from analysis.ingest.history import import_history

    at = make_app("pages/audit.py", role="operator", lang="en", params={"section": "imports"}).run()
    assert not at.exception
    with dbmod.connection(app_env / "demo.duckdb") as con:
        expected = import_history(con)
    assert list(at.dataframe[0].value["File"]) == list(expected["file_name"])
    assert f"{len(expected)} entries" in texts(at)


def test_empty_store_says_so(app_env):
    import os

    dbmod.open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app("pages/audit.py", role="operator", lang="en").run()
    assert not at.exception
    assert "no entries yet" in texts(at)
    at = make_app("pages/audit.py", role="operator", lang="en", params={"section": "imports"}).run()
    assert not at.exception
    assert "No file has been imported yet" in texts(at)


def test_erase_needs_confirmation_then_erases_and_logs(app_env):
    demo = app_env / "demo.duckdb"
    with dbmod.connection(demo) as con:
        cid = con.execute("SELECT customer_id FROM orders WHERE phone IS NOT NULL AND customer_id IS NOT NULL "
                          "ORDER BY customer_id LIMIT 1").fetchall()[0][0]
    at = make_app("pages/audit.py", role="operator", lang="en", params={"section": "erase"}).run()
    at.text_input[0].input(cid)
    at.button[0].click().run()
    assert "Tick the confirmation first" in texts(at)
    with dbmod.connection(demo) as con:
        assert con.execute("SELECT count(phone) FROM orders WHERE customer_id = ?", [cid]).fetchall()[0][0] > 0

    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    assert "Erased the buyer's personal data" in texts(at)
    with dbmod.connection(demo) as con:
        assert con.execute("SELECT count(phone), count(buyer_name), count(address) FROM orders "
                           "WHERE customer_id = ?", [cid]).fetchall() == [(0, 0, 0)]
        assert con.execute("SELECT actor, action, what FROM audit_log").fetchall() == [("operator", "erase", cid)]


def test_erase_unknown_id_is_a_message(app_env):
    at = make_app("pages/audit.py", role="operator", lang="en", params={"section": "erase"}).run()
    at.text_input[0].input("no-such-buyer")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    assert "No data for this customer id" in texts(at)
