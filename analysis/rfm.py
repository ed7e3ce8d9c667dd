"""Value segments: RFM scores, the classic eight named segments, long-term vs one-off.

Scores (docs/design.md "Metrics" → Value segments) are 1–5 by quintile of the customers' rank:
``score = 1 + floor(5 * (rank - 1) / customers)``, ``rank - 1`` being the number of customers
with a lower value, so that equal values share a score (``ntile`` would split, say, the many
one-purchase customers across three frequency scores at random). Recency is reversed: the
most recent buyers score 5.

Segments follow the classic eight-way RFM model: each of R, F, M is *high* when the
customer's score is above the mean score of that letter over the scored customers, else
*low* (so when every customer has the same frequency nobody is high on F):

- R high, F high, M high: 重要价值客户 (important value, champions)
- R high, F low, M high: 重要发展客户 (important to develop)
- R low, F high, M high: 重要保持客户 (important to keep)
- R low, F low, M high: 重要挽留客户 (important to win back)
- R high, F high, M low: 一般价值客户 (general value)
- R high, F low, M low: 一般发展客户 (general to develop)
- R low, F high, M low: 一般保持客户 (general to keep)
- R low, F low, M low: 一般挽留客户 (general to win back)

Long-term customers have bought at least twice (the rest are one-off).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.periods import as_timestamp

# Fewer customers than this make quintiles noise: the page explains instead of scoring.
MIN_CUSTOMERS = 50
LONG_TERM_MIN_PURCHASES = 2

# (R, F, M) high? -> segment code; order is the display order.
SEGMENTS = {
    (True, True, True): "important_value",
    (True, False, True): "important_develop",
    (False, True, True): "important_keep",
    (False, False, True): "important_win_back",
    (True, True, False): "general_value",
    (True, False, False): "general_develop",
    (False, True, False): "general_keep",
    (False, False, False): "general_win_back",
}
SEGMENT_ORDER = tuple(SEGMENTS.values())

# Per customer with a purchase at or before $as_of: recency, frequency, monetary and scores.
RFM_SQL = """
WITH buy AS (
    SELECT shop, customer_id, coalesce(pay_time, order_time) AS t, paid_amount
    FROM orders
    WHERE customer_id IS NOT NULL
      AND (CAST($shop AS VARCHAR) IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) <= $as_of
),
base AS (
    SELECT shop, customer_id,
           date_diff('day', max(t), $as_of) AS recency_days,
           count(*) AS frequency,
           coalesce(sum(paid_amount), 0) AS monetary,
           date_diff('day', min(t), max(t)) AS span_days
    FROM buy
    GROUP BY ALL
),
-- rank() - 1 is the number of customers with a lower value. Each score comes from a table of
-- the distinct values with their counts (a running sum of counts instead of sorting and
-- ranking everyone), and the mean scores from those tables (no window over all customers).
n AS (SELECT count(*) AS n FROM base),
r_scale AS (
    SELECT recency_days, count(*) AS k,
           CAST(1 + floor(5 * (sum(count(*)) OVER (ORDER BY recency_days DESC) - count(*))
                          / any_value(n.n)) AS INTEGER) AS r
    FROM base, n GROUP BY recency_days
),
f_scale AS (
    SELECT frequency, count(*) AS k,
           CAST(1 + floor(5 * (sum(count(*)) OVER (ORDER BY frequency) - count(*))
                          / any_value(n.n)) AS INTEGER) AS f
    FROM base, n GROUP BY frequency
),
m_scale AS (
    SELECT monetary, count(*) AS k,
           CAST(1 + floor(5 * (sum(count(*)) OVER (ORDER BY monetary) - count(*))
                          / any_value(n.n)) AS INTEGER) AS m
    FROM base, n GROUP BY monetary
),
means AS (
    SELECT (SELECT sum(r * k) FROM r_scale) / n AS r_mean,
           (SELECT sum(f * k) FROM f_scale) / n AS f_mean,
           (SELECT sum(m * k) FROM m_scale) / n AS m_mean
    FROM n
)
SELECT shop, customer_id, recency_days, frequency, monetary, span_days, r, f, m,
       r > r_mean AS r_high,
       f > f_mean AS f_high,
       m > m_mean AS m_high,
       frequency >= $long_term AS long_term
FROM base JOIN r_scale USING (recency_days) JOIN f_scale USING (frequency)
     JOIN m_scale USING (monetary), means
"""



def rfm_scores(con, as_of, *, shop: str | None = None) -> pd.DataFrame:
    """RFM scores of every customer with a purchase at or before ``as_of``.

    Returns
    -------
    DataFrame
        In no particular order: shop, customer_id, recency_days (days since the last purchase), frequency
        (purchases), monetary (paid amount), span_days (first to last purchase), r, f, m
        (1–5), segment (a code of :data:`SEGMENTS`; names in ``analysis.i18n``
        ``rfm.segment.<code>``), long_term (bool).
    """
    params = {"as_of": as_timestamp(as_of), "shop": shop, "long_term": LONG_TERM_MIN_PURCHASES}
    df = con.execute(RFM_SQL, params).df()
    # Segment by table lookup on the three flags as a 3-bit index (a Python loop over
    # 300k customers cost ~0.1 s).
    codes = np.array([SEGMENTS[(bool(i & 4), bool(i & 2), bool(i & 1))] for i in range(8)],
                     dtype=object)
    index = (df.pop("r_high").to_numpy(bool) * 4 + df.pop("f_high").to_numpy(bool) * 2
             + df.pop("m_high").to_numpy(bool))
    df["segment"] = pd.Series(codes[index], index=df.index, dtype=object)
    cols = ["shop", "customer_id", "recency_days", "frequency", "monetary", "span_days",
            "r", "f", "m", "segment", "long_term"]
    return df[cols]


def rfm_gate(con, as_of, *, shop: str | None = None) -> dict | None:
    """Why RFM would be noise here, or None when there is enough data (see :func:`gate_of`)."""
    return gate_of(rfm_scores(con, as_of, shop=shop))


def gate_of(scores: pd.DataFrame) -> dict | None:
    """Why the RFM scores ``scores`` (from :func:`rfm_scores`) would be noise, or None.

    Purchases all fell on one day exactly when every customer's purchases span no day and
    all are the same number of days before ``as_of``.

    Returns
    -------
    dict or None
        ``{"key": i18n key, "params": {...}}``: ``rfm.gate.no_purchases``,
        ``rfm.gate.few_customers`` (customers, needed) or ``rfm.gate.one_day`` (all
        purchases on one day: recency cannot tell anyone apart).
    """
    customers = len(scores)
    one_day = customers > 0 and scores["span_days"].max() == 0 \
        and scores["recency_days"].nunique() == 1
    if customers == 0:
        return {"key": "rfm.gate.no_purchases", "params": {}}
    if customers < MIN_CUSTOMERS:
        return {"key": "rfm.gate.few_customers",
                "params": {"customers": int(customers), "needed": MIN_CUSTOMERS}}
    if one_day:
        return {"key": "rfm.gate.one_day", "params": {}}
    return None


def grid_cells(scores: pd.DataFrame) -> pd.DataFrame:
    """Customers and their mean spend in each of the 25 R × F cells of :func:`rfm_scores`.

    Returns
    -------
    DataFrame
        ``f, r, customers, mean_monetary`` for every f and r in 1–5 (f major); 0 customers
        and ``NaN`` spend in an empty cell.
    """
    scale = [1, 2, 3, 4, 5]
    cells = pd.MultiIndex.from_product([scale, scale], names=["f", "r"])
    grouped = scores.groupby(["f", "r"]).agg(customers=("customer_id", "size"),
                                            mean_monetary=("monetary", "mean"))
    out = grouped.reindex(cells)
    out["customers"] = out["customers"].fillna(0).astype("int64")
    out["mean_monetary"] = out["mean_monetary"].astype(float)
    return out.reset_index()


def rfm_report(con, as_of, *, shop: str | None = None) -> dict:
    """What the RFM view shows, from one scoring: ``scores`` (:func:`rfm_scores`), ``gate``
    (:func:`gate_of`), ``summary`` (:func:`segment_summary`) and ``grid``
    (:func:`grid_cells`); cached as one, so a repeated view redoes no grouping."""
    scores = rfm_scores(con, as_of, shop=shop)
    return {"scores": scores, "gate": gate_of(scores), "summary": segment_summary(scores),
            "grid": grid_cells(scores)}


def segment_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per segment (all eight, display order) from :func:`rfm_scores`.

    Returns
    -------
    DataFrame
        segment, customers, share (of scored customers), revenue, revenue_share,
        median_recency_days, mean_frequency, mean_monetary, long_term_share; None for the
        averages of an empty segment, and for shares when nobody is scored.
    """
    total_customers = len(scores)
    total_revenue = float(scores["monetary"].sum()) if total_customers else 0.0
    grouped = scores.groupby("segment").agg(
        customers=("customer_id", "size"),
        revenue=("monetary", "sum"),
        median_recency_days=("recency_days", "median"),
        mean_frequency=("frequency", "mean"),
        mean_monetary=("monetary", "mean"),
        long_term_share=("long_term", "mean"),
    )
    out = grouped.reindex(list(SEGMENT_ORDER)).rename_axis("segment").reset_index()
    out["customers"] = out["customers"].fillna(0).astype("int64")
    out["revenue"] = out["revenue"].fillna(0.0)
    out["share"] = out["customers"] / total_customers if total_customers else None
    out["revenue_share"] = out["revenue"] / total_revenue if total_revenue else None
    out = out.astype(object).where(out.notna(), None)
    return out[["segment", "customers", "share", "revenue", "revenue_share",
                "median_recency_days", "mean_frequency", "mean_monetary", "long_term_share"]]
