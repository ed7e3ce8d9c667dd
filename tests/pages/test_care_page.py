"""关怀名单 / Care lists page: every role and section on demo data, English, an empty store,
masked phones for viewers, full phones for agents, and recording a call outcome."""

from __future__ import annotations

import datetime as dt
import os
import re

import duckdb
import pytest

from tests.pages.conftest import make_app, texts

PAGE = "pages/care.py"
WEEK = {"week": "2026-W47"}
# The demo ends on Friday 2026-11-20: the last day of W47 with signed parcels.
LAST_SIGNED = "2026-11-20"
PHONE = re.compile(r"\b1\d{10}\b")
ZH_LABELS = ("今晚回访名单", "关怀话术", "记录通话结果", "感谢信名单", "回访效果", "签收日期")


def _cells(at) -> list[str]:
    return [str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel()]


def _call_list():
    from analysis import care, db

    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        return care.call_list(con, dt.date(2026, 11, 20), keep_called=True)


@pytest.mark.parametrize("role", ["viewer", "agent", "operator"])
def test_calls_on_demo_data_for_every_role(app_env, role):
    at = make_app(PAGE, role=role, params=WEEK).run()
    assert not at.exception
    assert at.query_params["list"] in ("calls", ["calls"])
    assert at.query_params["day"] in (LAST_SIGNED, [LAST_SIGNED])
    shown = texts(at)
    assert "今晚回访名单" in shown and "18:00-19:00" in shown
    assert "这是关怀电话，不是求好评" in shown  # the care script, as plain text
    calls = _call_list()
    assert len(calls) > 0
    counts = {m.label: m.value for m in at.metric}
    for agent, n in calls["agent"].value_counts().items():
        assert counts[agent] == f"{n:,}"
    assert ("记录通话结果" in shown) == (role != "viewer")


def test_viewer_sees_masked_phones_and_agent_full_phones(app_env):
    viewer = make_app(PAGE, role="viewer", params=WEEK).run()
    cells = _cells(viewer)
    assert any("****" in c for c in cells)
    assert not any(PHONE.search(c) for c in cells)
    agent = make_app(PAGE, role="agent", params=WEEK).run()
    phones = [p for d in agent.dataframe if "手机" in d.value.columns for p in d.value["手机"]]
    assert phones and set(phones) <= set(_call_list()["phone"])
    assert all(PHONE.fullmatch(p) for p in phones)


def test_agent_records_a_problem_and_a_ticket_opens(app_env):
    at = make_app(PAGE, role="agent", params=WEEK).run()
    first = _call_list().iloc[0]
    at.selectbox(key="care_record_order").set_value(0)
    at.radio(key="care_record_outcome").set_value("problem_found")
    at.text_input(key="care_record_note").input("外包装破损")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception
    assert any(first["order_id"] in s.value and "已创建工单" in s.value for s in at.success)
    with duckdb.connect(os.environ["INSIGHTS_DEMO_DB"]) as con:
        tickets = con.execute("SELECT source, category, customer_id FROM tickets "
                              "WHERE source = 'care_call' AND order_id = ?", [first["order_id"]]).fetchall()
        calls = con.execute("SELECT outcome, note, call_date FROM care_calls WHERE order_id = ?",
                            [first["order_id"]]).fetchall()
    assert tickets == [("care_call", "care_call", first["customer_id"])]
    assert calls == [("problem_found", "外包装破损", dt.date(2026, 11, 20))]
    # The list stays as it was (who calls whom), now showing the outcome.
    mine = next(d.value for d in at.dataframe if first["order_id"] in d.value["订单号"].tolist())
    assert mine.set_index("订单号").loc[first["order_id"], "通话结果"] == "发现问题（转工单）"


@pytest.mark.parametrize("section", ["thanks", "effect"])
def test_other_sections(app_env, section):
    at = make_app(PAGE, role="viewer", params={**WEEK, "list": section}).run()
    assert not at.exception
    shown = texts(at)
    if section == "thanks":
        assert "感谢信名单" in shown and len(at.dataframe) == 1
        names = at.dataframe[0].value["买家姓名"].dropna()
        assert len(names) and all("*" in n for n in names)
    else:
        assert "不是对照实验" in shown and len(at.dataframe) == 1


@pytest.mark.parametrize("section, label", [
    ("calls", "Care script"), ("thanks", "Thank-you-letter list"), ("effect", "not a controlled trial")])
def test_english(app_env, section, label):
    at = make_app(PAGE, role="agent", lang="en", params={**WEEK, "list": section}).run()
    assert not at.exception
    shown = texts(at)
    assert "Care lists" in shown and "call window 18:00-19:00" in shown and label in shown
    for zh in ZH_LABELS:
        assert zh not in shown


def test_empty_store_shows_what_to_upload(app_env):
    from analysis.db import open_db

    open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app(PAGE, role="agent", params=WEEK).run()
    assert not at.exception
    assert "含签收时间的订单报表" in texts(at)
    assert len(at.dataframe) == 0 and len(at.metric) == 0


def test_day_from_the_url_and_a_day_without_parcels(app_env):
    # Sunday 2026-11-22 is in W47 but after the demo's last day: nothing to call about.
    at = make_app(PAGE, role="agent", params={**WEEK, "day": "2026-11-22"}).run()
    assert not at.exception
    assert at.query_params["day"] in ("2026-11-22", ["2026-11-22"])
    assert "2026年11月22日没有需要回访的签收订单" in texts(at) and len(at.dataframe) == 0
    # A day outside the chosen week falls back to the week's last day with parcels.
    at = make_app(PAGE, role="agent", params={**WEEK, "day": "2026-10-01"}).run()
    assert at.query_params["day"] in (LAST_SIGNED, [LAST_SIGNED])


def test_call_list_says_when_delivery_is_only_the_confirmation(app_env):
    """Orders exported without 签收时间: the list is built from 确认收货时间 and says so."""
    import os

    from analysis.db import connection
    from analysis.ingest import import_bytes

    data = ("订单编号,买家会员名,买家实际支付金额,订单付款时间,确认收货时间,联系手机\n"
            "1001,tb_a,399,2026-11-10 10:00:00,2026-11-16 18:10:00,13800001111\n").encode()
    with connection(os.environ["INSIGHTS_DB"]) as con:
        import_bytes(con, data, "orders.csv", "orders")
    at = make_app("pages/care.py", role="agent", params={"week": "2026-W47"}).run()
    assert not at.exception
    assert any("确认收货时间" in w.value for w in at.warning)
