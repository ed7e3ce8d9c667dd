"""Bad-review paths, their weekly funnel, the no-contact list and its items, seller replies."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import bad_reviews, bad_reviews_sql, ladder_store
from analysis.sql import query_df

D = dt.datetime
R = D(2026, 3, 1, 12)  # a Sunday: ISO week 2026-W09
day = dt.timedelta(days=1)


def add_review(con, key, order, customer, rating, content, at, *, shop="店A", reply=None,
               reply_time=None, score=None):
    con.execute(
        "INSERT INTO reviews (shop, review_key, order_id, customer_id, item_title, rating, "
        "content, review_time, seller_reply, reply_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [shop, key, order, customer, "杯子" + order, rating, content, at, reply, reply_time],
    )
    if score is not None:
        con.execute("INSERT INTO sentiment_scores VALUES ('stock', md5(?), ?, false, now())",
                    [content, score])


def add_ticket(con, tid, order, customer, opened, resolved=None, outcome=None, *, shop="店A"):
    con.execute(
        "INSERT INTO tickets (shop, ticket_id, order_id, customer_id, opened_at, resolved_at, "
        "outcome, source) VALUES (?, ?, ?, ?, ?, ?, ?, 'helpdesk')",
        [shop, tid, order, customer, opened, resolved, outcome],
    )


@pytest.fixture(params=["live", "stored"])
def paths(request, con):
    """The rows below; ``stored`` also builds the stored paths, which the functions then
    read (the same hand-computed answers either way)."""
    _paths(con)
    if request.param == "stored":
        ladder_store.refresh(con)
    assert ladder_store.is_current(con, None) is (request.param == "stored")
    return con


def _paths(con):
    # r1: ticket on the order 29 days before, resolved before the review → solved.
    add_review(con, "r1", "o1", "c1", 1, "坏了", R, reply="抱歉", reply_time=R + dt.timedelta(hours=2))
    add_ticket(con, "t1", "o1", "c1", R - 29 * day, R - 28 * day, "已补发")
    # r2: the only ticket was 31 days before → outside the window, no contact.
    add_review(con, "r2", "o2", "c2", 2, "一般", R, reply="您好", reply_time=R + dt.timedelta(hours=10))
    add_ticket(con, "t2", "o2", "c2", R - 31 * day, R - 30 * day, "已补发")
    # r3: the customer's ticket (another order) 29 days before, solved only after the review.
    add_review(con, "r3", "o3", "c3", 1, "差", R, reply="  ")
    add_ticket(con, "t3", "o-other", "c3", R - 29 * day, R + day, "已退款")
    # r4: resolved before the review, but the outcome was a refusal → not solved.
    add_review(con, "r4", "o4", "c4", 1, "差评", R)
    add_ticket(con, "t4", "o4", "c4", R - 5 * day, R - 4 * day, "拒绝退款")
    # r5: five stars, not negative; r6: no rating, sentiment 0.1 < 0.4 → negative, no ticket;
    # r7: no rating, sentiment 0.5 → not negative.
    add_review(con, "r5", "o5", "c5", 5, "好", R)
    add_review(con, "r6", "o6", "c6", None, "太差了", R, score=0.1)
    add_review(con, "r7", "o7", "c7", None, "还行吧", R, score=0.5)
    # r8 (next week): the ticket came after the review → no contact.
    add_review(con, "r8", "o8", "c8", 1, "烂", R + day)
    add_ticket(con, "t8", "o8", "c8", R + 2 * day)
    # Another shop's review of an order id that 店A has a ticket for: no contact there.
    add_review(con, "b1", "o1", "c1", 1, "坏", R, shop="店B")


def test_paths_per_shop(paths):
    assert bad_reviews.bad_review_paths(paths, None, None, shop="店A") == {
        "contacted_solved": 1, "contacted_unsolved": 2, "no_contact": 3}
    assert bad_reviews.bad_review_paths(paths, None, None) == {
        "contacted_solved": 1, "contacted_unsolved": 2, "no_contact": 4}


def test_window_setting_and_period(paths):
    # A 32-day window reaches r2's ticket (resolved before the review) → solved.
    wide = {"complaints.path_window_days": 32}
    assert bad_reviews.bad_review_paths(paths, None, None, shop="店A", settings=wide) == {
        "contacted_solved": 2, "contacted_unsolved": 2, "no_contact": 2}
    # Only the week of r8.
    assert bad_reviews.bad_review_paths(paths, D(2026, 3, 2), D(2026, 3, 9), shop="店A") == {
        "contacted_solved": 0, "contacted_unsolved": 0, "no_contact": 1}
    assert bad_reviews.bad_review_paths(paths, D(2027, 1, 1), None) == {
        "contacted_solved": None, "contacted_unsolved": None, "no_contact": None}


def test_exact_window_edge_counts(con):
    add_review(con, "e1", "o1", "c1", 1, "差", R)
    add_ticket(con, "t", "o1", "c1", R - 30 * day, R - 29 * day)
    assert bad_reviews.bad_review_paths(con, None, None)["contacted_solved"] == 1


def test_paths_by_week(paths):
    df = bad_reviews.paths_by_week(paths, None, None, shop="店A")
    assert df["week"].tolist() == ["2026-W09", "2026-W10"]
    assert df["negative"].tolist() == [5, 1]
    assert df["contacted_solved"].tolist() == [1, 0]
    assert df["contacted_unsolved"].tolist() == [2, 0]
    assert df["no_contact"].tolist() == [2, 1]
    assert df["no_contact_share"].tolist() == pytest.approx([0.4, 1.0])


def test_no_contact_list(paths):
    df = bad_reviews.no_contact_reviews(paths, None, None, shop="店A")
    assert df["order_id"].tolist() == ["o8", "o2", "o6"]
    assert df["content"].tolist() == ["烂", "一般", "太差了"]
    assert df["item_title"].tolist() == ["杯子o8", "杯子o2", "杯子o6"]


def test_seller_reply_stats(paths):
    got = bad_reviews.seller_reply_stats(paths, None, None, shop="店A")
    # 6 negative reviews, r1 and r2 replied (r3's reply is blank): median of [2, 10] h.
    assert got == {"negative": 6, "replied": 2, "reply_rate": pytest.approx(1 / 3),
                   "reply_median_h": pytest.approx(6.0)}
    assert bad_reviews.seller_reply_stats(paths, None, None, shop="店C") == {
        "negative": None, "replied": None, "reply_rate": None, "reply_median_h": None}


def test_figures_carry_the_numbers(paths):
    from analysis import complaint_figures as figs

    weekly = bad_reviews.paths_by_week(paths, None, None, shop="店A")
    funnel = figs.path_funnel_figure(weekly, "en")
    assert [tr.name for tr in funnel.data] == ["Contacted → solved", "Contacted → not solved", "No contact"]
    assert list(funnel.data[2].y) == [2, 1]
    share = figs.no_contact_share_figure(weekly, "zh")
    assert list(share.data[0].y) == pytest.approx([0.4, 1.0])
    import pandas as pd

    backlog = figs.backlog_figure(pd.DataFrame({"bucket": ["lt_24h", "1_3d", "3_7d", "gt_7d"],
                                                "tickets": [None] * 4}), "en")
    assert list(backlog.data[0].x) == ["< 24 h", "1–3 d", "3–7 d", "> 7 d"]
    assert list(backlog.data[0].y) == [None] * 4  # no data stays a gap, never 0
    effect = figs.call_effect_figure(pd.DataFrame({
        "week": ["2026-W10"], "called_orders": [2], "called_rate": [0.5],
        "not_called_orders": [3], "not_called_rate": [None]}), "en")
    assert list(effect.data[0].y) == [0.5] and pd.isna(effect.data[1].y[0])
    speed = figs.speed_by_week_figure(pd.DataFrame({
        "week": ["2026-W01"], "first_response_median_h": [None], "first_response_p90_h": [1.0],
        "resolution_median_h": [2.0], "resolution_p90_h": [3.0]}), "zh")
    assert len(speed.data) == 4 and pd.isna(speed.data[0].y[0])


def test_classified_reviews_with_a_narrow_projection(paths):
    sql = bad_reviews_sql.classified_reviews_sql(("review_key",),
                                                 stored=ladder_store.is_current(paths, None))
    params = bad_reviews_sql.classified_params(paths, None, None, "店A", None)
    df = query_df(paths, sql + " ORDER BY review_key", params)
    assert df.columns.tolist() == ["review_key", "tickets_before", "path"]
    assert df["review_key"].tolist() == ["r1", "r2", "r3", "r4", "r6", "r8"]
    assert df["path"].tolist() == ["contacted_solved", "no_contact", "contacted_unsolved",
                                   "contacted_unsolved", "no_contact", "no_contact"]
    assert df["tickets_before"].tolist() == [1, 0, 1, 1, 0, 0]
    with pytest.raises(ValueError):
        bad_reviews_sql.classified_reviews_sql(("phone",))


def test_a_ticket_matched_by_order_and_customer_counts_once(con):
    # t1 matches r1 both by order and by customer: one ticket before, not two.
    add_review(con, "r1", "o1", "c1", 1, "差", R)
    add_ticket(con, "t1", "o1", "c1", R - 2 * day, R - day, "已补发")
    add_ticket(con, "t2", "o9", "c1", R - 3 * day, None, None)
    df = query_df(con, bad_reviews_sql.classified_reviews_sql(("review_key",)),
                  bad_reviews_sql.classified_params(con, None, None, None, None))
    assert df[["tickets_before", "path"]].values.tolist() == [[2, "contacted_solved"]]


def test_tickets_before_the_period_still_count(paths):
    # Only 1 March: t1 (29 days before) and t4 (5 days before) were opened before the
    # period starts but inside the window, so r1 stays solved and r4 unsolved.
    assert bad_reviews.bad_review_paths(paths, D(2026, 3, 1), D(2026, 3, 2), shop="店A") == {
        "contacted_solved": 1, "contacted_unsolved": 2, "no_contact": 2}


def test_no_contact_items(con):
    def review(key, item, rating, when, order):
        con.execute("INSERT INTO reviews (shop, review_key, order_id, customer_id, item_title, "
                    "rating, review_time) VALUES ('店A', ?, ?, ?, ?, ?, ?)",
                    [key, order, "c" + order, item, rating, when])

    review("r1", "杯子", 1, D(2026, 11, 17, 9), "o1")
    review("r2", "杯子", 2, D(2026, 11, 18, 9), "o2")
    review("r3", "壶", 1, D(2026, 11, 18, 9), "o3")   # contacted and solved before: not counted
    review("r4", "壶", 1, D(2026, 11, 19, 9), "o4")
    review("r5", "杯子", 5, D(2026, 11, 19, 9), "o5")  # not negative
    review("r6", "杯子", 1, D(2026, 11, 24, 9), "o6")  # next week
    con.execute("INSERT INTO tickets (shop, ticket_id, order_id, customer_id, opened_at, resolved_at) "
                "VALUES ('店A', 't3', 'o3', 'co3', ?, ?)", [D(2026, 11, 16, 9), D(2026, 11, 16, 12)])
    start, end = D(2026, 11, 16), D(2026, 11, 23)  # ISO week 2026-W47
    got = bad_reviews.no_contact_items(con, start, end)
    assert got.to_dict("records") == [{"shop": "店A", "item_title": "杯子", "reviews": 2},
                                      {"shop": "店A", "item_title": "壶", "reviews": 1}]
    assert bad_reviews.no_contact_items(con, start, end, limit=1)["item_title"].tolist() == ["杯子"]
    assert bad_reviews.no_contact_items(con, start, end, shop="店B").empty
