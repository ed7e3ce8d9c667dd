"""Complaint speed: first response, resolution, SLA share, backlog, escalation and refunds.

Definitions (docs/design.md "Metrics" → Complaint speed, and the ``summary --json`` contract):

- flow figures are over tickets *opened* in ``[start, end)`` (``None`` = no bound);
- state is taken ``as_of`` an instant: a ticket counts as answered / resolved only when its
  first response / resolution happened by then, and it is open when it was opened by then and
  not resolved by then (``as_of=None`` = the latest time anywhere in the shop's tickets, so
  nothing depends on today's date);
- a ticket with no resolution time whose status says it is closed (已解决, closed …) was
  closed at an unknown time: it is neither open nor in the resolution figures;
- medians and P90 are DuckDB ``quantile_cont`` (linear);
- ``within_sla_share`` = resolved within ``sla_h`` / (resolved + open and older than ``sla_h``);
- with business hours on, the clock starts at :func:`business_clock_start_sql` (a ticket
  opened at night or on a day off counts from the next working morning); only the start
  moves, so a ticket answered at 02:00 by a night shift counts 0 h, never negative.

Values with no data are ``None``, never 0.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from analysis import data_times, ladder_store
from analysis.refunds_sql import PAID_IN_PERIOD, REFUND_ORDERS_CTE, refund_params
from analysis.sql import query_df, resolve_settings

# Status words meaning "closed" when an export gives a status but no resolution time.
CLOSED_STATUSES = (
    "已解决", "已完结", "完结", "已关闭", "关闭", "已处理", "处理完成", "退款成功", "退款关闭",
    "closed", "resolved", "solved", "done", "completed",
)

# by -> (group expression, its label). Weeks group by their Monday and are labelled once per
# group: building the label string per row costs more than the whole aggregation.
GROUPINGS = {
    "week": ("date_trunc('week', opened_at)", "iso_week_label(grp)"),
    "channel": ("channel", "grp"),
    "category": ("category", "grp"),
    "agent": ("agent", "grp"),
}
BACKLOG_BUCKETS = ("lt_24h", "1_3d", "3_7d", "gt_7d")

_GRP = re.compile(r"\bgrp\b")


def _clock(text: str) -> dt.time:
    hours, minutes = str(text).split(":")[:2]
    return dt.time(int(hours), int(minutes))


def business_hours_params(settings: dict) -> dict:
    """Named parameters of :func:`business_clock_start_sql` from the complaints settings.

    ``next_working`` is indexed by ISO weekday (1 = Monday): the days from that date to the
    next working day (0 when it is one), so SQL needs no loop.
    """
    working = {int(d) for d in settings["complaints.working_days"]} or set(range(1, 8))
    offsets = [min(k for k in range(7) if (dow - 1 + k) % 7 + 1 in working) for dow in range(1, 8)]
    return {
        "bh": bool(settings["complaints.business_hours"]),
        "day_start": _clock(settings["complaints.day_start"]),
        "night_start": _clock(settings["complaints.night_start"]),
        "next_working": offsets,
    }


def business_clock_start_sql(column: str = "opened_at", *, enabled: bool = True) -> str:
    """SQL expression: when the SLA clock starts for a ticket opened at ``column``.

    Without business hours it is ``column``. With them, a ticket opened on a working day
    between ``day_start`` and ``night_start`` starts at once; any other (at night, before the
    morning, on a day off) starts at ``day_start`` of the next working day: a Friday 23:30
    ticket with Monday–Friday working days starts Monday 09:00. Parameters: ``$bh``,
    ``$day_start``, ``$night_start``, ``$next_working`` (:func:`business_hours_params`).
    ``column`` comes from code, never from user input. With ``enabled`` false (business
    hours off in the settings) it is ``column`` itself, which spares every ticket the test.
    """
    if not enabled:
        return column
    tod = f"CAST({column} AS TIME)"
    day = f"CAST({column} AS DATE)"
    first_day = f"({day} + CASE WHEN {tod} < $day_start THEN 0 ELSE 1 END)"
    return (
        f"CASE WHEN NOT $bh OR {column} IS NULL THEN {column} "
        f"WHEN {tod} >= $day_start AND {tod} < $night_start "
        f"AND $next_working[isodow({day})] = 0 THEN {column} "
        f"ELSE CAST({first_day} + $next_working[isodow({first_day})] AS DATE) + $day_start END"
    )


def business_clock_start(con, timestamps: list[dt.datetime], settings: dict | None = None) -> list:
    """The SLA clock start of each of ``timestamps`` (see :func:`business_clock_start_sql`)."""
    sql = (
        f"SELECT {business_clock_start_sql('ts')} AS start FROM "
        "(SELECT unnest($ts) AS ts, generate_subscripts($ts, 1) AS i) ORDER BY i"
    )
    params = {"ts": list(timestamps), **business_hours_params(resolve_settings(con, settings))}
    return query_df(con, sql, params)["start"].dt.to_pydatetime().tolist()


def closed_word_sql(column: str = "status") -> str:
    """SQL: whether the status ``column`` is one of :data:`CLOSED_STATUSES` ($closed_statuses).

    Cheapest straight off the table scan, while the column is still dictionary-compressed
    (list_position there costs a sixth of list_contains: 4 ms against 25 ms on 500k tickets).
    """
    return f"list_position($closed_statuses, lower(trim({column}))) IS NOT NULL"


def open_condition(alias: str, as_of: str, closed: str | None = None) -> str:
    """SQL condition: ticket ``alias`` is open at the SQL instant ``as_of``; ``closed`` is a
    column already holding :func:`closed_word_sql` (else it is computed here). Arguments are
    code-only text."""
    closed = closed or closed_word_sql(f"{alias}.status")
    return (
        f"({alias}.opened_at <= {as_of} "
        f"AND ({alias}.resolved_at IS NULL OR {alias}.resolved_at > {as_of}) "
        f"AND NOT ({alias}.resolved_at IS NULL AND {closed}))"
    )


# The end of the ISO week a ticket was opened in: each week's state instant in the weekly
# series (:func:`summary_by_week`).
WEEK_END_OF_OPENING = "date_trunc('week', opened_at) + INTERVAL 7 DAY - INTERVAL 1 MICROSECOND"


def _speed_sql(groups, as_of_expr: str = "$as_of", *, whole_shop: bool = False,
               business_hours: bool = True) -> str:
    """Per-group speed figures over tickets opened in [$start, $end) by the instant
    ``as_of_expr`` (``$as_of``, or per ticket :data:`WEEK_END_OF_OPENING`; code-only text).

    ``groups`` is a sequence of ``(group expression, label expression over grp)`` pairs
    (:data:`GROUPINGS` values); several are computed from one scan as grouping sets, each
    row naming its pair by ``set_no`` (its position). ``whole_shop`` reads every ticket of
    the shop once and adds ``tickets`` and ``open_all`` (open at ``as_of`` whatever the
    period) beside the period's figures: the summary's state and flow from one scan.
    """
    period = (f"opened_at <= {as_of_expr} AND ($start IS NULL OR opened_at >= $start) "
              "AND ($end IS NULL OR opened_at < $end)")
    scope, in_period = ("opened_at IS NOT NULL", period) if whole_shop else (period, "true")
    extra = ("count(*) AS tickets, count(*) FILTER (is_open) AS open_all,"
             if whole_shop else "")
    keys = [f"grp{i}" for i in range(len(groups))]
    exprs = ", ".join(f"{expr} AS {key}" for (expr, _), key in zip(groups, keys))
    set_no = ("CASE " + " ".join(f"WHEN GROUPING({key}) = 0 THEN {i}" for i, key in enumerate(keys))
              + " END")
    labels = [_GRP.sub(key, label_expr) for (_, label_expr), key in zip(groups, keys)]
    label = "CASE set_no " + " ".join(f"WHEN {i} THEN {x}" for i, x in enumerate(labels)) + " END"
    return f"""
WITH t AS (
    SELECT {exprs}, opened_at, first_response_at, resolved_at,
           {closed_word_sql()} AS closed_word,
           {business_clock_start_sql('opened_at', enabled=business_hours)} AS clock_start,
           {as_of_expr} AS as_of, coalesce({in_period}, false) AS in_period
    FROM tickets
    WHERE ($shop IS NULL OR shop = $shop) AND {scope}
),
f AS (
    SELECT {", ".join(keys)}, in_period,
        -- date_diff in whole microseconds: half the cost of epoch() over an interval.
        CASE WHEN in_period AND first_response_at <= as_of
             THEN greatest(date_diff('microsecond', clock_start, first_response_at), 0)
                  / 3600e6 END AS fr_h,
        CASE WHEN in_period AND resolved_at <= as_of
             THEN greatest(date_diff('microsecond', clock_start, resolved_at), 0)
                  / 3600e6 END AS res_h,
        in_period AND is_open
            AND date_diff('microsecond', clock_start, as_of) > $sla_h * 3600e6 AS late,
        is_open
    FROM (SELECT *, {open_condition('t', 'as_of', 't.closed_word')} AS is_open FROM t) t
),
g AS (
    SELECT {", ".join(keys)}, {set_no} AS set_no, {extra}
        count(*) FILTER (in_period) AS count,
        count(fr_h) AS answered,
        count(res_h) AS resolved,
        count(*) FILTER (in_period AND is_open) AS open,
        quantile_cont(fr_h, [0.5, 0.9]) AS fr_q,
        quantile_cont(res_h, [0.5, 0.9]) AS res_q,
        count(*) FILTER (res_h <= $sla_h) AS within_sla,
        count(*) FILTER (late) AS open_past_sla
    FROM f
    GROUP BY GROUPING SETS ({", ".join(f"({key})" for key in keys)})
)
SELECT set_no, {label} AS grp, {"tickets, open_all," if whole_shop else ""} count, answered,
    resolved, open,
    fr_q[1] AS first_response_median_h, fr_q[2] AS first_response_p90_h,
    res_q[1] AS resolution_median_h, res_q[2] AS resolution_p90_h,
    within_sla, open_past_sla,
    CAST(within_sla AS DOUBLE) / nullif(resolved + open_past_sla, 0) AS within_sla_share
FROM g
ORDER BY set_no, {", ".join(f"g.{key} NULLS LAST" for key in keys)}
"""




def _params(con, start, end, as_of, shop, settings: dict) -> dict:
    return {
        "start": start, "end": end, "shop": shop,
        "as_of": as_of if as_of is not None else data_times.latest_time(con, shop=shop),
        "sla_h": float(settings["complaints.sla_hours"]),
        "closed_statuses": [s.lower() for s in CLOSED_STATUSES],
        **business_hours_params(settings),
    }


def _none(value):
    return None if value is None or pd.isna(value) else value


def complaints_summary(con, start, end, as_of, *, shop=None, settings=None) -> dict:
    """The ``summary --json`` ``complaints`` object.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    start, end : datetime or None
        Tickets opened in ``[start, end)``; ``None`` = unbounded.
    as_of : datetime or None
        The instant of state (open, answered, resolved); ``None`` = latest time in the data.
    shop : str, optional
        One shop; ``None`` = every shop.
    settings : dict, optional
        Settings over the defaults; default the stored settings.

    Returns
    -------
    dict
        ``count, open, first_response_median_h, first_response_p90_h, resolution_median_h,
        resolution_p90_h, within_sla_share, sla_h``; ``None`` where there is no data.
    """
    s = resolve_settings(con, settings)
    params = _params(con, start, end, as_of, shop, s)
    rows = query_df(con, _speed_sql([("NULL", "grp")], whole_shop=True, business_hours=params["bh"]),
                    params)
    out = {
        "count": None, "open": None, "first_response_median_h": None,
        "first_response_p90_h": None, "resolution_median_h": None, "resolution_p90_h": None,
        "within_sla_share": None, "sla_h": params["sla_h"],
    }
    if len(rows):
        out["open"] = int(rows.iloc[0]["open_all"])
    if len(rows) and int(rows.iloc[0]["count"]):
        r = rows.iloc[0]
        out["count"] = int(r["count"])
        for key in ("first_response_median_h", "first_response_p90_h", "resolution_median_h",
                    "resolution_p90_h", "within_sla_share"):
            value = _none(r[key])
            out[key] = None if value is None else float(value)
    return out


def summary_by_week(con, start, end, *, shop=None, settings=None) -> pd.DataFrame:
    """:func:`complaints_summary`'s speed figures for every ISO week in ``[start, end)`` at
    once, each week's state taken at the end of that week (as the week's summary does).

    One grouped query instead of a summary per week: the overview's sparklines.

    Returns
    -------
    pandas.DataFrame
        ``week`` plus the columns of :func:`speed_by`; weeks with no ticket have no row.
    """
    s = resolve_settings(con, settings)
    params = _params(con, start, end, end, shop, s)  # $as_of unused: each week has its own
    sql = _speed_sql([GROUPINGS["week"]], WEEK_END_OF_OPENING, business_hours=params["bh"])
    df = query_df(con, sql, params).drop(columns="set_no").rename(columns={"grp": "week"})
    return df.astype(object).where(df.notna(), None)


def speed_by(con, start, end, as_of, by: str, *, shop=None, settings=None) -> pd.DataFrame:
    """Speed figures per ISO week opened, channel, category or agent.

    Returns
    -------
    pandas.DataFrame
        One row per group (column named ``by``; missing values as ``None``, last) with
        ``count, answered, resolved, open, first_response_median_h, first_response_p90_h,
        resolution_median_h, resolution_p90_h, within_sla, open_past_sla, within_sla_share``.
    """
    return speed_by_each(con, start, end, as_of, (by,), shop=shop, settings=settings)[by]


def speed_by_each(con, start, end, as_of, bys=tuple(GROUPINGS), *, shop=None,
                  settings=None) -> dict[str, pd.DataFrame]:
    """:func:`speed_by` for each grouping of ``bys`` (default all four) from one scan of the
    tickets: ``{by: DataFrame}``. The page's switch between groupings then costs nothing."""
    unknown = [by for by in bys if by not in GROUPINGS]
    if unknown or not bys:
        raise ValueError(f"by must be one of {sorted(GROUPINGS)}")
    s = resolve_settings(con, settings)
    params = _params(con, start, end, as_of, shop, s)
    sql = _speed_sql([GROUPINGS[by] for by in bys], business_hours=params["bh"])
    df = query_df(con, sql, params)
    out = {}
    for i, by in enumerate(bys):
        part = df[df["set_no"] == i].drop(columns="set_no").rename(columns={"grp": by})
        part = part.reset_index(drop=True)
        out[by] = part.astype(object).where(part.notna(), None)
    return out


BACKLOG_SQL = f"""
WITH t AS (SELECT * FROM tickets WHERE ($shop IS NULL OR shop = $shop) AND opened_at IS NOT NULL),
open_t AS (SELECT epoch($as_of - t.opened_at) / 3600.0 AS age_h FROM t WHERE {open_condition('t', '$as_of')})
SELECT
    (SELECT count(*) FROM t) AS tickets,
    count(*) FILTER (age_h < 24) AS lt_24h,
    count(*) FILTER (age_h >= 24 AND age_h < 72) AS "1_3d",
    count(*) FILTER (age_h >= 72 AND age_h < 168) AS "3_7d",
    count(*) FILTER (age_h >= 168) AS gt_7d
FROM open_t
"""


def backlog_instant(con, as_of, *, shop=None) -> dt.datetime:
    """When to take the backlog's ages for a view of state at ``as_of``: ``as_of``, or the
    latest time in the shop's tickets when that is earlier. The end of a week still running
    lies after the data: no ticket has aged that far yet, so ages are taken where the data
    end (the open tickets are the same either way, as nothing happens in between)."""
    latest = data_times.latest_time(con, shop=shop)
    return as_of if latest is None or as_of is None or as_of <= latest else latest


def backlog_by_age(con, as_of, *, shop=None) -> pd.DataFrame:
    """Tickets open at ``as_of`` by age since opening: < 24 h, 1–3 d, 3–7 d, > 7 d.

    Returns
    -------
    pandas.DataFrame
        Columns ``bucket`` (one of :data:`BACKLOG_BUCKETS`, in order) and ``tickets``;
        ``tickets`` is ``None`` when the shop has no tickets at all.
    """
    row = query_df(con, BACKLOG_SQL, {
        "as_of": as_of, "shop": shop,
        "closed_statuses": [s.lower() for s in CLOSED_STATUSES],
    }).iloc[0]
    has_data = int(row["tickets"]) > 0
    return pd.DataFrame({
        "bucket": list(BACKLOG_BUCKETS),
        "tickets": [int(row[b]) if has_data else None for b in BACKLOG_BUCKETS],
    })


ESCALATION_SQL = """
SELECT count(*) AS count,
    count(escalated) AS with_escalation, count(*) FILTER (escalated) AS escalated,
    count(reopened) AS with_reopen, count(*) FILTER (reopened) AS reopened
FROM tickets
WHERE ($shop IS NULL OR shop = $shop)
  AND ($start IS NULL OR opened_at >= $start) AND ($end IS NULL OR opened_at < $end)
"""


def escalation_reopen(con, start, end, *, shop=None) -> dict:
    """Escalation (小二介入) and reopen rates over tickets opened in ``[start, end)``.

    Each rate is over the tickets whose source records that flag; ``None`` (rate and count)
    when none does, as help-desk exports often have no escalation column.

    Returns
    -------
    dict
        ``count, escalated, escalation_rate, reopened, reopen_rate``.
    """
    r = query_df(con, ESCALATION_SQL, {"start": start, "end": end, "shop": shop}).iloc[0]
    out = {"count": int(r["count"]) or None}
    for flag, known, rate in (("escalated", "with_escalation", "escalation_rate"),
                              ("reopened", "with_reopen", "reopen_rate")):
        n = int(r[known])
        out[flag] = int(r[flag]) if n else None
        out[rate] = int(r[flag]) / n if n else None
    return out


_REFUND_RATES = """
SELECT {label_expr} AS grp, paid_orders, paid_amount, refunded_orders, refund_amount,
    refunded_orders / paid_orders AS refund_rate,
    CAST(refund_amount AS DOUBLE) / nullif(paid_amount, 0) AS refund_amount_share
FROM g
ORDER BY {order}
"""

REFUND_SQL = REFUND_ORDERS_CTE + """,
g AS (
    SELECT {group_expr} AS grp,
        count(*) AS paid_orders,
        sum(paid_amount) AS paid_amount,
        count(*) FILTER (refunded > 0) AS refunded_orders,
        sum(refunded) AS refund_amount
    FROM per_order
    GROUP BY grp
)""" + _REFUND_RATES

# The same from the stored refunded orders (analysis.complaint_store): the paid orders are
# counted straight from ``orders``, the refunds from the few orders that have one.
STORED_REFUND_SQL = """
WITH paid AS (
    SELECT {group_expr} AS grp, count(*) AS paid_orders, sum(paid_amount) AS paid_amount
    FROM (SELECT item_title, coalesce(pay_time, order_time) AS paid_at, paid_amount""" + PAID_IN_PERIOD + """)
    GROUP BY grp
),
refunds AS (
    SELECT {group_expr} AS grp, count(*) FILTER (refunded > 0) AS refunded_orders,
           sum(refunded) AS refund_amount
    FROM order_refunds
    WHERE ($shop IS NULL OR shop = $shop)
      AND ($start IS NULL OR paid_at >= $start) AND ($end IS NULL OR paid_at < $end)
    GROUP BY grp
),
g AS (
    SELECT p.grp, p.paid_orders, p.paid_amount, coalesce(r.refunded_orders, 0) AS refunded_orders,
           coalesce(r.refund_amount, 0) AS refund_amount
    FROM paid p LEFT JOIN refunds r ON p.grp IS NOT DISTINCT FROM r.grp
)""" + _REFUND_RATES

REFUND_GROUPINGS = {
    "week": ("date_trunc('week', paid_at)", "iso_week_label(grp)", "g.grp"),
    "item": ("item_title", "grp", "refunded_orders DESC, refund_amount DESC, g.grp"),
}


def refund_rate(con, start, end, *, shop=None, by: str = "week", settings=None) -> pd.DataFrame:
    """Refunded orders and amount over paid orders, per ISO week paid or per item.

    The denominator is the orders paid in ``[start, end)`` (pay time, else order time); an
    order's refund is as :mod:`analysis.refunds_sql` defines it (the larger of
    ``orders.refund_amount`` and its refund / after-sales tickets that ended in money back).
    Refund tickets whose order is not in ``orders`` are left out (no denominator for them).
    Read from the stored refunded orders when they are current for ``settings`` (default
    the stored settings), else computed live.

    Returns
    -------
    pandas.DataFrame
        ``week`` or ``item_title``, ``paid_orders, paid_amount, refunded_orders,
        refund_amount, refund_rate, refund_amount_share``.
    """
    if by not in REFUND_GROUPINGS:
        raise ValueError("by must be 'week' or 'item'")
    group_expr, label_expr, order = REFUND_GROUPINGS[by]
    template = STORED_REFUND_SQL if ladder_store.is_current(con, settings) else REFUND_SQL
    sql = (template.replace("{group_expr}", group_expr).replace("{label_expr}", label_expr)
           .replace("{order}", order))
    df = query_df(con, sql, refund_params(start, end, shop))
    df = df.rename(columns={"grp": "week" if by == "week" else "item_title"})
    for col in ("paid_amount", "refund_amount"):
        df[col] = df[col].astype(float)
    return df
