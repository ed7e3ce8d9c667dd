"""High-end customers on a hand-built store: threshold, ties, summary and comparison."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import highend

START, END = dt.datetime(2026, 5, 1), dt.datetime(2026, 6, 1)
AS_OF = END - dt.timedelta(microseconds=1)


def order(con, oid, cid, day, paid, *, unit=None, qty=1, status="交易成功"):
    when = dt.datetime(2026, 5, day, 10)
    con.execute(
        "INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount, "
        "unit_price, quantity, status) VALUES ('S',?,?,?,?,?,?,?,?)",
        [oid, cid, when, when, paid, unit, qty, status],
    )


def review(con, key, cid, when, rating, content=None):
    con.execute("INSERT INTO reviews (shop, review_key, customer_id, rating, content, review_time) "
                "VALUES ('S',?,?,?,?,?)", [key, cid, rating, content, when])


def ticket(con, tid, cid, hours):
    opened = dt.datetime(2026, 5, 20, 8)
    con.execute("INSERT INTO tickets (shop, ticket_id, customer_id, opened_at, resolved_at) "
                "VALUES ('S',?,?,?,?)", [tid, cid, opened, opened + dt.timedelta(hours=hours)])


@pytest.fixture
def store(con):
    # Unit prices sorted: 10, 20, 20, 20, 30, 40, 40, 40, 100 -> 80th percentile
    # (quantile_cont, position 0.8 * 8 = 6.4 between 40 and 40) = 40.
    order(con, "a", "a", 2, 10)
    order(con, "b1", "b", 3, 20)
    order(con, "b2", "b", 4, 20)
    order(con, "c", "c", 5, 30)
    order(con, "d", "d", 6, 80, qty=2)              # 80 / 2 = 40: a tie, high-end
    order(con, "e", "e", 7, 40, unit=40)
    order(con, "f", "f", 8, 40)
    order(con, "g", "g", 9, 100, status="交易关闭")   # priced line, but no purchase
    order(con, "n", None, 10, 20)                   # no customer id: revenue only
    con.execute("INSERT INTO sentiment_scores VALUES ('stock', md5('差'), 0.1, false, now()), "
                "('stock', md5('好'), 0.9, false, now())")
    review(con, "rd", "d", dt.datetime(2026, 5, 12), 1, "差")
    review(con, "re", "e", dt.datetime(2026, 5, 13), 5, "好")
    review(con, "rf", "f", dt.datetime(2026, 4, 13), 1, "差")   # before the period
    review(con, "ra", "a", dt.datetime(2026, 5, 14), 2, "一般")
    ticket(con, "td", "d", 10)
    ticket(con, "te", "e", 20)
    ticket(con, "ta", "a", 4)
    return con


def test_threshold_is_the_80th_percentile_of_unit_prices(store):
    assert highend.high_end_threshold(store) == 40.0


def test_threshold_uses_item_lines_when_present(con):
    order(con, "o1", "x", 1, 105)
    con.execute("INSERT INTO order_items (shop, order_id, line, item_id, unit_price, quantity) "
                "VALUES ('S', 'o1', 1, 'big', 100, 1), ('S', 'o1', 2, 'small', 5, 1)")
    order(con, "o2", "y", 2, 50)
    # Lines 5, 50, 100 (not the order's 105): position 0.8 * 2 = 1.6 -> 50 + 0.6 * 50 = 80.
    assert highend.high_end_threshold(con) == pytest.approx(80.0)
    assert list(highend.high_end_customers(con, AS_OF)["customer_id"]) == ["x"]


def test_ties_at_the_threshold_are_high_end(store):
    df = highend.high_end_customers(store, AS_OF)
    assert sorted(df["customer_id"]) == ["d", "e", "f"]
    # A set amount replaces the percentile; c's 30 ties with it.
    df = highend.high_end_customers(store, AS_OF, settings={"high_end.amount": 30})
    assert sorted(df["customer_id"]) == ["c", "d", "e", "f"]


def test_summary_contract(store):
    got = highend.high_end_summary(store, START, END, AS_OF)
    # Period revenue 10+20+20+30+80+40+40+20 = 260, high-end 160; their reviews: d 1★, e 5★.
    assert got == {"customers": 3, "revenue_share": pytest.approx(160 / 260),
                   "negative_review_rate": 0.5}
    assert set(got) == {"customers", "revenue_share", "negative_review_rate"}


def test_compare_high_end_with_the_rest(store):
    df = highend.compare_high_end(store, START, END, AS_OF).set_index("group")
    he, rest = df.loc["high_end"], df.loc["rest"]
    assert (he["customers"], rest["customers"]) == (3, 3)
    assert he["revenue_share"] == pytest.approx(160 / 260)
    assert rest["revenue_share"] == pytest.approx(80 / 260)
    assert he["average_order_value"] == pytest.approx(160 / 3)
    assert rest["average_order_value"] == pytest.approx(20.0)
    assert (he["repeat_rate"], rest["repeat_rate"]) == (0.0, pytest.approx(1 / 3))
    assert (he["negative_review_rate"], rest["negative_review_rate"]) == (0.5, 1.0)
    assert he["mean_sentiment"] == pytest.approx(0.5)
    assert rest["mean_sentiment"] is None          # a's review is not scored
    assert (he["median_resolution_hours"], rest["median_resolution_hours"]) == (15.0, 4.0)


def test_no_data_is_none_not_zero(con):
    assert highend.high_end_threshold(con) is None
    assert highend.high_end_summary(con, START, END, AS_OF) == {
        "customers": None, "revenue_share": None, "negative_review_rate": None}
    order(con, "a", "a", 2, 10)
    got = highend.high_end_summary(con, dt.datetime(2027, 1, 1), dt.datetime(2027, 2, 1), AS_OF)
    # One high-end customer, but no revenue and no reviews in that period.
    assert got == {"customers": 1, "revenue_share": None, "negative_review_rate": None}
