"""Complaint speed, backlog, escalation and refund rate against hand-computed answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import complaints, ladder_store
from analysis.settings import DEFAULTS

D = dt.datetime
AS_OF = D(2026, 1, 10)


def add_ticket(con, tid, opened, first=None, resolved=None, *, shop="店A", **cols):
    names = ["shop", "ticket_id", "opened_at", "first_response_at", "resolved_at", *cols]
    con.execute(
        f"INSERT INTO tickets ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [shop, tid, opened, first, resolved, *cols.values()],
    )


@pytest.fixture
def six(con):
    day = D(2026, 1, 1)
    h = lambda n: day + dt.timedelta(hours=n)  # noqa: E731
    add_ticket(con, "T1", day, h(1), h(2), channel="旺旺", agent="甲")
    add_ticket(con, "T2", day, h(2), h(4), channel="旺旺", agent="甲")
    add_ticket(con, "T3", day, h(3), h(10), channel="电话", agent="乙")
    add_ticket(con, "T4", day, h(6), h(30), channel="电话", agent="乙")
    # Never answered, never resolved: open 216 h at AS_OF, past the 24 h SLA.
    add_ticket(con, "T5", day, channel="电话", agent="乙")
    # Opened 12 h before AS_OF: open but still inside the SLA, so not counted in the share.
    add_ticket(con, "T6", D(2026, 1, 9, 12), channel="旺旺")
    return con


def test_summary_medians_p90_and_sla(six):
    got = complaints.complaints_summary(six, None, None, AS_OF)
    # first response over T1–T4 [1, 2, 3, 6]: median 2.5, P90 at 2.7 → 3 + 0.7 × 3 = 5.1
    # resolution [2, 4, 10, 30]: median 7, P90 10 + 0.7 × 20 = 24
    # SLA: 3 within 24 h / (4 resolved + T5 past SLA) = 0.6
    assert got["count"] == 6
    assert got["open"] == 2
    assert got["first_response_median_h"] == pytest.approx(2.5)
    assert got["first_response_p90_h"] == pytest.approx(5.1)
    assert got["resolution_median_h"] == pytest.approx(7.0)
    assert got["resolution_p90_h"] == pytest.approx(24.0)
    assert got["within_sla_share"] == pytest.approx(0.6)
    assert got["sla_h"] == 24.0


def test_resolution_after_as_of_is_still_open(six):
    # As of Jan 1 20:00: T4 (resolved at +30 h) is open and 20 h old; T1–T3 resolved.
    got = complaints.complaints_summary(six, None, None, D(2026, 1, 1, 20))
    assert got["count"] == 5  # T6 not opened yet
    assert got["open"] == 2  # T4, T5
    assert got["resolution_median_h"] == pytest.approx(4.0)
    assert got["within_sla_share"] == pytest.approx(1.0)  # nobody past 24 h yet
    # One second after both are 24 h old, T4 and T5 are past the SLA: 3 / (3 + 2).
    assert complaints.complaints_summary(six, None, None, D(2026, 1, 2, 0, 0, 1))[
        "within_sla_share"] == pytest.approx(3 / 5)


def test_window_and_shop_filters(six):
    add_ticket(six, "X1", D(2026, 1, 1), D(2026, 1, 1, 5), shop="店B")
    got = complaints.complaints_summary(six, D(2026, 1, 5), D(2026, 1, 12), AS_OF, shop="店A")
    assert got["count"] == 1  # T6 only
    assert got["first_response_median_h"] is None
    assert got["resolution_median_h"] is None
    assert got["within_sla_share"] is None  # T6 inside SLA: nothing to count
    assert got["open"] == 2  # state: every open ticket of 店A, whatever the window
    assert complaints.complaints_summary(six, None, None, AS_OF, shop="店B")["first_response_median_h"] == 5.0


def test_no_tickets_gives_none(con):
    got = complaints.complaints_summary(con, None, None, None)
    assert {k: v for k, v in got.items() if k != "sla_h"} == dict.fromkeys(
        ["count", "open", "first_response_median_h", "first_response_p90_h",
         "resolution_median_h", "resolution_p90_h", "within_sla_share"])
    assert complaints.backlog_by_age(con, AS_OF)["tickets"].tolist() == [None] * 4


def test_closed_status_without_time_is_not_open(con):
    add_ticket(con, "C1", D(2026, 1, 1), status="已解决")
    got = complaints.complaints_summary(con, None, None, AS_OF)
    assert got["open"] == 0 and got["resolution_median_h"] is None and got["within_sla_share"] is None


def test_speed_by_channel_and_agent(six):
    ch = complaints.speed_by(six, None, None, AS_OF, "channel").set_index("channel")
    assert ch.loc["旺旺", "count"] == 3
    assert ch.loc["旺旺", "first_response_median_h"] == pytest.approx(1.5)  # [1, 2]
    assert ch.loc["旺旺", "within_sla_share"] == pytest.approx(1.0)  # T6 inside SLA
    assert ch.loc["电话", "resolution_median_h"] == pytest.approx(20.0)  # [10, 30]
    assert ch.loc["电话", "within_sla_share"] == pytest.approx(1 / 3)  # T3 / (T3, T4, T5)
    ag = complaints.speed_by(six, None, None, AS_OF, "agent")
    assert ag["agent"].tolist() == ["乙", "甲", None]
    assert ag["first_response_median_h"].tolist()[2] is None  # T6: no answer, no agent
    wk = complaints.speed_by(six, None, None, AS_OF, "week")
    assert wk["week"].tolist() == ["2026-W01", "2026-W02"]
    assert wk["count"].tolist() == [5, 1]
    with pytest.raises(ValueError):
        complaints.speed_by(six, None, None, AS_OF, "colour")


def test_every_grouping_from_one_scan_equals_each_alone(six):
    each = complaints.speed_by_each(six, None, None, AS_OF)
    assert list(each) == ["week", "channel", "category", "agent"]
    for by, df in each.items():
        pd.testing.assert_frame_equal(df, complaints.speed_by(six, None, None, AS_OF, by))
    assert each["channel"].set_index("channel").loc["电话", "resolution_median_h"] == pytest.approx(20.0)
    assert each["agent"]["agent"].tolist() == ["乙", "甲", None]
    one_week = complaints.speed_by_each(six, D(2026, 1, 5), D(2026, 1, 12), AS_OF, ("agent", "week"))
    assert one_week["week"]["count"].tolist() == [1]
    assert one_week["agent"]["count"].sum() == 1
    with pytest.raises(ValueError):
        complaints.speed_by_each(six, None, None, AS_OF, ())


BH = {**DEFAULTS, "complaints.business_hours": True, "complaints.working_days": [1, 2, 3, 4, 5]}


@pytest.mark.parametrize("opened, starts", [
    (D(2026, 1, 1, 10), D(2026, 1, 1, 10)),        # Thu daytime: at once
    (D(2026, 1, 1, 9), D(2026, 1, 1, 9)),          # 09:00 sharp is daytime
    (D(2026, 1, 1, 23), D(2026, 1, 2, 9)),         # 23:00 sharp is night → Fri 09:00
    (D(2026, 1, 1, 23, 30), D(2026, 1, 2, 9)),     # across midnight
    (D(2026, 1, 2, 2), D(2026, 1, 2, 9)),          # Fri small hours
    (D(2026, 1, 2, 23, 30), D(2026, 1, 5, 9)),     # Fri night → Mon
    (D(2026, 1, 3, 14), D(2026, 1, 5, 9)),         # Saturday afternoon → Mon
    (D(2026, 1, 4, 8), D(2026, 1, 5, 9)),          # Sunday morning → Mon
    (D(2026, 1, 5, 8, 59), D(2026, 1, 5, 9)),      # Monday before opening
])
def test_business_clock_start_weekdays(con, opened, starts):
    assert complaints.business_clock_start(con, [opened], BH) == [starts]


def test_business_clock_start_all_days_and_off(con):
    every_day = {**BH, "complaints.working_days": [1, 2, 3, 4, 5, 6, 7]}
    got = complaints.business_clock_start(
        con, [D(2026, 1, 2, 23, 30), D(2026, 1, 3, 14)], every_day)
    assert got == [D(2026, 1, 3, 9), D(2026, 1, 3, 14)]
    off = complaints.business_clock_start(con, [D(2026, 1, 2, 23, 30)], DEFAULTS)
    assert off == [D(2026, 1, 2, 23, 30)]


def test_summary_with_business_hours(con):
    # Fri 23:30 answered Mon 10:00 → 1 h; resolved Mon 12:00 → 3 h (clock from Mon 09:00).
    add_ticket(con, "B1", D(2026, 1, 2, 23, 30), D(2026, 1, 5, 10), D(2026, 1, 5, 12))
    # Thu 23:30 answered by a night shift at 01:00: before the clock starts → 0 h.
    add_ticket(con, "B2", D(2026, 1, 1, 23, 30), D(2026, 1, 2, 1), D(2026, 1, 2, 11))
    got = complaints.complaints_summary(con, None, None, AS_OF, settings=BH)
    assert got["first_response_median_h"] == pytest.approx(0.5)  # [0, 1]
    assert got["resolution_median_h"] == pytest.approx(2.5)  # [3, 2]
    plain = complaints.complaints_summary(con, None, None, AS_OF)
    assert plain["first_response_median_h"] == pytest.approx((58.5 + 1.5) / 2)


def test_backlog_by_age(con):
    for tid, hours in (("a", 1), ("b", 23.9), ("c", 24), ("d", 71), ("e", 72), ("f", 200)):
        add_ticket(con, tid, AS_OF - dt.timedelta(hours=hours))
    add_ticket(con, "done", D(2026, 1, 1), resolved=D(2026, 1, 2))
    add_ticket(con, "later", AS_OF + dt.timedelta(hours=1))
    got = complaints.backlog_by_age(con, AS_OF)
    assert got["bucket"].tolist() == ["lt_24h", "1_3d", "3_7d", "gt_7d"]
    assert got["tickets"].tolist() == [2, 2, 1, 1]


def test_backlog_of_a_week_still_running_ages_to_where_the_data_end(con):
    add_ticket(con, "a", D(2026, 1, 5, 9))  # Monday of W02, still open
    add_ticket(con, "b", D(2026, 1, 1, 9), D(2026, 1, 6, 12))  # answered: the latest event
    week_end = D(2026, 1, 11, 23, 59, 59)
    at = complaints.backlog_instant(con, week_end)
    assert at == D(2026, 1, 6, 12)
    # Where the data end "a" is 27 hours old and "b" 5.1 days; at the week's end they
    # would be 6.6 and 10.6 days.
    assert complaints.backlog_by_age(con, at)["tickets"].tolist() == [0, 1, 1, 0]
    assert complaints.backlog_by_age(con, week_end)["tickets"].tolist() == [0, 0, 1, 1]
    # A past week keeps its own end; no tickets at all: the instant asked for.
    assert complaints.backlog_instant(con, D(2026, 1, 4, 23, 59)) == D(2026, 1, 4, 23, 59)
    assert complaints.backlog_instant(con, week_end, shop="店Z") == week_end


def test_escalation_reopen(con):
    add_ticket(con, "r1", D(2026, 1, 1), source="refund", escalated=True, reopened=False)
    add_ticket(con, "r2", D(2026, 1, 2), source="refund", escalated=False)
    add_ticket(con, "r3", D(2026, 1, 3), source="refund", escalated=False)
    add_ticket(con, "h1", D(2026, 1, 3), source="helpdesk")
    got = complaints.escalation_reopen(con, None, None)
    assert got == {"count": 4, "escalated": 1, "escalation_rate": pytest.approx(1 / 3),
                   "reopened": 0, "reopen_rate": 0.0}
    none = complaints.escalation_reopen(con, D(2026, 1, 3), None)
    assert none["count"] == 2 and none["reopen_rate"] is None and none["reopened"] is None


def add_order(con, oid, paid, pay_time, *, title="杯子", refund=None, status=None, shop="店A"):
    con.execute(
        "INSERT INTO orders (shop, order_id, customer_id, pay_time, paid_amount, refund_amount, "
        "item_title, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [shop, oid, "c" + oid, pay_time, paid, refund, title, status],
    )


@pytest.mark.parametrize("stored", [False, True])
def test_refund_rate_by_week_and_item(con, stored):
    add_order(con, "o1", 100, D(2026, 1, 5), title="杯子", refund=100, status="退款成功")
    add_order(con, "o2", 200, D(2026, 1, 6), title="壶")
    add_order(con, "o3", 300, D(2026, 1, 7), title="壶")
    add_order(con, "o4", 400, D(2026, 1, 12), title="杯子")
    # Refund export: o2 refunded 50 (success), o3's request refused, o4 refunded 40 and the
    # order export also says 40 → counted once.
    add_ticket(con, "R2", D(2026, 1, 7), resolved=D(2026, 1, 8), source="refund",
               order_id="o2", refund_amount=50, status="退款成功")
    add_ticket(con, "R3", D(2026, 1, 8), resolved=D(2026, 1, 9), source="refund",
               order_id="o3", refund_amount=300, status="卖家拒绝退款")
    add_ticket(con, "R4", D(2026, 1, 13), resolved=D(2026, 1, 14), source="refund",
               order_id="o4", refund_amount=40)
    con.execute("UPDATE orders SET refund_amount = 40 WHERE order_id = 'o4'")
    if stored:  # the stored refunded orders give the same answers
        ladder_store.refresh(con)
    assert ladder_store.is_current(con) is stored
    wk = complaints.refund_rate(con, None, None)
    assert wk["week"].tolist() == ["2026-W02", "2026-W03"]
    assert wk["paid_orders"].tolist() == [3, 1]
    assert wk["refunded_orders"].tolist() == [2, 1]
    assert wk["refund_amount"].tolist() == [150.0, 40.0]
    assert wk["refund_rate"].tolist() == pytest.approx([2 / 3, 1.0])
    assert wk["refund_amount_share"].tolist() == pytest.approx([150 / 600, 0.1])
    items = complaints.refund_rate(con, None, None, by="item").set_index("item_title")
    assert items.loc["杯子", "refunded_orders"] == 2 and items.loc["杯子", "refund_amount"] == 140.0
    assert items.loc["壶", "refund_rate"] == pytest.approx(0.5)
    assert complaints.refund_rate(con, D(2026, 2, 1), None).empty


def test_cfpb_export_has_no_first_response(con, realdata):
    """A real complaint export without first-response times: those figures stay None."""
    con.execute(
        "INSERT INTO tickets (shop, ticket_id, opened_at, channel, category, source) "
        "SELECT 'cfpb', \"Complaint ID\", CAST(\"Date received\" AS TIMESTAMP), \"Submitted via\", "
        "Product, 'helpdesk' FROM read_csv(?, all_varchar = true)",
        [str(realdata / "cfpb_complaints_sample_iso.csv")],
    )
    n, last = con.execute("SELECT count(*), max(opened_at) FROM tickets").fetchone()
    got = complaints.complaints_summary(con, None, None, None, shop="cfpb")
    assert got["count"] == n > 0
    assert got["first_response_median_h"] is None and got["first_response_p90_h"] is None
    # "Timely response?" is not a resolution: nothing resolved, every ticket still open.
    assert got["resolution_median_h"] is None and got["open"] == n
    # The newest day's tickets are 0 h old at the data's end, the rest are past the SLA.
    newest = con.execute("SELECT count(*) FROM tickets WHERE opened_at = ?", [last]).fetchone()[0]
    assert got["within_sla_share"] == 0.0 if n > newest else got["within_sla_share"] is None
    by_channel = complaints.speed_by(con, None, None, None, "channel", shop="cfpb")
    assert by_channel["first_response_median_h"].isna().all()
