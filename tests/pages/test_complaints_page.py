"""投诉处理 / Complaints page: demo data for every role, English, an empty store, URL state,
and figures equal to the analysis functions' values."""

from __future__ import annotations

import os
import re

import pytest

from tests.pages.conftest import make_app, texts

PAGE = "pages/complaints.py"
WEEK = {"week": "2026-W47"}
# Chinese labels of this page that must not appear in English.
ZH_LABELS = ("处理速度", "差评来路", "工单数", "未结工单", "退款", "口径")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _week_figures():
    from analysis import bad_reviews, complaints, db
    from analysis.periods import parse_week

    p = parse_week("2026-W47")
    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        return (complaints.complaints_summary(con, p.start, p.end, p.as_of),
                bad_reviews.no_contact_reviews(con, p.start, p.end),
                complaints.speed_by(con, p.start, p.end, p.as_of, "agent"))


@pytest.mark.parametrize("role", ["viewer", "agent", "operator"])
def test_runs_on_demo_data_for_every_role(app_env, role):
    at = make_app(PAGE, role=role, params=WEEK).run()
    assert not at.exception
    shown = texts(at)
    assert "处理速度" in shown and "差评来路" in shown
    assert "解决时限（SLA）24 小时" in shown and "差评来路回看 30 天" in shown
    assert len(at.dataframe) >= 2


def test_figures_equal_the_analysis_values(app_env):
    at = make_app(PAGE, role="viewer", params=WEEK).run()
    summary, no_contact, by_agent = _week_figures()
    metrics = {m.label: m.value for m in at.metric}
    assert summary["count"]  # the demo week has tickets: the test cannot pass on "—"
    assert metrics["工单数"] == f"{summary['count']:,}"
    assert metrics["未结工单"] == f"{summary['open']:,}"
    assert metrics["解决时长中位数（小时）"] == f"{summary['resolution_median_h']:,.1f}"
    assert metrics["24 小时内解决占比"] == f"{summary['within_sla_share'] * 100:.1f}%"
    listed = next(d.value for d in at.dataframe if "评价内容" in d.value.columns)
    assert listed["订单号"].tolist() == no_contact["order_id"].tolist()
    # Review text is shown as plain text, exactly as stored.
    assert listed["评价内容"].tolist() == no_contact["content"].tolist()


def test_breakdown_follows_the_url(app_env):
    at = make_app(PAGE, role="viewer", params={**WEEK, "by": "agent"}).run()
    assert not at.exception
    assert at.query_params["by"] in ("agent", ["agent"])
    _, _, by_agent = _week_figures()
    table = next(d.value for d in at.dataframe if "客服" in d.value.columns)
    assert table["客服"].tolist() == [a if a is not None else "—" for a in by_agent["agent"]]
    assert table["工单数"].tolist() == [f"{n:,}" for n in by_agent["count"]]


def test_english(app_env):
    at = make_app(PAGE, role="agent", lang="en", params=WEEK).run()
    assert not at.exception
    shown = texts(at)
    assert "Complaint speed" in shown and "Bad-review paths" in shown and "Tickets" in shown
    assert "Resolved within 24 h" in shown
    for label in ZH_LABELS:
        assert label not in shown
    assert not CJK.search(shown), CJK.findall(shown)


def test_empty_store_shows_what_to_upload(app_env):
    from analysis.db import open_db

    open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app(PAGE, role="operator", params=WEEK).run()
    assert not at.exception
    assert "客服工单或退款/售后记录" in texts(at)
    assert len(at.metric) == 0 and len(at.dataframe) == 0


def test_store_without_tickets_says_so_and_still_shows_reviews(app_env):
    import shutil

    import duckdb

    shutil.copy(os.environ["INSIGHTS_DEMO_DB"], os.environ["INSIGHTS_DB"])
    with duckdb.connect(os.environ["INSIGHTS_DB"]) as con:
        con.execute("DELETE FROM tickets")
    at = make_app(PAGE, role="viewer", params=WEEK).run()
    assert not at.exception
    shown = texts(at)
    assert "客服工单或退款/售后记录" in shown and "差评来路" in shown
    labels = [m.label for m in at.metric]
    assert "工单数" not in labels and "未联系客服" in labels


def test_new_figures_carry_the_numbers():
    import pandas as pd

    from analysis import complaint_figures as figs
    from analysis.charts import PATH_COLOURS

    speed = figs.speed_by_group_figure(pd.DataFrame({
        "channel": ["旺旺", None], "first_response_median_h": [0.5, None],
        "resolution_median_h": [4.0, 6.5]}), "channel", "en")
    assert [tr.name for tr in speed.data] == ["First response, median", "Resolution, median"]
    assert list(speed.data[0].x) == ["旺旺", "—"]
    assert list(speed.data[1].y) == [4.0, 6.5] and pd.isna(speed.data[0].y[1])
    refunds = figs.refund_rate_figure(pd.DataFrame({
        "week": ["2026-W46", "2026-W47"], "refund_rate": [0.1, None],
        "refund_amount_share": [0.05, 0.0]}), "zh")
    assert list(refunds.data[0].y)[0] == 0.1 and pd.isna(refunds.data[0].y[1])
    assert refunds.data[0].line.color == PATH_COLOURS["no_contact"]
    assert refunds.layout.yaxis.tickformat == ".0%"
