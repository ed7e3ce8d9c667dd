"""The customers page: every section on demo data, in English, on an empty store, masked."""

from __future__ import annotations

import os
import re

import pytest

from analysis import db as dbmod
from analysis import ladder, periods
from tests.pages.conftest import make_app, texts

PHONE = re.compile(r"1\d{10}")


@pytest.mark.parametrize("view", ["ladder", "movement", "high_end", "rfm"])
def test_every_section_runs_in_english(app_env, view):
    at = make_app("pages/customers.py", role="viewer", lang="en",
                  params={"week": "2026-W47", "view": view}).run()
    assert not at.exception
    shown = texts(at)
    assert "Customers" in shown
    assert not re.search(r"[\u4e00-\u9fff]", "".join(m.label for m in at.metric))


def test_ladder_counts_equal_tier_counts(app_env):
    at = make_app("pages/customers.py", role="viewer", params={"week": "2026-W47"}).run()
    assert not at.exception
    with dbmod.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        counts = ladder.tier_counts(con, periods.parse_week("2026-W47").as_of)
    shown = {m.label: m.value for m in at.metric}
    assert shown["购买者"] == f"{counts['buyer']:,}"
    assert shown["拥戴者"] == f"{counts['advocate']:,}"
    assert sum(counts.values()) > 0


def test_viewer_sees_masked_phones_in_customer_lists(app_env):
    at = make_app("pages/customers.py", role="viewer", params={"week": "2026-W47"}).run()
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    assert frames, "the rung drill-down table is shown"
    for frame in frames:
        for col in frame.columns:
            values = frame[col].astype(str)
            assert not values.str.fullmatch(PHONE.pattern).any(), col


def test_section_is_kept_in_the_url(app_env):
    at = make_app("pages/customers.py", role="viewer", params={"week": "2026-W47"}).run()
    at.segmented_control[0].set_value("rfm").run()
    assert not at.exception
    assert at.query_params["view"] in ("rfm", ["rfm"])


def test_empty_store_says_what_to_upload(app_env):
    dbmod.open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app("pages/customers.py", role="operator").run()
    assert not at.exception
    assert "上传订单报表后" in texts(at)
    assert len(at.metric) == 0


def test_overview_on_an_empty_store(app_env):
    dbmod.open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app("app.py", role="viewer", lang="en").run()
    assert not at.exception
    assert "Upload an order export" in texts(at)
    assert "Data: your store's database" in texts(at)
