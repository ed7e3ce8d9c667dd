"""The overview's 12-week sparklines come from one grouped query per figure; each week's
value must equal what week_figures (and so ``summary --week``) gives for that week."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import complaints, highend, overview, periods

END_WEEK = "2026-W10"
WEEKS = 8
FIRST = periods.parse_week(periods.shift_week(END_WEEK, -WEEKS - 2)).start

# A small store over ten weeks, spread by hash so that every week differs: orders (some
# without a customer, some cancelled, some with item lines), reviews (some negative), tickets
# opened, answered and resolved at varied speeds (some resolved only after their week ends,
# some never), and one empty week (W07) with no ticket, review or order at all.
ORDERS_SQL = """
INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount, item_id,
                    quantity, unit_price, status)
SELECT 'S', 'o' || i, CASE WHEN i % 17 = 0 THEN NULL ELSE 'c' || (hash(i, 1) % 40) END, t, t,
       price, 'item' || (i % 9), 1, price, CASE WHEN i % 13 = 0 THEN '交易关闭' ELSE '交易成功' END
FROM (SELECT i, $first + to_minutes(CAST(hash(i, 2) % (70 * 1440) AS INT)) AS t,
             CAST(10 + hash(i, 3) % 500 AS DECIMAL(18, 2)) AS price
      FROM range(400) r(i))
WHERE t < TIMESTAMP '2026-02-09' OR t >= TIMESTAMP '2026-02-16'
"""
ITEMS_SQL = """
INSERT INTO order_items (shop, order_id, line, item_id, unit_price, quantity)
SELECT 'S', order_id, 1, 'big' || (hash(order_id) % 3), 900, 1 FROM orders WHERE hash(order_id) % 11 = 0
"""
REVIEWS_SQL = """
INSERT INTO reviews (shop, review_key, order_id, customer_id, rating, content, review_time)
SELECT 'S', 'r' || order_id, order_id, customer_id, CAST(1 + hash(order_id, 4) % 5 AS TINYINT),
       '评价', pay_time + to_hours(CAST(hash(order_id, 5) % 72 AS INT))
FROM orders WHERE hash(order_id, 6) % 3 = 0
  AND (pay_time < TIMESTAMP '2026-02-06' OR pay_time >= TIMESTAMP '2026-02-16')
"""
TICKETS_SQL = """
INSERT INTO tickets (shop, ticket_id, order_id, customer_id, opened_at, first_response_at,
                     resolved_at, status, source)
SELECT 'S', 't' || i, NULL, 'c' || (hash(i, 7) % 40), opened,
       CASE WHEN hash(i, 8) % 5 > 0 THEN opened + to_minutes(CAST(hash(i, 9) % 900 AS INT)) END,
       CASE WHEN hash(i, 10) % 4 > 0 THEN opened + to_minutes(CAST(hash(i, 11) % 6000 AS INT)) END,
       NULL, 'helpdesk'
FROM (SELECT i, $first + to_minutes(CAST(hash(i, 12) % (70 * 1440) AS INT)) AS opened
      FROM range(300) r(i))
WHERE opened < TIMESTAMP '2026-02-09' OR opened >= TIMESTAMP '2026-02-16'
"""


@pytest.fixture
def store(con):
    con.execute(ORDERS_SQL, {"first": FIRST})
    con.execute(ITEMS_SQL)
    con.execute(REVIEWS_SQL)
    con.execute(TICKETS_SQL, {"first": FIRST})
    return con


def test_sparklines_equal_week_figures_every_week(store):
    conf = {"high_end.percentile": 0.8}
    lines = overview.sparklines(store, END_WEEK, weeks=WEEKS, settings=conf).set_index("week")
    lines = lines.astype(object).where(lines.notna(), None)  # the frame holds "no data" as NaN
    assert list(lines.index) == [periods.shift_week(END_WEEK, k - WEEKS + 1) for k in range(WEEKS)]
    empty = lines.loc["2026-W07"]
    # The empty week: no data is None (counts of nothing are 0), never a made-up 0 share.
    assert (empty["resolution_median_h"], empty["within_sla_share"], empty["no_contact"],
            empty["high_end_revenue_share"], empty["repeat_rate"]) == (None, None, None, None, None)
    assert (empty["new_buyers"], empty["reviews"]) == (0, 0)
    checked = 0
    for week in lines.index:
        figures = overview.week_figures(store, week, settings=conf)
        for key, kind, _ in overview.KPIS:
            want, got = figures[key], lines.loc[week, key]
            if want is None:
                assert got is None, (week, key, got)
            else:
                assert got == pytest.approx(want, rel=1e-12, abs=1e-12), (week, key, got, want)
                checked += 1
    assert checked > 50  # most figures have data in most weeks


def test_summary_by_week_takes_each_week_at_its_end(con):
    # W10 (Mon 2026-03-02): one ticket resolved in 2 h; one open past the 24 h SLA at the end
    # of W10 but resolved in W11 (so late at W10's end); W11: one resolved in 30 h.
    rows = [("a", "2026-03-02 10:00", "2026-03-02 12:00"),
            ("b", "2026-03-07 08:00", "2026-03-10 08:00"),
            ("c", "2026-03-09 10:00", "2026-03-10 16:00")]
    for tid, opened, resolved in rows:
        con.execute("INSERT INTO tickets (shop, ticket_id, opened_at, resolved_at, source) "
                    "VALUES ('S', ?, ?, ?, 'helpdesk')", [tid, opened, resolved])
    got = complaints.summary_by_week(con, dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 16),
                                     settings={}).set_index("week")
    assert got.loc["2026-W10", "resolved"] == 1 and got.loc["2026-W10", "open_past_sla"] == 1
    assert got.loc["2026-W10", "resolution_median_h"] == 2.0
    assert got.loc["2026-W10", "within_sla_share"] == 0.5
    assert got.loc["2026-W11", "resolution_median_h"] == 30.0
    assert got.loc["2026-W11", "within_sla_share"] == 0.0


def test_revenue_share_in_weeks_takes_any_set_of_weeks(con):
    # A buys cheap in W10 and dear (1000 >= the 500 amount) in W11: A's W10 revenue is not
    # high-end at W10's end, A's W11 revenue is. B pays 300 in both weeks, never high-end.
    # Nobody buys in W12.
    for oid, cust, when, amount in (("a1", "A", "2026-03-03 10:00", 100),
                                    ("a2", "A", "2026-03-10 10:00", 1000),
                                    ("b1", "B", "2026-03-04 10:00", 300),
                                    ("b2", "B", "2026-03-11 10:00", 300)):
        con.execute("INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, "
                    "paid_amount, unit_price, quantity) VALUES ('S', ?, ?, ?, ?, ?, ?, 1)",
                    [oid, cust, when, when, amount, amount])
    conf = {"high_end.amount": 500}
    got = highend.revenue_share_in_weeks(con, ["2026-W12", "2026-W11", "2026-W10"], settings=conf)
    assert got["week"].tolist() == ["2026-W10", "2026-W11"]
    assert got["revenue_share"].tolist() == [0.0, 1000 / 1300]
    only = highend.revenue_share_in_weeks(con, ["2026-W11"], settings=conf)
    assert only["revenue_share"].tolist() == [1000 / 1300]


def test_overview_reads_this_last_and_year_ago_from_the_grouped_queries(store):
    # A year before END_WEEK (2025-W10, Mon 2025-03-03): Y1 bought in 2025-W09 and again in
    # W10 (repeat, 3 -> 4), Y2 buys for the first time in W10 (new buyer, new on the ladder).
    for oid, cust, when in (("y0", "Y1", "2025-02-26 10:00"), ("y1", "Y1", "2025-03-04 10:00"),
                            ("y2", "Y2", "2025-03-05 10:00")):
        store.execute("INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, "
                      "paid_amount, unit_price, quantity, status) "
                      "VALUES ('S', ?, ?, ?, ?, 100, 100, 1, '交易成功')", [oid, cust, when, when])
    data = overview.overview(store, END_WEEK)
    year_ago = data["year_ago"]
    assert data["year_ago_week"] == "2025-W10"
    assert (year_ago["new_buyers"], year_ago["repeat_rate"], year_ago["ladder_customers"],
            year_ago["moved_up"], year_ago["new_on_ladder"], year_ago["reviews"]) == (1, 0.5, 2, 1, 1, 0)
    assert year_ago["tiers"] == {"unrelated": 0, "prospect": 0, "buyer": 1, "customer": 1,
                                 "supporter": 0, "advocate": 0}
    assert (year_ago["negative_share"], year_ago["no_contact"],
            year_ago["resolution_median_h"]) == (None, None, None)
    weeks = {"this": END_WEEK, "last": periods.shift_week(END_WEEK, -1), "year_ago": "2025-W10"}
    for key, week in weeks.items():
        want = overview.week_figures(store, week)
        assert set(data[key]) == set(want), key
        for name, value in want.items():
            if isinstance(value, float):
                assert data[key][name] == pytest.approx(value, rel=1e-12, abs=1e-12), (key, name)
            else:
                assert data[key][name] == value, (key, name, data[key][name], value)
    spark = data["sparklines"]
    assert spark["week"].tolist()[-1] == END_WEEK and len(spark) == 12
    assert spark.iloc[-1]["ladder_customers"] == data["this"]["ladder_customers"]
