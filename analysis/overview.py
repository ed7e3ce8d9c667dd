"""The manager's weekly overview: this ISO week against last, 12-week sparklines, the same
week a year before where the data reaches back, and what changed in plain words.

Each tile's value for a week is the figure ``summary --week`` gives for that week (the same
functions compute both), so the overview and the command line never disagree.
"""

from __future__ import annotations

import pandas as pd

from analysis import bad_reviews, complaints, highend, ladder, periods
from analysis import settings as settings_mod
from analysis.i18n import fmt_hours, fmt_number, fmt_share, t
from analysis.sentiment import reviews_summary, weekly_bands
from analysis.summary import summary_period

# Orders in the ISO weeks starting on the Mondays $mondays (any set of weeks; $end the end
# of the latest): new buyers (first purchase ever in the week), repeat rate (share of the
# week's buying customers who had bought before the week or bought twice in it) and revenue.
# First purchases are looked up only for the weeks' buyers.
WEEKLY_ORDERS_SQL = """
WITH p AS (
    SELECT shop, customer_id, coalesce(pay_time, order_time) AS ts, paid_amount
    FROM orders
    WHERE ($shop IS NULL OR shop = $shop)
      AND is_purchase(paid_amount, pay_time, status, refund_amount)
      AND coalesce(pay_time, order_time) < $end
),
wk AS (
    SELECT shop, customer_id, ts, paid_amount, date_trunc('week', ts) AS monday FROM p
    WHERE date_trunc('week', ts) IN (SELECT unnest(CAST($mondays AS TIMESTAMP[])))
),
per_customer AS (
    SELECT monday, shop, customer_id, min(ts) AS first_in_week, count(*) AS buys
    FROM wk WHERE customer_id IS NOT NULL GROUP BY ALL
),
firsts AS (
    SELECT shop, customer_id, min(ts) AS first_ts
    FROM p WHERE customer_id IN (SELECT customer_id FROM per_customer) GROUP BY ALL
),
revenue AS (SELECT monday, sum(paid_amount) AS revenue FROM wk GROUP BY 1)
SELECT iso_week_label(r.monday) AS week, r.revenue,
       count(c.customer_id) FILTER (f.first_ts = c.first_in_week) AS new_buyers,
       count(c.customer_id) AS buying_customers,
       count(c.customer_id) FILTER (f.first_ts < c.first_in_week OR c.buys >= 2) AS repeat_customers
FROM revenue r
LEFT JOIN per_customer c USING (monday)
LEFT JOIN firsts f USING (shop, customer_id)
GROUP BY r.monday, r.revenue
ORDER BY r.monday
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


def _ladder_figures(moves: pd.DataFrame) -> dict:
    """The ladder's tile figures from a week's :func:`analysis.ladder.movement` table."""
    tiers = ladder.counts_from_movement(moves)
    return {
        "tiers": tiers,
        "ladder_customers": sum(tiers.values()),
        "upper_rungs": tiers["supporter"] + tiers["advocate"],
        **{key: int(moves.loc[moves["direction"] == direction, "customers"].sum())
           for key, direction in (("moved_up", "up"), ("moved_down", "down"),
                                  ("new_on_ladder", "new"))},
    }


def week_figures(con, week: str, *, shop: str | None = None, settings: dict | None = None) -> dict:
    """Every overview figure for one ISO week (flow over the week, state at its end).

    Returns
    -------
    dict
        Keys of :data:`KPIS` plus ``tiers`` (rung key -> customers), ``moved_up``,
        ``moved_down``, ``new_on_ladder``; None where there is no data.
    """
    conf = settings or settings_mod.get_all(con)
    p = periods.parse_week(week)
    moves = ladder.movement(con, week, shop=shop, settings=conf)
    orders = con.execute(WEEKLY_ORDERS_SQL, {"shop": shop, "mondays": [p.start],
                                             "end": p.end}).fetchall()
    _, _, new_buyers, buying, repeat = orders[0] if orders else (week, None, 0, 0, 0)
    rev = reviews_summary(con, p.start, p.end, shop=shop)
    comp = complaints.complaints_summary(con, p.start, p.end, p.as_of, shop=shop, settings=conf)
    paths = bad_reviews.bad_review_paths(con, p.start, p.end, shop=shop, settings=conf)
    high = highend.high_end_summary(con, p.start, p.end, p.as_of, shop=shop, settings=conf)
    return {
        "week": week,
        **_ladder_figures(moves),
        "new_buyers": int(new_buyers),
        "repeat_rate": _share(repeat, buying),
        "high_end_revenue_share": high["revenue_share"],
        "reviews": rev["count"],
        "negative_share": _share(rev["negative"], rev["scored"]),
        "no_contact": paths["no_contact"],
        "resolution_median_h": comp["resolution_median_h"],
        "within_sla_share": comp["within_sla_share"],
    }


def _runs(labels: list[str]) -> list[tuple[str, str, int]]:
    """``labels`` (oldest first) as runs of consecutive weeks: (first, last, weeks) of each."""
    runs = []
    for label in labels:
        if runs and periods.shift_week(runs[-1][1], 1) == label:
            runs[-1] = (runs[-1][0], label, runs[-1][2] + 1)
        else:
            runs.append((label, label, 1))
    return runs


def weeks_figures(con, weeks, *, shop: str | None = None,
                  settings: dict | None = None) -> dict[str, dict]:
    """:func:`week_figures` for each ISO week of ``weeks`` from one grouped query per figure
    (the ladder's movement for all weeks in one query too), instead of a summary per week.

    Weeks may come in any order and with gaps (the sparkline's weeks and the same week a
    year before); each week's values equal :func:`week_figures` for it.

    Returns
    -------
    dict
        week label -> the dict :func:`week_figures` returns for it.
    """
    conf = settings or settings_mod.get_all(con)
    labels = sorted(set(weeks), key=lambda w: periods.parse_week(w).start)
    if not labels:
        return {}
    moves = ladder.week_movements(con, labels, shop=shop, settings=conf)
    orders = con.execute(WEEKLY_ORDERS_SQL, {
        "shop": shop, "mondays": [periods.parse_week(w).start for w in labels],
        "end": periods.parse_week(labels[-1]).end}).df().set_index("week")
    share = highend.revenue_share_in_weeks(con, labels, shop=shop, settings=conf)
    share = share.set_index("week")["revenue_share"]
    # The grouped queries over periods are run once per run of consecutive weeks (the
    # sparkline's, and a year before).
    bands, paths, speed = [], [], []
    for first, last, n in _runs(labels):
        start, end = periods.parse_week(first).start, periods.parse_week(last).end
        bands.append(weekly_bands(con, shop=shop, weeks=n, end=end))
        paths.append(bad_reviews.paths_by_week(con, start, end, shop=shop, settings=conf))
        speed.append(complaints.summary_by_week(con, start, end, shop=shop, settings=conf))
    bands = pd.concat(bands).set_index("week")
    paths = pd.concat(paths).set_index("week")
    speed = pd.concat(speed).set_index("week")
    out = {}
    for label in labels:
        m = moves[label]
        o = orders.loc[label] if label in orders.index else None
        b = bands.loc[label] if label in bands.index else None
        comp = speed.loc[label] if label in speed.index else {}
        out[label] = {
            "week": label,
            **_ladder_figures(m),
            "new_buyers": 0 if o is None else int(o["new_buyers"]),
            "repeat_rate": None if o is None else _share(o["repeat_customers"], o["buying_customers"]),
            "high_end_revenue_share": _float(share.get(label)),
            "reviews": 0 if b is None else int(b["count"]),
            "negative_share": None if b is None else _share(b["negative"], b["scored"]),
            # No negative review that week: None, as bad_review_paths says for the week.
            "no_contact": int(paths.loc[label, "no_contact"]) if label in paths.index else None,
            "resolution_median_h": _float(comp.get("resolution_median_h")),
            "within_sla_share": _float(comp.get("within_sla_share")),
        }
    return out


def _sparkline_frame(figures: dict[str, dict], labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"week": w, **{k: figures[w][k] for k, _, _ in KPIS}} for w in labels],
                        columns=["week", *(k for k, _, _ in KPIS)])


def sparklines(con, end_week: str, *, weeks: int = 12, shop: str | None = None,
               settings: dict | None = None) -> pd.DataFrame:
    """The overview figures for each of ``weeks`` ISO weeks ending with ``end_week``.

    Returns
    -------
    DataFrame
        ``week`` plus one column per key of :data:`KPIS`, oldest week first.
    """
    labels = _weeks(end_week, weeks)
    return _sparkline_frame(weeks_figures(con, labels, shop=shop, settings=settings), labels)


def earliest_week(con, *, shop: str | None = None) -> str | None:
    """The ISO week of the earliest order, review or ticket."""
    start = summary_period(con, None, shop=shop)["from"]
    return None if start is None else periods.week_of(start)


def overview(con, week: str, *, shop: str | None = None, weeks: int = 12) -> dict:
    """This week, last week, the same week a year before (when the data reaches back), the
    ``weeks``-week sparklines and the plain-words changes.

    Every week comes from one :func:`weeks_figures` call (one grouped query per figure), so
    this week's tile and the last point of its sparkline are the same number.

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
    with_year_ago = first is not None and first <= year_ago_week
    labels = _weeks(week, max(weeks, 2))
    figures = weeks_figures(con, labels + ([year_ago_week] if with_year_ago else []),
                            shop=shop, settings=conf)
    return {
        "this": figures[week],
        "last": figures[last_week],
        "year_ago": figures[year_ago_week] if with_year_ago else None,
        "year_ago_week": year_ago_week,
        "sparklines": _sparkline_frame(figures, labels[-weeks:]),
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


def format_change(key: str, now, before, lang: str) -> tuple[str, str | None]:
    """The change of a KPI against last week and whether it is good news.

    Returns
    -------
    tuple
        ``(text, tone)``: text like "+12", "+1.5 pt" (shares, in percentage points) or
        "-2.0 h"; tone "good", "bad" or "flat"; ``("—", None)`` when either value is missing.
    """
    if now is None or before is None:
        return "—", None
    kind, rise_is_bad = {k: (f, bad) for k, f, bad in KPIS}[key]
    diff = now - before
    if kind == "share":
        text = f"{diff * 100:+.1f} {t('report.unit.pt', lang)}"
    elif kind == "hours":
        text = f"{diff:+,.1f} {'小时' if lang == 'zh' else 'h'}"
    else:
        text = f"{diff:+,.0f}"
    if diff == 0:
        return text, "flat"
    return text, "bad" if (diff > 0) == rise_is_bad else "good"
