"""RFM scores, segments and the data gate: a hand-built store and the UCI Online Retail file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import customer_figures, rfm

AS_OF = dt.datetime(2026, 6, 30, 12)


def order(con, oid, cid, days_ago, paid, status="交易成功"):
    when = AS_OF - dt.timedelta(days=days_ago)
    con.execute("INSERT INTO orders (shop, order_id, customer_id, order_time, paid_amount, status) "
                "VALUES ('S',?,?,?,?,?)", [oid, cid, when, paid, status])


@pytest.fixture
def five(con):
    # c1: 50 days, 1 order, 500 | c2: 40, 1, 100 | c3: 30, 1, 200 | c4: 20, 2, 300 |
    # c5: 10, 3, 400.
    order(con, "1", "c1", 50, 500)
    order(con, "1x", "c1", 5, 900, status="已取消")     # cancelled: not a purchase
    order(con, "2", "c2", 40, 100)
    order(con, "3", "c3", 30, 200)
    order(con, "4a", "c4", 80, 100)
    order(con, "4b", "c4", 20, 200)
    order(con, "5a", "c5", 90, 100)
    order(con, "5b", "c5", 60, 100)
    order(con, "5c", "c5", 10, 200)
    order(con, "n", None, 1, 999)                       # no id: not scored
    return con


def test_scores_and_segments_by_hand(five):
    df = rfm.rfm_scores(five, AS_OF).set_index("customer_id")
    assert df["recency_days"].to_dict() == {"c1": 50, "c2": 40, "c3": 30, "c4": 20, "c5": 10}
    assert df["frequency"].to_dict() == {"c1": 1, "c2": 1, "c3": 1, "c4": 2, "c5": 3}
    assert df["r"].to_dict() == {"c1": 1, "c2": 2, "c3": 3, "c4": 4, "c5": 5}
    # Three tie on one purchase: they share the lowest score.
    assert df["f"].to_dict() == {"c1": 1, "c2": 1, "c3": 1, "c4": 4, "c5": 5}
    assert df["m"].to_dict() == {"c1": 5, "c2": 1, "c3": 2, "c4": 3, "c5": 4}
    # High = above the mean score (R 3, F 2.4, M 3).
    assert df["segment"].to_dict() == {
        "c1": "important_win_back", "c2": "general_win_back", "c3": "general_win_back",
        "c4": "general_value", "c5": "important_value"}
    assert df["long_term"].to_dict() == {"c1": False, "c2": False, "c3": False, "c4": True,
                                         "c5": True}
    assert df.loc["c5", "span_days"] == 80


def test_segment_summary(five):
    out = rfm.segment_summary(rfm.rfm_scores(five, AS_OF)).set_index("segment")
    assert list(out.index) == list(rfm.SEGMENT_ORDER)
    assert out["customers"].to_dict() == {
        "important_value": 1, "important_develop": 0, "important_keep": 0,
        "important_win_back": 1, "general_value": 1, "general_develop": 0, "general_keep": 0,
        "general_win_back": 2}
    assert out.loc["important_value", "revenue_share"] == pytest.approx(400 / 1500)
    assert out.loc["general_win_back", "share"] == pytest.approx(0.4)
    assert out.loc["general_keep", "mean_monetary"] is None


def test_grid_cells_and_report(five):
    # By hand: r is 1..5 for c1..c5; f is 1 for the three one-time buyers, 4 for c4 (3 of 5
    # customers below) and 5 for c5. Spend c1 500, c2 100, c3 200, c4 300, c5 400.
    scores = rfm.rfm_scores(five, AS_OF)
    cells = rfm.grid_cells(scores)
    assert len(cells) == 25 and cells["customers"].sum() == 5
    filled = cells[cells["customers"] > 0]
    assert filled[["f", "r", "customers", "mean_monetary"]].values.tolist() == [
        [1, 1, 1, 500.0], [1, 2, 1, 100.0], [1, 3, 1, 200.0], [4, 4, 1, 300.0], [5, 5, 1, 400.0]]
    assert cells[cells["customers"] == 0]["mean_monetary"].isna().all()
    report = rfm.rfm_report(five, AS_OF)
    assert report["gate"] == {"key": "rfm.gate.few_customers", "params": {"customers": 5, "needed": 50}}
    pd.testing.assert_frame_equal(report["grid"], cells)
    assert report["summary"]["customers"].sum() == 5


def test_gate_explains_what_is_missing(con, five):
    assert rfm.rfm_gate(five, AS_OF) == {
        "key": "rfm.gate.few_customers", "params": {"customers": 5, "needed": 50}}


def test_gate_empty_and_one_day(con):
    assert rfm.rfm_gate(con, AS_OF) == {"key": "rfm.gate.no_purchases", "params": {}}
    for k in range(60):
        order(con, f"o{k}", f"c{k}", 3, 10 + k)
    assert rfm.rfm_gate(con, AS_OF) == {"key": "rfm.gate.one_day", "params": {}}
    order(con, "late", "c0", 1, 10)
    assert rfm.rfm_gate(con, AS_OF) is None
    # The same from the scores the page already has; a new customer on another day (no
    # customer spanning two days) is enough too.
    assert rfm.gate_of(rfm.rfm_scores(con, AS_OF)) is None
    con.execute("DELETE FROM orders WHERE order_id = 'late'")
    order(con, "other-day", "c99", 5, 10)
    assert rfm.gate_of(rfm.rfm_scores(con, AS_OF)) is None


# UCI Online Retail lines -> one order per invoice, item lines in order_items.
UCI_ORDERS_SQL = """
INSERT INTO orders (shop, order_id, customer_id, order_time, paid_amount, quantity, status)
SELECT 'UK', InvoiceNo,
       nullif(regexp_replace(any_value(CustomerID), '\\.0$', ''), ''),
       min(strptime(InvoiceDate, '%Y-%m-%d %H:%M:%S')),
       sum(CAST(Quantity AS INTEGER) * CAST(UnitPrice AS DECIMAL(18,2))),
       sum(CAST(Quantity AS INTEGER)),
       CASE WHEN InvoiceNo LIKE 'C%' THEN 'cancelled' END
FROM uci GROUP BY InvoiceNo
"""
UCI_ITEMS_SQL = """
INSERT INTO order_items (shop, order_id, line, item_id, item_title, unit_price, quantity)
SELECT 'UK', InvoiceNo, row_number() OVER (PARTITION BY InvoiceNo), StockCode, Description,
       CAST(UnitPrice AS DECIMAL(18,2)), CAST(Quantity AS INTEGER)
FROM uci
"""


def test_uci_online_retail_gives_sensible_rfm(con, realdata):
    path = realdata / "online_retail_first8000.csv"
    con.execute("CREATE TEMP TABLE uci AS SELECT * FROM read_csv(?, all_varchar = true)",
                [str(path)])
    con.execute(UCI_ORDERS_SQL)
    con.execute(UCI_ITEMS_SQL)
    as_of = dt.date(2010, 12, 5)
    assert rfm.rfm_gate(con, as_of) is None
    df = rfm.rfm_scores(con, as_of)
    # Float-looking ids were normalised: 17850.0 -> 17850.
    assert "17850" in set(df["customer_id"]) and not df["customer_id"].str.endswith(".0").any()
    for col in ("r", "f", "m"):
        assert df[col].between(1, 5).all()
    # Four days of data: recency and spend spread out; most bought once, and those share f=1.
    assert df["r"].nunique() >= 3 and df["m"].nunique() == 5
    assert (df.loc[df["frequency"] == 1, "f"] == 1).all()
    assert (df.loc[df["frequency"] > 1, "f"] > 1).all()
    expected_purchases = con.execute(
        "SELECT count(DISTINCT InvoiceNo) FROM uci WHERE InvoiceNo NOT LIKE 'C%' "
        "AND coalesce(CustomerID, '') <> ''").fetchone()[0]
    assert int(df["frequency"].sum()) == expected_purchases
    # Customers seen only on C-prefixed (cancelled) invoices are not scored.
    buyers = con.execute("SELECT count(DISTINCT CustomerID) FROM uci WHERE InvoiceNo NOT LIKE 'C%' "
                         "AND CustomerID IS NOT NULL").fetchone()[0]
    assert len(df) == buyers
    assert (df["monetary"] > 0).all()
    summary = rfm.segment_summary(df)
    assert (summary["customers"] > 0).sum() >= 4
    assert summary["customers"].sum() == len(df)
    assert df["long_term"].any() and not df["long_term"].all()
    fig = customer_figures.rfm_grid(rfm.grid_cells(df), "en")
    assert sum(map(sum, fig.data[0].z)) == len(df)
