"""The six-rung ladder on hand-built stores whose answers are counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import customer_figures, ladder

AS_OF = dt.datetime(2026, 7, 1, 12, 0)


def days_before(n: int, at: dt.datetime = AS_OF) -> dt.datetime:
    return at - dt.timedelta(days=n)


def order(con, oid, cid, when, amount=100, *, status="交易成功", refund=None, item="i1",
          shop="S", name=None, phone=None):
    con.execute(
        "INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount, "
        "refund_amount, item_id, status, buyer_name, phone) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [shop, oid, cid, when, when, amount, refund, item, status, name, phone],
    )


def review(con, key, cid, when, rating, content=None, shop="S"):
    con.execute(
        "INSERT INTO reviews (shop, review_key, customer_id, rating, content, review_time) "
        "VALUES (?,?,?,?,?,?)", [shop, key, cid, rating, content, when],
    )


def contact(con, cid, source, first_seen, shop="S"):
    con.execute("INSERT INTO contacts (shop, customer_id, source, first_seen) VALUES (?,?,?,?)",
                [shop, cid, source, first_seen])


def score(con, text, value):
    con.execute("INSERT INTO sentiment_scores VALUES ('stock', md5(?), ?, false, now())",
                [text, value])


def four_recent(con, cid, items=("i1", "i1", "i1", "i1")):
    for k, (d, item) in enumerate(zip((10, 100, 200, 364), items)):
        order(con, f"{cid}-{k}", cid, days_before(d), item=item)


@pytest.fixture
def store(con):
    score(con, "很好", 0.9)
    score(con, "太差", 0.1)
    # A: exactly 4 purchases within 365 days, a 5th at 366 days -> supporter.
    four_recent(con, "A")
    order(con, "A-old", "A", days_before(366))
    # B: 3 within 365 days + 1 at 366 -> customer.
    for k, d in enumerate((10, 100, 200, 366)):
        order(con, f"B-{k}", "B", days_before(d))
    # C: negative review 179 days ago -> customer; D: 181 days ago -> supporter.
    four_recent(con, "C")
    review(con, "rC", "C", days_before(179), 1)
    four_recent(con, "D")
    review(con, "rD", "D", days_before(181), 1)
    # P: no rating, text scored negative, 30 days ago -> customer.
    four_recent(con, "P")
    review(con, "rP", "P", days_before(30), None, "太差")
    # E: two clearly positive reviews but only 2 distinct items -> supporter.
    four_recent(con, "E", ("i1", "i2", "i1", "i2"))
    review(con, "rE1", "E", days_before(5), 5, "很好")
    review(con, "rE2", "E", days_before(6), 4, "很好")
    # F: the third item comes from an order's item lines -> advocate.
    four_recent(con, "F", ("i1", "i2", "i1", "i2"))
    con.execute("INSERT INTO order_items (shop, order_id, line, item_id, unit_price, quantity) "
                "VALUES ('S', 'F-0', 1, 'i1', 50, 1), ('S', 'F-0', 2, 'i3', 50, 1)")
    review(con, "rF1", "F", days_before(5), 5, "很好")
    review(con, "rF2", "F", days_before(6), None, "很好")
    # O: 3 items but one positive review plus a 5-star one with no text -> supporter.
    four_recent(con, "O", ("i1", "i2", "i3", "i1"))
    review(con, "rO1", "O", days_before(5), 5, "很好")
    review(con, "rO2", "O", days_before(6), 5, None)
    # G: a closed order and a real one -> buyer; H: only a fully refunded order -> off.
    order(con, "G-0", "G", days_before(3), status="交易关闭")
    order(con, "G-1", "G", days_before(2))
    order(con, "H-0", "H", days_before(3), refund=100)
    # I: partially refunded -> still a purchase -> buyer.
    order(con, "I-0", "I", days_before(3), refund=30)
    # Orders with no customer id: two before AS_OF, one after.
    order(con, "N-0", None, days_before(3))
    order(con, "N-1", None, days_before(2))
    order(con, "N-2", None, AS_OF + dt.timedelta(days=1))
    review(con, "rN", None, days_before(2), 1)
    # J: a review only; K: a cart contact -> prospects. L, M (no date): members -> unrelated.
    review(con, "rJ", "J", days_before(20), 3)
    contact(con, "K", "cart", days_before(8))
    contact(con, "L", "member", days_before(8))
    contact(con, "M", "member", None)
    # Known only after AS_OF -> not counted.
    contact(con, "Q", "member", AS_OF + dt.timedelta(hours=1))
    review(con, "rR", "R", AS_OF + dt.timedelta(hours=1), 5)
    return con


def test_tier_counts_follow_every_rule(store):
    assert ladder.tier_counts(store, AS_OF) == {
        "unrelated": 2, "prospect": 2, "buyer": 2, "customer": 3, "supporter": 4, "advocate": 1,
    }


def test_each_customer_sits_on_the_expected_rung(store):
    df = ladder.tiers_as_of(store, AS_OF)
    rungs = dict(zip(df["customer_id"], df["rung"]))
    assert rungs == {"A": 5, "B": 4, "C": 4, "D": 5, "P": 4, "E": 5, "F": 6, "O": 5, "G": 3,
                     "I": 3, "J": 2, "K": 2, "L": 1, "M": 1}
    a = df.set_index("customer_id").loc["A"]
    assert (a["purchases"], a["purchases_365"], a["distinct_items"], a["revenue"]) == (5, 4, 1, 500)
    f = df.set_index("customer_id").loc["F"]
    assert (f["distinct_items"], f["positive_reviews"], f["negative_180"]) == (3, 2, 0)
    assert df.set_index("customer_id").loc["C", "negative_180"] == 1


def test_tiers_for_some_customers_only(store):
    # F's third item comes from item lines, C has a negative review, J only a review, L only
    # a contact: restricted to them, each keeps the rung and facts of the whole ladder.
    df = ladder.tiers_as_of(store, AS_OF, customers=["F", "C", "J", "L", "nobody"])
    assert dict(zip(df["customer_id"], df["rung"])) == {"F": 6, "C": 4, "J": 2, "L": 1}
    f = df.set_index("customer_id").loc["F"]
    assert (f["distinct_items"], f["positive_reviews"], f["purchases"]) == (3, 2, 4)
    assert df.set_index("customer_id").loc["C", "negative_180"] == 1
    assert ladder.tiers_as_of(store, AS_OF, customers=[]).empty


def test_orders_without_customer_are_counted_up_to_as_of(store):
    assert ladder.orders_without_customer(store, AS_OF) == 2
    assert ladder.orders_without_customer(store, AS_OF + dt.timedelta(days=2)) == 3


def test_thresholds_come_from_settings(store):
    counts = ladder.tier_counts(store, AS_OF, settings={"ladder.supporter_min_purchases": 3})
    # B (3 recent purchases) joins the supporters.
    assert counts["supporter"] == 5 and counts["customer"] == 2


def test_as_of_earlier_only_counts_rows_before(store):
    # 150 days earlier: A has 3 purchases in the year before (the 10-day one is later),
    # C's negative review is 29 days old, J's review and K/L's contacts are in the future.
    counts = ladder.tier_counts(store, days_before(150))
    assert counts == {"unrelated": 1, "prospect": 0, "buyer": 0, "customer": 8,
                      "supporter": 0, "advocate": 0}


def test_tier_counts_pair_gives_both_instants_in_one_query(store):
    # The literals of test_tier_counts_follow_every_rule and test_as_of_earlier_only_counts_rows_before.
    now, before = ladder.tier_counts_pair(store, AS_OF, days_before(150))
    assert now == {"unrelated": 2, "prospect": 2, "buyer": 2, "customer": 3, "supporter": 4,
                   "advocate": 1}
    assert before == {"unrelated": 1, "prospect": 0, "buyer": 0, "customer": 8,
                      "supporter": 0, "advocate": 0}
    with pytest.raises(ValueError):
        ladder.tier_counts_pair(store, days_before(150), AS_OF)


def test_lists_count_items_of_customers_who_are_not_advocate_candidates(store):
    # Rungs count distinct items only for advocate candidates (2+ clearly positive reviews);
    # a list still shows everyone's: O has 3 items and one clearly positive review.
    df = ladder.customers_in_rung(store, AS_OF, 5)
    assert dict(zip(df["customer_id"], df["distinct_items"])) == {"A": 1, "D": 1, "E": 2, "O": 3}
    f = ladder.customers_in_rung(store, AS_OF, 6).set_index("customer_id").loc["F"]
    assert (f["distinct_items"], f["purchases"], f["revenue"]) == (3, 4, 400)


def test_customers_are_per_shop(con):
    order(con, "x1", "same", days_before(1), shop="天猫店")
    order(con, "x2", "same", days_before(2), shop="京东店")
    order(con, "x3", "same", days_before(3), shop="京东店")
    assert ladder.tier_counts(con, AS_OF)["buyer"] == 1
    assert ladder.tier_counts(con, AS_OF)["customer"] == 1
    assert ladder.tier_counts(con, AS_OF, shop="天猫店")["customer"] == 0
    assert ladder.tier_counts(con, AS_OF, shop="京东店") == {
        "unrelated": 0, "prospect": 0, "buyer": 0, "customer": 1, "supporter": 0, "advocate": 0}


# Week 2026-W10 runs Mon 2026-03-02 .. Sun 2026-03-08; W09 ends Sun 2026-03-01.
W09 = dt.datetime(2026, 2, 25, 10)
W10 = dt.datetime(2026, 3, 4, 10)


@pytest.fixture
def weeks(con):
    order(con, "x1", "X", W09, name="张三", phone="13812345678")
    order(con, "x2", "X", W10)                       # 3 -> 4
    contact(con, "Y", "cart", W09)
    order(con, "y1", "Y", W10)                       # 2 -> 3
    order(con, "z1", "Z", W10)                       # new -> 3
    for k, d in enumerate((10, 60, 120, 200)):
        order(con, f"w{k}", "W", W09 - dt.timedelta(days=d))
    review(con, "rW", "W", W10, 1)                   # 5 -> 4
    contact(con, "V", "member", W09)                 # 1 -> 1
    return con


def test_movement_between_two_weeks(weeks):
    df = ladder.movement(weeks, "2026-W10")
    got = sorted(zip(df["from_rung"], df["to_rung"], df["customers"], df["direction"]))
    assert got == [(0, 3, 1, "new"), (1, 1, 1, "same"), (2, 3, 1, "up"), (3, 4, 1, "up"),
                   (5, 4, 1, "down")]


def test_movement_list_names_the_customers(weeks):
    df = ladder.movement_list(weeks, "2026-W10", 3, 4)
    assert list(df["customer_id"]) == ["X"]
    assert (df.loc[0, "buyer_name"], df.loc[0, "phone"]) == ("张三", "13812345678")
    assert list(ladder.movement_list(weeks, "2026-W10", 0, 3)["customer_id"]) == ["Z"]
    assert ladder.movement_list(weeks, "2026-W10", 6, 6).empty


def test_tier_counts_pair_and_counts_from_movement(weeks):
    w09_end, w10_end = dt.datetime(2026, 3, 1, 23, 59, 59), dt.datetime(2026, 3, 8, 23, 59, 59)
    now, before = ladder.tier_counts_pair(weeks, w10_end, w09_end)
    assert now == {"unrelated": 1, "prospect": 0, "buyer": 2, "customer": 2, "supporter": 0,
                   "advocate": 0}
    assert before == {"unrelated": 1, "prospect": 1, "buyer": 1, "customer": 0, "supporter": 1,
                      "advocate": 0}
    moves = ladder.movement(weeks, "2026-W10")
    assert ladder.counts_from_movement(moves) == now
    assert ladder.counts_from_movement(moves, rung_column="from_rung") == before


def test_customers_in_rung(weeks):
    end = dt.datetime(2026, 3, 8, 23, 59, 59)
    assert sorted(ladder.customers_in_rung(weeks, end, 3)["customer_id"]) == ["Y", "Z"]
    assert sorted(ladder.customers_in_rung(weeks, end, 4)["customer_id"]) == ["W", "X"]


def test_trend_is_one_row_per_week_and_rung(weeks):
    df = ladder.ladder_trend(weeks, weeks=3, end_week="2026-W10")
    table = {(w, r): c for w, r, c in zip(df["week"], df["rung"], df["customers"])}
    assert len(df) == 18
    assert [table[("2026-W08", r)] for r in range(1, 7)] == [0, 0, 0, 0, 1, 0]
    assert [table[("2026-W09", r)] for r in range(1, 7)] == [1, 1, 1, 0, 1, 0]
    assert [table[("2026-W10", r)] for r in range(1, 7)] == [1, 0, 2, 2, 0, 0]
    # Default end week: the latest data is in W10.
    assert ladder.ladder_trend(weeks, weeks=1)["week"].tolist() == ["2026-W10"] * 6


def test_counts_in_week_are_the_trends_points(weeks):
    trend = ladder.ladder_trend(weeks, weeks=3, end_week="2026-W10")
    assert ladder.counts_in_week(trend, "2026-W10") == {
        "unrelated": 1, "prospect": 0, "buyer": 2, "customer": 2, "supporter": 0, "advocate": 0}
    assert ladder.counts_in_week(trend, "2026-W09") == {
        "unrelated": 1, "prospect": 1, "buyer": 1, "customer": 0, "supporter": 1, "advocate": 0}
    with pytest.raises(KeyError):
        ladder.counts_in_week(trend, "2026-W11")


def test_empty_store(con):
    assert ladder.tier_counts(con, AS_OF) == {
        "unrelated": 0, "prospect": 0, "buyer": 0, "customer": 0, "supporter": 0, "advocate": 0}
    assert ladder.orders_without_customer(con, AS_OF) == 0
    assert ladder.ladder_trend(con).empty
    assert ladder.movement(con, "2026-W10").empty


def test_figures_use_names_and_fixed_colours(weeks):
    counts = ladder.tier_counts(weeks, dt.datetime(2026, 3, 8, 23, 59))
    bar = customer_figures.ladder_bar(counts, "en")
    assert list(bar.data[0].y) == ["Unrelated", "Prospect", "Buyer", "Customer", "Supporter",
                                   "Advocate"]
    assert list(bar.data[0].x) == [1, 0, 2, 2, 0, 0]
    heat = customer_figures.movement_heatmap(ladder.movement(weeks, "2026-W10"), "zh")
    assert heat.data[0].y[0] == "新进入"
    # Row "new" (0) -> column buyer (3): Z.
    assert heat.data[0].z[0][2] == 1
    lines = customer_figures.ladder_trend_lines(
        ladder.ladder_trend(weeks, weeks=3, end_week="2026-W10"), "zh")
    assert [tr.name for tr in lines.data][-1] == "拥戴者"
    assert lines.data[4].line.color == customer_figures.RUNG_COLOURS[5]


RANDOM_STORE_SQL = [
    "SELECT setseed(0.5)",
    # 400 customers, 3000 orders over two years, some closed, some with item lines.
    """INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount,
                           item_id, status)
       SELECT 'S', 'o' || i, 'c' || CAST(floor(pow(random(), 2) * 400) AS INT),
              TIMESTAMP '2024-06-01' + to_seconds(CAST(random() * 730 * 86400 AS BIGINT)),
              NULL, 50, 'i' || (i % 9), CASE WHEN i % 17 = 0 THEN '交易关闭' END
       FROM range(3000) r(i)""",
    """INSERT INTO order_items (shop, order_id, line, item_id, unit_price, quantity)
       SELECT 'S', order_id, 1, 'line' || (hash(order_id) % 5), 10, 1
       FROM orders WHERE hash(order_id) % 7 = 0""",
    """INSERT INTO reviews (shop, review_key, customer_id, rating, content, review_time)
       SELECT 'S', 'r' || order_id, customer_id, CAST(1 + hash(order_id) % 5 AS TINYINT),
              CASE WHEN hash(order_id) % 3 = 0 THEN '很好' END, order_time + INTERVAL 6 DAY
       FROM orders WHERE hash(order_id) % 2 = 0""",
    "INSERT INTO sentiment_scores VALUES ('stock', md5('很好'), 0.9, false, now())",
    """INSERT INTO contacts (shop, customer_id, source, first_seen)
       SELECT 'S', 'k' || i, ['member', 'cart', 'favorite'][1 + i % 3],
              CASE WHEN i % 10 <> 0 THEN TIMESTAMP '2024-06-01' + to_days(CAST(i * 3 AS INT)) END
       FROM range(150) r(i)""",
    """INSERT INTO tickets (shop, ticket_id, customer_id, opened_at)
       SELECT 'S', 't' || i, 'k' || (i * 7), TIMESTAMP '2025-01-01' + to_days(CAST(i * 5 AS INT))
       FROM range(40) r(i)""",
]


def test_trend_agrees_with_the_ladder_at_every_week_end(con):
    for sql in RANDOM_STORE_SQL:
        con.execute(sql)
    trend = ladder.ladder_trend(con, weeks=70, end_week="2026-W22")
    for week, part in trend.groupby("week"):
        from analysis import periods
        counts = ladder.tier_counts(con, periods.parse_week(week).as_of)
        assert dict(zip(part["rung"], part["customers"])) == {
            r: counts[ladder.RUNG_KEYS[r]] for r in ladder.RUNGS}, week
    # The store is big enough that every rung shows up somewhere.
    assert (trend.groupby("rung")["customers"].max() > 0).all()


def test_week_movements_gives_each_weeks_movement_from_one_query(weeks):
    got = ladder.week_movements(weeks, ["2026-W10", "2026-W09"])
    assert list(got) == ["2026-W10", "2026-W09"]
    rows = {w: sorted(zip(df["from_rung"], df["to_rung"], df["customers"], df["direction"]))
            for w, df in got.items()}
    # End of W08: only W (4 purchases in 365 days) is on the ladder, as a supporter. In W09
    # X buys (3), Y adds to cart (2) and V becomes a member (1); in W10 see the test above.
    assert rows["2026-W09"] == [(0, 1, 1, "new"), (0, 2, 1, "new"), (0, 3, 1, "new"),
                                (5, 5, 1, "same")]
    assert rows["2026-W10"] == [(0, 3, 1, "new"), (1, 1, 1, "same"), (2, 3, 1, "up"),
                                (3, 4, 1, "up"), (5, 4, 1, "down")]
    assert ladder.counts_from_movement(got["2026-W09"]) == {
        "unrelated": 1, "prospect": 1, "buyer": 1, "customer": 0, "supporter": 1, "advocate": 0}


def test_movements_at_any_pairs_of_instants(weeks):
    w08_end, w10_end = dt.datetime(2026, 2, 22, 23, 59, 59), dt.datetime(2026, 3, 8, 23, 59, 59)
    two_weeks, same = ladder.movements_at(weeks, [(w08_end, w10_end), (w10_end, w10_end)])
    # Over both weeks: W 5 -> 4, X new -> 4, Y and Z new -> 3, V new -> 1.
    assert sorted(zip(two_weeks["from_rung"], two_weeks["to_rung"], two_weeks["customers"],
                      two_weeks["direction"])) == [(0, 1, 1, "new"), (0, 3, 2, "new"),
                                                   (0, 4, 1, "new"), (5, 4, 1, "down")]
    assert sorted(zip(same["from_rung"], same["to_rung"], same["customers"])) == [
        (1, 1, 1), (3, 3, 2), (4, 4, 2)]
    assert ladder.movements_at(weeks, []) == []
    with pytest.raises(ValueError):
        ladder.movements_at(weeks, [(w10_end, w08_end)])


def test_movements_at_many_instants_agree_with_the_ladder_at_each(con):
    # More than two instants count purchases from the two first purchase times only: the
    # rungs must still be those of the ladder at each instant.
    for sql in RANDOM_STORE_SQL:
        con.execute(sql)
    from analysis import periods
    ends = [periods.parse_week(w).as_of for w in ("2025-W05", "2025-W30", "2026-W01", "2026-W22")]
    moves = ladder.movements_at(con, list(zip(ends[:-1], ends[1:])))
    for (before, after), df in zip(zip(ends[:-1], ends[1:]), moves):
        assert ladder.counts_from_movement(df) == ladder.tier_counts(con, after)
        assert ladder.counts_from_movement(df, rung_column="from_rung") == ladder.tier_counts(con, before)


def test_trend_over_more_weeks_than_one_query_holds(con):
    for sql in RANDOM_STORE_SQL:
        con.execute(sql)
    from analysis import periods
    long = ladder.ladder_trend(con, weeks=130, end_week="2026-W22")
    assert long["week"].nunique() == 130
    short = ladder.ladder_trend(con, weeks=70, end_week="2026-W22")
    assert long.tail(len(short)).reset_index(drop=True).equals(short)
    # Weeks on both sides of the seam between the two queries: 2026-W12 is the 120th week
    # of the 130 (the first is 2023-W49), 2026-W13 the 121st; 2024-W24 is mid-way.
    for week in ("2024-W24", "2026-W12", "2026-W13"):
        counts = ladder.tier_counts(con, periods.parse_week(week).as_of)
        assert ladder.counts_in_week(long, week) == counts, week


def test_trend_agrees_with_the_ladder_under_other_settings(con):
    for sql in RANDOM_STORE_SQL:
        con.execute(sql)
    from analysis import periods
    for conf in ({"ladder.advocate_min_positive_reviews": 0, "ladder.supporter_min_purchases": 2},
                 {"ladder.advocate_min_distinct_items": 1, "ladder.supporter_min_purchases": 1,
                  "ladder.negative_window_days": 30, "ladder.supporter_window_days": 90}):
        trend = ladder.ladder_trend(con, weeks=30, end_week="2026-W22", settings=conf)
        for week in ("2025-W52", "2026-W10", "2026-W22"):
            counts = ladder.tier_counts(con, periods.parse_week(week).as_of, settings=conf)
            assert ladder.counts_in_week(trend, week) == counts, (conf, week)


def test_trend_of_a_store_whose_orders_have_no_customer(con):
    con.execute("INSERT INTO orders (shop, order_id, order_time, pay_time, paid_amount) "
                "VALUES ('S', 'o1', TIMESTAMP '2026-03-04 10:00', "
                "TIMESTAMP '2026-03-04 10:00', 50)")
    trend = ladder.ladder_trend(con, weeks=2)
    assert trend["week"].tolist() == ["2026-W09"] * 6 + ["2026-W10"] * 6
    assert trend["customers"].tolist() == [0] * 12
