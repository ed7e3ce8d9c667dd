"""The app shell: sign-in and roles, language, URL state, the demo badge, the overview."""

from __future__ import annotations

import duckdb
import pytest

from tests.pages.conftest import PASSWORDS, make_app, texts

PAGES = ["pages/overview.py", "pages/customers.py", "pages/reviews.py", "pages/complaints.py",
         "pages/care.py", "pages/upload.py", "pages/settings.py"]


@pytest.mark.parametrize("page", PAGES)
def test_direct_page_url_shows_only_the_sign_in_form(app_env, page):
    at = make_app(page).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["密码"]
    assert len(at.dataframe) == 0 and len(at.metric) == 0 and len(at.file_uploader) == 0
    assert "总览" not in texts(at).replace("评价与忠诚度洞察", "")


def test_password_decides_the_role(app_env):
    for role, key in (("viewer", "viewer_password"), ("agent", "agent_password"),
                      ("operator", "operator_password")):
        at = make_app().run()
        at.text_input[0].input(PASSWORDS[key])
        at.button[0].click().run()
        assert not at.exception
        assert at.session_state["auth_role"] == role


def test_wrong_password_is_refused(app_env):
    at = make_app().run()
    at.text_input[0].input("nope")
    at.button[0].click().run()
    assert "密码不正确" in texts(at)
    assert "auth_role" not in at.session_state


def test_role_without_password_cannot_sign_in(app_env):
    at = make_app(passwords=False)
    at.secrets["access"] = {"viewer_password": "only-viewer"}
    at.run()
    at.text_input[0].input("")
    at.button[0].click().run()
    assert "auth_role" not in at.session_state


def test_open_mode_says_so_and_is_operator(app_env):
    at = make_app(passwords=False).run()
    assert not at.exception
    assert "未设置密码" in texts(at)
    assert "运营" in texts(at)


def test_viewer_cannot_open_upload(app_env):
    at = make_app("pages/upload.py", role="viewer").run()
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert "不能打开此页面" in texts(at)


def test_sidebar_shows_demo_badge_and_latest_week(app_env):
    at = make_app(role="viewer").run()
    assert not at.exception
    assert "演示数据" in texts(at)
    assert at.query_params["week"] == ["2026-W47"] or at.query_params["week"] == "2026-W47"
    assert at.query_params["lang"] in ("zh", ["zh"])


def test_english_from_the_url(app_env):
    at = make_app(role="viewer", lang="en").run()
    assert not at.exception
    shown = texts(at)
    assert "Overview" in shown and "Demo data" not in shown or "demo data" in shown
    assert "总览" not in shown


def test_week_from_the_url_is_kept(app_env):
    at = make_app(role="viewer", params={"week": "2026-W45"}).run()
    assert not at.exception
    assert "2026年第45周" in texts(at)


def test_overview_figures_equal_the_summary(app_env):
    from analysis import db as dbmod
    from analysis.overview import week_figures

    at = make_app(role="viewer", params={"week": "2026-W47"}).run()
    assert not at.exception
    with dbmod.connection(app_env / "demo.duckdb") as con:
        fig = week_figures(con, "2026-W47")
    shown = {m.label: m.value for m in at.metric}
    assert shown["评价数"] == f"{fig['reviews']:,}"
    assert shown["新购买者"] == f"{fig['new_buyers']:,}"
    assert shown["支持者"] == f"{fig['tiers']['supporter']:,}"


def test_settings_change_by_operator_is_stored(app_env):
    at = make_app("pages/settings.py", role="operator").run()
    assert not at.exception
    sla = next(n for n in at.number_input if n.label.startswith("解决时限"))
    sla.set_value(48)
    at.button[0].click().run()
    assert not at.exception
    with duckdb.connect(str(app_env / "demo.duckdb")) as con:
        value = con.execute("SELECT value FROM settings WHERE key = 'complaints.sla_hours'").fetchone()
    assert value == ("48",)


def test_settings_read_only_for_viewer(app_env):
    at = make_app("pages/settings.py", role="viewer").run()
    assert not at.exception
    assert all(n.disabled for n in at.number_input)
    assert "只有运营可以修改设置" in texts(at)


def test_overview_says_when_the_week_is_not_over(app_env):
    at = make_app(role="viewer", params={"week": "2026-W47"}).run()
    assert "本周还没有结束：数据截至 2026年11月20日" in texts(at)
    at = make_app(role="viewer", params={"week": "2026-W46"}).run()
    assert not at.exception
    assert "本周还没有结束" not in texts(at)


@pytest.mark.parametrize("page", PAGES + ["pages/audit.py"])
@pytest.mark.parametrize("empty", [False, True])
def test_every_page_in_english_on_demo_and_on_an_empty_store(app_env, page, empty):
    import os
    import re

    from analysis.db import open_db

    if empty:
        open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app(page, role="operator", lang="en").run()
    assert not at.exception
    titles = " ".join(str(t.value) for t in at.title)
    assert titles and not re.search(r"[\u4e00-\u9fff]", titles), titles


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_a_store_with_orders_only(app_env, page):
    """Partial data: no reviews, tickets or contacts yet. Weeks without a figure (no reviews
    to count) leave gaps in the overview's lines, never an error."""
    import os

    from analysis import ladder_store
    from analysis.db import connection

    with connection(os.environ["INSIGHTS_DB"]) as con:
        con.execute(
            "INSERT INTO orders (shop, order_id, customer_id, pay_time, paid_amount, item_title) "
            "VALUES ('S', '1', 'A', TIMESTAMP '2026-11-10 10:00', 99, '杯子'), "
            "('S', '2', 'A', TIMESTAMP '2026-11-18 10:00', 59, '杯子'), "
            "('S', '3', 'B', TIMESTAMP '2026-11-19 10:00', 199, '壶')")
        ladder_store.refresh(con)
    at = make_app(page, role="operator", params={"week": "2026-W47"}).run()
    assert not at.exception, at.exception
