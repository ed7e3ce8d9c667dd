"""Care lists: call list, agent split, call outcomes, call effect and thank-you letters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import care, ladder_store
from analysis.errors import UserError
from analysis.i18n.complaints import CALL_SCRIPT

D = dt.datetime
DAY = dt.date(2026, 3, 10)
S = {"high_end.amount": 500, "care.agents": ["甲", "乙"], "care.calls_per_agent": 2}


def add_order(con, oid, cust, price, *, signed=None, paid=None, shipped=None, status=None,
              pay=True, shop="店A"):
    con.execute(
        "INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount, "
        "item_title, quantity, unit_price, status, ship_time, signed_time, buyer_name, phone) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
        [shop, oid, cust, paid or D(2026, 3, 1), (paid or D(2026, 3, 1)) if pay else None,
         price if pay else 0, "商品" + oid, price, status, shipped, signed, "买家" + cust,
         "13800000000"],
    )


def at(hour):
    return D(2026, 3, 10, hour)


@pytest.fixture(params=["live", "stored"])
def tonight(request, con):
    """The rows below; ``stored`` also builds the stored day ends, which the call list then
    reads its rungs from (the same hand-written answers either way)."""
    _tonight(con)
    if request.param == "stored":
        ladder_store.refresh(con, S)
    day_end = D(2026, 3, 11) - dt.timedelta(microseconds=1)
    assert (ladder_store.day_index(con, day_end, S) is not None) is (request.param == "stored")
    return con


def _tonight(con):
    add_order(con, "a1", "A", 800, signed=at(10))
    add_order(con, "b1", "B", 800, signed=at(10))  # open ticket → out
    con.execute("INSERT INTO tickets (shop, ticket_id, customer_id, opened_at) "
                "VALUES ('店A', 'tb', 'B', '2026-03-09 08:00')")
    add_order(con, "b2", "B2", 800, signed=at(11))  # resolved ticket → stays
    con.execute("INSERT INTO tickets (shop, ticket_id, customer_id, opened_at, resolved_at) "
                "VALUES ('店A', 'tb2', 'B2', '2026-03-08 08:00', '2026-03-09 08:00')")
    add_order(con, "c1", "C", 800, signed=at(10))  # do-not-call → out
    con.execute("INSERT INTO do_not_call VALUES ('店A', 'C', '投诉骚扰', '2026-01-01')")
    add_order(con, "e1", "E", 800, signed=at(10))  # called 29 days ago → out
    add_order(con, "f1", "F", 800, signed=at(12))  # called 31 days ago → stays
    for cust, days in (("E", 29), ("F", 31)):
        con.execute("INSERT INTO care_calls (shop, call_date, customer_id, agent, outcome) "
                    "VALUES ('店A', ?, ?, '甲', 'reached')", [DAY - dt.timedelta(days=days), cust])
    # G: cheap items but a supporter (4 purchases in 365 days).
    for i, month in enumerate((1, 2, 3)):
        add_order(con, f"g{i}", "G", 100, paid=D(2026, month, 1), shipped=D(2026, month, 2))
    add_order(con, "g9", "G", 100, signed=at(9))
    add_order(con, "h1", "H", 100, signed=at(9))  # one cheap purchase → out
    add_order(con, "i1", "I", 800, signed=D(2026, 3, 9, 20))  # signed yesterday → out
    add_order(con, "j1", "J", 800, signed=at(10), status="交易关闭")  # cancelled → out
    add_order(con, "k1", "K", 800, signed=at(13))  # K: one call, the dearer order
    add_order(con, "k2", "K", 900, signed=at(14))
    add_order(con, "x1", "A", 800, signed=at(10), shop="店B")  # other shop


def test_call_list(tonight):
    df = care.call_list(tonight, DAY, shop="店A", settings=S)
    assert df["customer_id"].tolist() == ["A", "F", "B2", "K", "G"]
    assert df["order_id"].tolist() == ["a1", "f1", "b2", "k2", "g9"]
    assert df["agent"].tolist() == ["甲", "甲", "乙", "乙", None]
    assert df["seq"].tolist()[:4] == [1, 2, 1, 2]
    assert df["reason"].tolist() == ["high_end"] * 4 + ["supporter"]
    assert df["call_window"].unique().tolist() == ["18:00-19:00"]
    assert df.loc[4, "item_title"] == "商品g9" and df.loc[0, "phone"] == "13800000000"
    both = care.call_list(tonight, DAY, settings=S)
    assert len(both) == 6 and (both["shop"] == "店B").sum() == 1


def test_call_list_settings(tonight):
    no_high = care.call_list(tonight, DAY, shop="店A", settings={**S, "care.include_high_end": False})
    assert no_high["customer_id"].tolist() == ["G"]
    buyers = care.call_list(tonight, DAY, shop="店A", settings={
        **S, "care.min_rung": "buyer", "care.calls_per_agent": 10})
    assert sorted(buyers["customer_id"]) == ["A", "B2", "F", "G", "H", "K"]
    assert care.call_list(tonight, dt.date(2026, 3, 11), shop="店A", settings=S).empty


@pytest.mark.parametrize("cap, assigned, counts, overflow", [
    (20, 100, [20, 20, 20, 20, 20], 3),
    (25, 103, [21, 21, 21, 20, 20], 0),
])
def test_assign_103_calls_over_5_agents(cap, assigned, counts, overflow):
    df = pd.DataFrame({
        "order_id": [f"o{i:03d}" for i in range(103)],
        "high_end": [i % 10 == 0 for i in range(103)],  # 11 high-end orders
        "signed_time": [D(2026, 3, 10, 8) + dt.timedelta(minutes=i) for i in range(103)],
    })
    agents = ["甲", "乙", "丙", "丁", "戊"]
    got, rest = care.assign_agents(df, agents, cap)
    assert len(got) == assigned and len(rest) == overflow
    assert got["agent"].value_counts().reindex(agents).tolist() == counts
    assert got["high_end"].sum() == 11  # high-end first: never in the overflow
    assert got[got["agent"] == "甲"]["order_id"].tolist()[:3] == ["o000", "o050", "o100"]
    if overflow:
        # the last three non-high-end orders (o100 is high-end)
        assert rest["order_id"].tolist() == ["o099", "o101", "o102"]
    assert care.assign_agents(df, [], 20)[0].empty
    # Given in priority order already, the same split without sorting again.
    ordered = df.sort_values(["high_end", "signed_time"], ascending=[False, True])
    again, rest_again = care.assign_agents(ordered, agents, cap, presorted=True)
    pd.testing.assert_frame_equal(again, got)
    pd.testing.assert_frame_equal(rest_again, rest)


def test_record_call_and_problem_ticket(tonight):
    got = care.record_call(tonight, shop="店A", order_id="a1", customer_id="A", agent="甲",
                           outcome="problem_found", note="杯子有裂纹", recorded_by="甲",
                           call_date=DAY)
    assert got["ticket_id"].startswith("care-")
    row = tonight.execute("SELECT source, order_id, customer_id, resolved_at, item_title "
                          "FROM tickets WHERE ticket_id = ?", [got["ticket_id"]]).fetchone()
    assert row == ("care_call", "a1", "A", None, "商品a1")
    calls = tonight.execute("SELECT outcome, note, ticket_id FROM care_calls "
                            "WHERE order_id = 'a1'").fetchall()
    assert calls == [("problem_found", "杯子有裂纹", got["ticket_id"])]
    reached = care.record_call(tonight, shop="店A", order_id="f1", customer_id="F", agent="乙",
                               outcome="reached", call_date=DAY)
    assert reached["ticket_id"] is None
    assert "A" not in care.call_list(tonight, DAY, shop="店A", settings=S)["customer_id"].tolist()
    with pytest.raises(UserError) as err:
        care.record_call(tonight, shop="店A", order_id="a1", customer_id="A", agent="甲",
                         outcome="good review")
    assert err.value.key == "care.bad_outcome" and "reached" in err.value.message("en")
    with pytest.raises(UserError):
        care.record_call(tonight, shop="店A", order_id="a1", customer_id="A", agent=" ",
                         outcome="reached")


def test_call_effect(con):
    w10 = D(2026, 3, 3, 10)
    for oid in ("o1", "o2", "o3", "o4", "o5"):
        add_order(con, oid, "c" + oid, 100, signed=w10)
    add_order(con, "o6", "co6", 100, signed=D(2026, 3, 10, 10))  # W11
    add_order(con, "o0", "co0", 100, signed=D(2026, 1, 5, 10))  # W02: before the 2 weeks
    for oid in ("o1", "o2"):
        con.execute("INSERT INTO care_calls (shop, call_date, order_id, customer_id, agent, "
                    "outcome) VALUES ('店A', '2026-03-03', ?, ?, '甲', 'reached')", [oid, "c" + oid])
    for oid in ("o2", "o3", "o5", "o0"):
        con.execute("INSERT INTO reviews (shop, review_key, order_id, customer_id, rating, "
                    "review_time) VALUES ('店A', ?, ?, ?, 1, '2026-03-06')", [oid, oid, "c" + oid])
    con.execute("INSERT INTO tickets (shop, ticket_id, order_id, opened_at) "
                "VALUES ('店A', 't5', 'o5', '2026-03-04')")  # o5 had contact first
    df = care.call_effect(con, shop="店A", weeks=2)
    assert df["week"].tolist() == ["2026-W10", "2026-W11"]
    assert df["called_orders"].tolist() == [2, 0]
    assert df["called_no_contact_bad"].tolist() == [1, 0]
    assert df["called_rate"].tolist() == [0.5, None]
    assert df["not_called_orders"].tolist() == [3, 1]
    assert df["not_called_no_contact_bad"].tolist() == [1, 0]
    assert df["not_called_rate"].tolist() == pytest.approx([1 / 3, 0.0])


def test_thank_you_list(con):
    add_order(con, "t1", "P", 800, paid=D(2026, 3, 5))
    add_order(con, "t2", "Q", 100, paid=D(2026, 3, 1))
    add_order(con, "t3", "R", 100, paid=D(2026, 3, 2), shipped=D(2026, 3, 6))
    add_order(con, "t4", "S", 800, paid=D(2026, 3, 2), status="已取消")
    add_order(con, "t5", "T", 800, pay=False)
    add_order(con, "t0", "U", 800, paid=D(2026, 2, 1), shipped=D(2026, 2, 2))
    add_order(con, "t6", "U", 100, paid=D(2026, 3, 3))
    now = care.thank_you_list(con, settings=S)
    assert now["order_id"].tolist() == ["t6", "t1", "t2"]
    assert now["high_end"].tolist() == [True, True, False]
    then = care.thank_you_list(con, as_of=D(2026, 3, 4), settings=S)
    assert then["order_id"].tolist() == ["t6", "t2", "t3"]


def test_fallback_high_end_price_is_80th_percentile(con):
    for i, price in enumerate((100, 200, 300, 400, 500)):
        add_order(con, f"p{i}", f"c{i}", price)
    # quantile_cont 0.8 over [100..500]: position 3.2 → 400 + 0.2 × 100 = 420
    assert care.high_end_price(con, settings={}) == pytest.approx(420.0)
    assert care.high_end_price(con, settings={"high_end.amount": 300}) == 300.0


def test_call_script_is_care_not_review_pressure():
    assert "好评" in CALL_SCRIPT["zh"] and "处罚" in CALL_SCRIPT["zh"]
    assert "penalise" in CALL_SCRIPT["en"]
    assert CALL_SCRIPT["en"].format(shop="S", agent="A", item="cup").startswith("Hello, this is A")


def test_call_list_reason_when_high_end_and_upper_rung(tonight):
    # G (a supporter) also signs for an 800 order at 08:00: both reasons, one call, the
    # dearer order; 08:00 is the earliest signing, so G is 甲's first call and K overflows.
    add_order(tonight, "g8", "G", 800, signed=at(8))
    df = care.call_list(tonight, DAY, shop="店A", settings=S)
    assert df["customer_id"].tolist() == ["G", "B2", "A", "F", "K"]
    assert df["order_id"].tolist()[0] == "g8"
    assert df["agent"].tolist() == ["甲", "甲", "乙", "乙", None]
    assert df["reason"].tolist()[0] == "high_end,supporter"
    assert df["rung"].tolist()[0] == 5 and pd.isna(df["rung"].tolist()[2])


def test_high_end_by_the_rule_of_the_high_end_pages(con):
    """An export with no unit price: the order's paid amount over its quantity decides, as
    on the high-end pages (1,200 for 2 items = 600 each ≥ 500; 900 for 2 = 450 < 500); item
    lines, when the order has them, decide instead (a 520 line makes L high-end)."""
    from analysis import highend

    for oid, cust, paid, qty in (("p1", "P", 1200, 2), ("q1", "Q", 900, 2), ("l1", "L", 300, 1)):
        con.execute(
            "INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount, "
            "quantity, signed_time, phone) VALUES ('店A', ?, ?, ?, ?, ?, ?, ?, '138')",
            [oid, cust, D(2026, 3, 1), D(2026, 3, 1), paid, qty, at(10)])
    con.execute("INSERT INTO order_items (shop, order_id, line, unit_price, quantity) VALUES "
                "('店A', 'l1', 1, 520, 1), ('店A', 'l1', 2, 10, 1)")
    calls = care.call_list(con, DAY, shop="店A", settings=S)
    assert sorted(calls["customer_id"]) == ["L", "P"]
    thanks = care.thank_you_list(con, shop="店A", as_of=D(2026, 3, 2), settings=S)
    assert dict(zip(thanks["customer_id"], thanks["high_end"])) == {"P": True, "Q": False, "L": True}
    pages = highend.high_end_customers(con, D(2026, 3, 2), shop="店A", settings=S)
    assert sorted(pages["customer_id"]) == ["L", "P"]
