"""The manager's weekly overview: this ISO week against last, 12-week sparklines, the same
week a year before where the data reaches back, and what changed in plain words.

Each tile's value for a week is the figure ``summary --week`` gives for that week (the same
functions compute both), so the overview and the command line never disagree.
"""

from __future__ import annotations

import pandas as pd

from analysis import periods
from analysis import settings as settings_mod
from analysis.i18n import fmt_hours, fmt_number, fmt_share, t

# Orders per ISO week: new buyers (first purchase ever in the week), repeat rate (share of the
# week's buying customers who had bought before the week or bought twice in it) and revenue.
WEEKLY_ORDERS_SQL = """
WITH p AS (
    SELECT shop, customer_id, coalesce(pay_time, order_time) AS ts, paid_amount
    FROM orders
    WHERE ($shop IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) < $end
),
firsts AS (
    SELECT shop, customer_id, min(ts) AS first_ts
    FROM p WHERE customer_id IS NOT NULL GROUP BY shop, customer_id
),
per_customer AS (
    SELECT iso_week_label(p.ts) AS week, p.shop, p.customer_id,
           min(p.ts) AS first_in_week, count(*) AS buys, any_value(f.first_ts) AS first_ts
    FROM p JOIN firsts f USING (shop, customer_id)
    WHERE p.ts >= $start
    GROUP BY ALL
),
revenue AS (
    SELECT iso_week_label(ts) AS week, sum(paid_amount) AS revenue
    FROM p WHERE ts >= $start GROUP BY 1
)
SELECT r.week, r.revenue,
       count(c.customer_id) FILTER (c.first_ts = c.first_in_week) AS new_buyers,
       count(c.customer_id) AS buying_customers,
       count(c.customer_id) FILTER (c.first_ts < c.first_in_week OR c.buys >= 2) AS repeat_customers
FROM revenue r LEFT JOIN per_customer c USING (week)
GROUP BY r.week, r.revenue
ORDER BY r.week
"""

KPIS = (
    # key, format, whether a rise is bad
    ("ladder_customers", "number", False),
    ("upper_rungs", "number", False),
    ("new_buyers", "number", False),
    ("repeat_rate", "share", False),
    ("high_end_revenue_share", "share", False),
    ("reviews", "number", False),
    ("negative_share", "share", True),
    ("no_contact", "number", True),
    ("resolution_median_h", "hours", True),
    ("within_sla_share", "share", False),
)


def _weeks(end_week: str, n: int) -> list[str]:
    return [periods.shift_week(end_week, k - n + 1) for k in range(n)]


def _float(value):
    return None if value is None or pd.isna(value) else float(value)


def _share(part, whole):
    return None if not whole else part / whole


def week_figures(con, week: str, *, shop: str | None = None, settings: dict | None = None) -> dict:
    """Every overview figure for one ISO week (flow over the week, state at its end).

    Returns
    -------
    dict
        Keys of :data:`KPIS` plus ``tiers`` (rung key -> customers), ``moved_up``,
        ``moved_down``, ``new_on_ladder``; None where there is no data.
    """
    from analysis import bad_reviews, complaints, highend, ladder
    from analysis.sentiment import reviews_summary

    conf = settings or settings_mod.get_all(con)
    p = periods.parse_week(week)
    moves = ladder.movement(con, week, shop=shop, settings=conf)
    tiers = ladder.counts_from_movement(moves)
    orders = con.execute(WEEKLY_ORDERS_SQL, {"shop": shop, "start": p.start, "end": p.end}).fetchall()
    _, _, new_buyers, buying, repeat = orders[0] if orders else (week, None, 0, 0, 0)
    rev = reviews_summary(con, p.start, p.end, shop=shop)
    comp = complaints.complaints_summary(con, p.start, p.end, p.as_of, shop=shop, settings=conf)
    paths = bad_reviews.bad_review_paths(con, p.start, p.end, shop=shop, settings=conf)
    high = highend.high_end_summary(con, p.start, p.end, p.as_of, shop=shop, settings=conf)
    return {
        "week": week,
        "tiers": tiers,
        "ladder_customers": sum(tiers.values()),
        "upper_rungs": tiers["supporter"] + tiers["advocate"],
        "moved_up": int(moves.loc[moves["direction"] == "up", "customers"].sum()),
        "moved_down": int(moves.loc[moves["direction"] == "down", "customers"].sum()),
        "new_on_ladder": int(moves.loc[moves["direction"] == "new", "customers"].sum()),
        "new_buyers": int(new_buyers),
        "repeat_rate": _share(repeat, buying),
        "high_end_revenue_share": high["revenue_share"],
        "reviews": rev["count"],
        "negative_share": _share(rev["negative"], rev["scored"]),
        "no_contact": paths["no_contact"],
        "resolution_median_h": comp["resolution_median_h"],
        "within_sla_share": comp["within_sla_share"],
    }


def sparklines(con, end_week: str, *, weeks: int = 12, shop: str | None = None,
               settings: dict | None = None) -> pd.DataFrame:
    """The overview figures for each of ``weeks`` ISO weeks ending with ``end_week``.

    Returns
    -------
    DataFrame
        ``week`` plus one column per key of :data:`KPIS`, oldest week first.
    """
    from analysis import bad_reviews, complaints, highend, ladder
    from analysis.sentiment import weekly_bands

    conf = settings or settings_mod.get_all(con)
    labels = _weeks(end_week, weeks)
    first, last = periods.parse_week(labels[0]), periods.parse_week(labels[-1])
    trend = ladder.ladder_trend(con, weeks=weeks, end_week=end_week, shop=shop, settings=conf)
    ladder_total = trend.groupby("week")["customers"].sum()
    upper = trend[trend["rung"] >= 5].groupby("week")["customers"].sum()
    orders = con.execute(WEEKLY_ORDERS_SQL, {"shop": shop, "start": first.start, "end": last.end}).df()
    orders = orders.set_index("week")
    bands = weekly_bands(con, shop=shop, weeks=weeks, end=last.end).set_index("week")
    paths = bad_reviews.paths_by_week(con, first.start, last.end, shop=shop, settings=conf).set_index("week")
    # One grouped query per figure, each week's state at its end: the values week_figures
    # gives, without a summary per week.
    speed = complaints.summary_by_week(con, first.start, last.end, shop=shop,
                                       settings=conf).set_index("week")
    share = highend.revenue_share_by_week(con, first.start, last.end, shop=shop,
                                          settings=conf).set_index("week")["revenue_share"]
    rows = []
    for label in labels:
        o = orders.loc[label] if label in orders.index else None
        b = bands.loc[label] if label in bands.index else None
        comp = speed.loc[label] if label in speed.index else {}
        rows.append({
            "week": label,
            "ladder_customers": int(ladder_total.get(label, 0)),
            "upper_rungs": int(upper.get(label, 0)),
            "new_buyers": 0 if o is None else int(o["new_buyers"]),
            "repeat_rate": None if o is None else _share(o["repeat_customers"], o["buying_customers"]),
            "high_end_revenue_share": _float(share.get(label)),
            "reviews": 0 if b is None else int(b["count"]),
            "negative_share": None if b is None else _share(b["negative"], b["scored"]),
            # No negative review that week: None, as bad_review_paths says for the week.
            "no_contact": int(paths.loc[label, "no_contact"]) if label in paths.index else None,
            "resolution_median_h": _float(comp.get("resolution_median_h")),
            "within_sla_share": _float(comp.get("within_sla_share")),
        })
    return pd.DataFrame(rows)


def earliest_week(con, *, shop: str | None = None) -> str | None:
    """The ISO week of the earliest order, review or ticket."""
    from analysis.summary import summary_period

    start = summary_period(con, None, shop=shop)["from"]
    return None if start is None else periods.week_of(start)


def overview(con, week: str, *, shop: str | None = None) -> dict:
    """This week, last week, the same week a year before (when the data reaches back), the
    12-week sparklines and the plain-words changes.

    Returns
    -------
    dict
        ``this``, ``last``, ``year_ago`` (None when the data does not reach back),
        ``sparklines`` (DataFrame), ``year_ago_week``.
    """
    conf = settings_mod.get_all(con)
    last_week = periods.shift_week(week, -1)
    year_ago_week = periods.shift_week(week, -52)
    first = earliest_week(con, shop=shop)
    year_ago = (week_figures(con, year_ago_week, shop=shop, settings=conf)
                if first is not None and first <= year_ago_week else None)
    return {
        "this": week_figures(con, week, shop=shop, settings=conf),
        "last": week_figures(con, last_week, shop=shop, settings=conf),
        "year_ago": year_ago,
        "year_ago_week": year_ago_week,
        "sparklines": sparklines(con, week, shop=shop, settings=conf),
    }


def format_value(key: str, value, lang: str) -> str:
    """A figure formatted for its tile ("—" for no data)."""
    kind = dict((k, f) for k, f, _ in KPIS)[key]
    if kind == "share":
        return fmt_share(value, lang)
    if kind == "hours":
        return fmt_hours(value, lang)
    return fmt_number(value, lang)


def what_changed(this: dict, last: dict, lang: str, *, limit: int = 3) -> list[str]:
    """The biggest week-over-week changes as short plain sentences, worst news first.

    A change is ranked by its relative size; a figure with no data in either week is left
    out. Sentences come from the catalogue (``overview.change.*``).
    """
    ranked = []
    for key, kind, rise_is_bad in KPIS:
        a, b = this.get(key), last.get(key)
        if a is None or b is None or a == b:
            continue
        rel = abs(a - b) / max(abs(b), 1e-9) if kind != "share" else abs(a - b) * 5
        bad = (a > b) == rise_is_bad
        ranked.append((not bad, -rel, key, a, b))
    ranked.sort()
    lines = []
    for _, _, key, a, b in ranked[:limit]:
        direction = "up" if a > b else "down"
        lines.append(t(f"overview.change.{direction}", lang, what=t(f"overview.kpi.{key}", lang),
                       now=format_value(key, a, lang), before=format_value(key, b, lang)))
    if this.get("moved_up") or this.get("moved_down"):
        lines.append(t("overview.change.ladder", lang, up=this["moved_up"], down=this["moved_down"]))
    return lines
