"""The stored weekly ladder gives the live ladder's answers, and is never used once stale."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import db, highend, highend_sql, ladder, ladder_sql, ladder_store, periods
from tests.analysis.test_ladder import order, review, score

WEEK = "2026-W47"


def week_end(label: str) -> dt.datetime:
    return periods.parse_week(label).as_of


def test_a_hand_built_store_is_placed_at_week_ends(con):
    # W01 of 2026 ends Sunday 2026-01-04. A buys on Tuesday of W01 and of W03: buyer at the
    # end of W01 and W02, customer from W03. B reviews with 1 star in W02 and never buys:
    # prospect from W02. C buys in W03.
    score(con, "差", 0.1)
    order(con, "a1", "A", dt.datetime(2025, 12, 30, 10))
    order(con, "a2", "A", dt.datetime(2026, 1, 13, 10))
    review(con, "b1", "B", dt.datetime(2026, 1, 8, 9), 1, "差")
    order(con, "c1", "C", dt.datetime(2026, 1, 14, 10))
    got = ladder_store.refresh(con)
    assert got["customers"] == 3
    assert got["first_week_end"] == week_end("2026-W03") - 120 * ladder_store.WEEK
    ks = ladder_store.grid_indices(con, [week_end(w) for w in ("2026-W01", "2026-W02", "2026-W03")])
    assert ks == [118, 119, 120]
    counts = ladder_store.counts(con, ks)
    assert sorted(map(tuple, counts[["k", "rung", "customers"]].values.tolist())) == [
        (118, 3, 1), (119, 2, 1), (119, 3, 1), (120, 2, 1), (120, 3, 1), (120, 4, 1)]
    moves = ladder_store.moves(con, [(119, 120)])[0]
    assert moves.values.tolist() == [[0, 3, 1], [2, 2, 1], [3, 4, 1]]
    assert ladder_store.customers_on(con, 120, 4) == ["A"]
    assert ladder_store.customers_moved(con, 119, 120, 0, 3) == ["C"]
    # Through the ladder's own functions, at a week end and mid-week.
    assert ladder.tier_counts(con, week_end("2026-W02"))["prospect"] == 1
    mid_week = dt.datetime(2026, 1, 13, 12)
    assert ladder_store.grid_indices(con, [mid_week]) is None
    assert ladder.tier_counts(con, mid_week)["customer"] == 1


def test_stored_answers_equal_live_answers_on_the_demo(demo_con):
    weeks = [periods.shift_week(WEEK, -k) for k in range(14)]
    assert ladder_store.grid_indices(demo_con, [week_end(WEEK)]) is not None  # made with it
    stored = {
        "trend": ladder.ladder_trend(demo_con, weeks=26, end_week=WEEK),
        "moves": ladder.week_movements(demo_con, weeks),
        "counts": ladder.tier_counts(demo_con, week_end("2026-W40")),
        "rungs": {r: ladder.customers_in_rung(demo_con, week_end(WEEK), r) for r in (3, 5, 6)},
        "moved": ladder.movement_list(demo_con, WEEK, 0, 3),
        "up": ladder.movement_list(demo_con, WEEK, 4, 5),
    }
    ladder_store.clear(demo_con)
    assert ladder_store.grid_indices(demo_con, [week_end(WEEK)]) is None
    pd.testing.assert_frame_equal(stored["trend"], ladder.ladder_trend(demo_con, weeks=26, end_week=WEEK))
    live_moves = ladder.week_movements(demo_con, weeks)
    for w in weeks:
        pd.testing.assert_frame_equal(stored["moves"][w], live_moves[w], check_dtype=False)
    assert stored["counts"] == ladder.tier_counts(demo_con, week_end("2026-W40"))
    for r, frame in stored["rungs"].items():
        live = ladder.customers_in_rung(demo_con, week_end(WEEK), r)
        assert len(frame) > 0
        pd.testing.assert_frame_equal(frame, live)
    pd.testing.assert_frame_equal(stored["moved"], ladder.movement_list(demo_con, WEEK, 0, 3))
    pd.testing.assert_frame_equal(stored["up"], ladder.movement_list(demo_con, WEEK, 4, 5))


def test_a_change_that_skipped_the_refresh_is_computed_live(demo_con):
    at = week_end(WEEK)
    before = ladder.tier_counts(demo_con, at)
    # A new buyer written straight into the table, as no writer of the app does.
    order(demo_con, "new-1", "brand-new", at - dt.timedelta(days=1), shop="默认店铺")
    assert ladder_store.grid_indices(demo_con, [at]) is None
    after = ladder.tier_counts(demo_con, at)
    assert after["buyer"] == before["buyer"] + 1
    assert ladder_store.refresh_if_stale(demo_con) is True
    assert ladder_store.grid_indices(demo_con, [at]) is not None
    assert ladder.tier_counts(demo_con, at) == after
    assert ladder_store.refresh_if_stale(demo_con) is False


def test_other_settings_or_model_are_computed_live(demo_con):
    at = week_end(WEEK)
    settings = {"ladder.supporter_min_purchases": 2}
    assert ladder_store.grid_indices(demo_con, [at], settings) is None
    assert ladder_store.grid_indices(demo_con, [at], {"sentiment.model": "store"}) is None
    stored = ladder.tier_counts(demo_con, at)
    live = ladder.tier_counts(demo_con, at, settings=settings)
    assert live["supporter"] + live["advocate"] > stored["supporter"] + stored["advocate"]


def test_cli_import_brings_the_stored_ladder_up_to_date(tmp_path):
    from analysis.cli import main

    path = tmp_path / "store.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("订单编号,买家会员名,订单付款时间,买家实际支付金额\n"
                   "1001,tb_a,2026-11-17 10:00:00,99.00\n"
                   "1002,tb_a,2026-11-18 10:00:00,59.00\n", encoding="utf-8")
    assert main(["import", str(csv), "--kind", "orders", "--db", str(path)]) == 0
    with db.connection(path) as c:
        assert ladder_store.grid_indices(c, [week_end(WEEK)]) is not None
        assert ladder.tier_counts(c, week_end(WEEK))["customer"] == 1
        assert ladder.tier_counts(c, week_end("2026-W46")) == {
            "unrelated": 0, "prospect": 0, "buyer": 0, "customer": 0, "supporter": 0,
            "advocate": 0}


def test_buyer_rungs_without_tickets_and_contacts_equal_the_full_rules(demo_con):
    full = ladder.rungs_as_of(demo_con, week_end(WEEK), min_rung=3)
    params = {**ladder_sql.rule_params(demo_con, [week_end(WEEK)], None, None, all_items=False),
              "this": week_end(WEEK), "min_rung": 3}
    cheap = demo_con.execute(ladder_sql.only_customers(ladder_sql.BUYER_RUNGS_SQL, False),
                             params).df()
    key = ["shop", "customer_id"]
    assert len(full) > 100 and set(full["rung"]) == {3, 4, 5, 6}
    pd.testing.assert_frame_equal(full.sort_values(key).reset_index(drop=True),
                                  cheap.sort_values(key).reset_index(drop=True))


def test_a_ladder_restricted_to_some_customers_places_them_as_the_whole_ladder(demo_con):
    # The restricted form reads those customers' reviews and scores through its own subquery.
    at = week_end(WEEK)
    whole = ladder.tiers_as_of(demo_con, at)
    some = whole["customer_id"].iloc[::5].tolist()
    part = ladder.tiers_as_of(demo_con, at, customers=some)
    assert set(part["rung"]) == set(whole["rung"]) and len(part) == len(some)
    key = ["shop", "customer_id"]
    expected = whole[whole["customer_id"].isin(some)].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(part.sort_values(key).reset_index(drop=True), expected)


def test_the_high_end_price_is_stored_for_each_shop(con):
    # 80th percentile (linear) of 100, 200, 300, 400, 500 = 420; of shop T's 100, 900 = 740.
    for k, price in enumerate((100, 200, 300, 400, 500)):
        order(con, f"s{k}", f"c{k}", dt.datetime(2026, 11, 17, 10), amount=price)
    for k, price in enumerate((100, 900)):
        order(con, f"t{k}", f"d{k}", dt.datetime(2026, 11, 17, 10), amount=price, shop="T")
    ladder_store.refresh(con)
    assert ladder_store.stored_high_end_price(con, "S") == pytest.approx(420.0)
    assert ladder_store.stored_high_end_price(con, "T") == pytest.approx(740.0)
    assert (ladder_store.stored_high_end_price(con, None)
            == highend_sql.computed_high_end_threshold(con))
    assert highend.high_end_threshold(con, shop="T") == pytest.approx(740.0)
    # Another percentile, or a change of data, is not answered from the store.
    assert ladder_store.stored_high_end_price(con, "S", {"high_end.percentile": 0.5}) is False
    assert highend.high_end_threshold(con, shop="S", settings={"high_end.percentile": 0.5}) == 300.0
    order(con, "s9", "c9", dt.datetime(2026, 11, 18, 10), amount=1000)
    assert ladder_store.stored_high_end_price(con, "S") is False
    assert highend.high_end_threshold(con, shop="S") == pytest.approx(500.0)  # index 4 of 6


def test_a_database_from_before_the_stored_ladder_gets_it_when_opened(tmp_path):
    path = tmp_path / "old.duckdb"
    with db.connection(path) as c:
        order(c, "1", "A", dt.datetime(2026, 11, 17, 10))
        c.execute("DELETE FROM ladder_grid")  # as a database from the previous version
    with db.connection(path, read_only=True) as c:  # a read-only open changes nothing
        assert c.execute("SELECT count(*) FROM ladder_grid").fetchone()[0] == 0
    with db.connection(path) as c:
        assert ladder_store.grid_indices(c, [week_end(WEEK)]) is not None
        assert ladder.tier_counts(c, week_end(WEEK))["buyer"] == 1
        assert ladder_store.build_if_missing(c) is False  # once only


def test_call_lists_from_the_stored_day_ends_equal_the_live_ones(demo_con):
    from analysis import care

    days = [dt.date(2026, 11, 20) - dt.timedelta(days=d) for d in range(0, 120, 7)]
    settings = {"care.min_rung": "buyer", "care.calls_per_agent": 500}  # every rung listed
    ends = [dt.datetime.combine(d, dt.time()) + dt.timedelta(days=1, microseconds=-1) for d in days]
    assert all(ladder_store.day_index(demo_con, e, settings) is not None for e in ends)
    stored = [care.call_list(demo_con, d, settings=settings) for d in days]
    assert sum(len(s) for s in stored) > 50
    assert {r for s in stored for r in s["rung"].dropna()} == {3, 4, 5, 6}
    ladder_store.clear(demo_con)
    assert ladder_store.day_index(demo_con, ends[0], settings) is None
    for day, got in zip(days, stored):
        pd.testing.assert_frame_equal(got, care.call_list(demo_con, day, settings=settings),
                                      obj=str(day))
