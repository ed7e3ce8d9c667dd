"""Care lists: tonight's call list, its split among agents, call outcomes, thank-you letters.

docs/design.md "Care lists": a phone call on the evening the parcel is signed for
(18:00–19:00) and a thank-you letter in the parcel move unhappy customers from the
no-contact path to customer service. Calls are care, not review pressure (see
``CALL_SCRIPT`` in ``analysis/i18n/complaints.py``).

Who is on the call list for ``day``: a purchase (``is_purchase``) signed for on ``day`` (store
local time) by a customer who is high-end (``care.include_high_end``) or on the rung
``care.min_rung`` or higher, leaving out a customer with an open ticket at the end of ``day``,
on the do-not-call list, or called within ``care.recent_call_days`` days before ``day``
(a call that many days ago still excludes). One call per customer: their dearest order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pandas as pd

from analysis import ladder_store
from analysis.bad_reviews_sql import classified_params, live_and_stored
from analysis.complaints import CLOSED_STATUSES, open_condition
from analysis.errors import UserError
from analysis.highend import high_end_threshold
from analysis.highend_sql import LINE_TOP, TOP_PRICE
from analysis.ladder_sql import BUYER_RUNGS_SQL, only_customers, rule_params
from analysis.periods import as_timestamp
from analysis.sql import query_df, resolve_settings

OUTCOMES = ("reached", "no_answer", "problem_found")
RUNG_NAMES = {"buyer": 3, "customer": 4, "supporter": 5, "advocate": 6}


def _high_end_cte(people: str, until: str, orders: str = "orders") -> str:
    """CTEs ``line_top`` and ``high``: the customers of CTE ``people`` who bought, by SQL
    instant ``until``, an order whose top unit price (:data:`analysis.highend_sql.TOP_PRICE`,
    the rule of the high-end pages) is at or above ``$threshold``; their orders are read
    from ``orders`` (the table, or a CTE of its rows that holds theirs). Arguments are
    code-only SQL text."""
    return f"""{LINE_TOP},
high AS (
    SELECT DISTINCT o.shop, o.customer_id
    FROM {orders} o
    SEMI JOIN {people} p ON p.shop = o.shop AND p.customer_id = o.customer_id
    LEFT JOIN line_top lt ON lt.shop = o.shop AND lt.order_id = o.order_id
    WHERE {TOP_PRICE} >= $threshold
      AND coalesce(o.pay_time, o.order_time) <= {until}
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
)"""


def high_end_price(con, *, shop=None, settings=None) -> float | None:
    """The high-end unit price (:func:`analysis.highend.high_end_threshold`); ``None`` when
    no order line has a price."""
    return high_end_threshold(con, shop=shop, settings=settings)


# The columns of ``orders`` that the rungs and the high-end check read.
_THEIR_ORDER_COLUMNS = ("shop, customer_id, order_id, pay_time, order_time, paid_amount, status, "
                        "refund_amount, item_id, item_title, unit_price, quantity")


def _signers_sql() -> str:
    """CTEs ``signed`` (tonight's purchases signed for on $day, customers not excluded),
    ``their_orders`` (every order of those customers: read once here, where the rungs and
    the high-end check would each scan all orders) and ``high`` (the high-end ones)."""
    return f"""signed AS MATERIALIZED (
    SELECT o.shop, o.order_id, o.customer_id, o.buyer_name, o.phone, o.item_title,
           o.signed_time, o.paid_amount
    FROM orders o
    ANTI JOIN (
        SELECT t.shop, t.customer_id FROM tickets t
        WHERE t.customer_id IS NOT NULL AND {open_condition('t', '($day + INTERVAL 1 DAY)')}
        UNION ALL
        SELECT shop, customer_id FROM do_not_call
        UNION ALL
        SELECT shop, customer_id FROM care_calls
        WHERE call_date >= $day - to_days($recent_days)
          AND (call_date < $day OR (call_date = $day AND NOT $keep_called))
    ) busy ON busy.shop = o.shop AND busy.customer_id = o.customer_id
    WHERE ($shop IS NULL OR o.shop = $shop) AND o.customer_id IS NOT NULL
      AND o.signed_time >= $day AND o.signed_time < $day + INTERVAL 1 DAY
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
),
their_orders AS MATERIALIZED (
    SELECT {_THEIR_ORDER_COLUMNS} FROM orders
    WHERE customer_id IN (SELECT customer_id FROM signed)
),
{_high_end_cte('signed', '$day + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND', 'their_orders')}"""


def _live_rungs_sql() -> str:
    """SQL: the rungs of the customers of CTE ``signed`` from the ladder restricted to them
    (a customer's rung depends only on their own rows), their orders read from
    ``their_orders``."""
    listed = "(SELECT unnest(CAST($customers AS VARCHAR[])))"
    # Only rungs from buyer up are called (RUNG_NAMES), so tickets and contacts are not read.
    rungs = only_customers(BUYER_RUNGS_SQL, True)
    if listed not in rungs:
        raise RuntimeError("ladder_sql.only_customers no longer filters through $customers")
    rungs = rungs.replace(listed, "(SELECT customer_id FROM signed)")
    if rungs.count("FROM orders") != 2:  # purchases and distinct items
        raise RuntimeError("the buyers' rung SQL no longer reads orders in two places")
    return rungs.replace("FROM orders", "FROM their_orders")


def _call_list_sql(stored: bool = False) -> str:
    """One query for the call list before agents are assigned: tonight's signers, their
    rungs, the reason they are called, and their dearest order of the day.

    The rungs are read from the stored day ends (``stored``: at index $k, see
    :func:`analysis.ladder_store.day_index`), else computed live (:func:`_live_rungs_sql`).
    """
    rungs = ladder_store.day_rungs_sql("signed") if stored else _live_rungs_sql()
    reasons = " ".join(f"WHEN {n} THEN '{k}'" for k, n in RUNG_NAMES.items())
    return f"""
WITH {_signers_sql()},
rungs AS ({rungs}),
picked AS (
    SELECT s.*, h.customer_id IS NOT NULL AS high_end, r.rung
    FROM signed s
    LEFT JOIN high h USING (shop, customer_id)
    LEFT JOIN rungs r USING (shop, customer_id)
    WHERE h.customer_id IS NOT NULL OR r.rung IS NOT NULL
    -- One call per customer: their dearest order of the day.
    QUALIFY row_number() OVER (PARTITION BY s.shop, s.customer_id
                               ORDER BY s.paid_amount DESC NULLS LAST, s.order_id) = 1
)
SELECT order_id, customer_id, buyer_name, phone, item_title, signed_time,
    concat_ws(',', CASE WHEN high_end THEN 'high_end' END,
                   CASE rung {reasons} END) AS reason,
    high_end, rung, shop
FROM picked
ORDER BY high_end DESC, signed_time, order_id, shop
"""


CALL_LIST_SQL = {stored: _call_list_sql(stored) for stored in (False, True)}


def _ladder_params(con, as_of, shop, settings, min_rung: int) -> dict:
    """The parameters ``ladder.rungs_as_of`` gives the ladder's rung SQL."""
    return {**rule_params(con, [as_of], shop, settings, all_items=False),
            "this": as_timestamp(as_of), "min_rung": int(min_rung)}


def call_list(con, day: dt.date, *, shop=None, settings=None,
              keep_called: bool = False) -> pd.DataFrame:
    """Tonight's call list for parcels signed for on ``day``, shared out among the agents.

    With ``keep_called`` a call recorded on ``day`` itself does not take its customer off
    the list: the page keeps tonight's list (and who calls whom) steady while agents record
    outcomes one by one; calls on earlier days still exclude.

    Returns
    -------
    pandas.DataFrame
        ``agent`` (``None`` for overflow: more calls than the agents can make), ``seq`` (the
        agent's call number), ``order_id, customer_id, buyer_name, phone, item_title,
        signed_time, reason`` (``high_end`` and/or the rung key, comma-separated),
        ``high_end, rung`` (the customer's rung when on ``care.min_rung`` or above, else
        missing), ``call_window, shop``; assigned rows first, high-end first. Phones are
        unmasked: mask them (``analysis.privacy``) for anyone but agents and operators.
    """
    s = resolve_settings(con, settings)
    threshold = high_end_price(con, shop=shop, settings=settings) \
        if s["care.include_high_end"] else None
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    start = dt.datetime.combine(day, dt.time())
    params = {
        **_ladder_params(con, start + dt.timedelta(days=1, microseconds=-1), shop, settings,
                         RUNG_NAMES.get(str(s["care.min_rung"]), 5)),
        "day": start, "shop": shop, "threshold": threshold,
        "recent_days": int(s["care.recent_call_days"]), "keep_called": bool(keep_called),
        "closed_statuses": [x.lower() for x in CLOSED_STATUSES],
    }
    k = ladder_store.day_index(con, params["this"], settings)
    df = query_df(con, CALL_LIST_SQL[k is not None], {**params, "k": k}, arrow=True)
    df["high_end"] = df["high_end"].astype(bool)
    df["rung"] = df["rung"].astype("Int64")
    df["call_window"] = s["care.call_window"]
    assigned, overflow = assign_agents(df, list(s["care.agents"]), int(s["care.calls_per_agent"]),
                                       presorted=True)
    out = pd.concat([assigned, overflow.assign(agent=None, seq=None)], ignore_index=True)
    cols = ["agent", "seq", "order_id", "customer_id", "buyer_name", "phone", "item_title",
            "signed_time", "reason", "high_end", "rung", "call_window", "shop"]
    return out[cols]


def assign_agents(df: pd.DataFrame, agents: list[str], per_agent: int, *,
                  presorted: bool = False):
    """Share calls out evenly: high-end first, then by signing time and order id.

    Calls go round the agents in turn, so counts differ by at most one and the high-end calls
    are spread too; nobody gets more than ``per_agent``; the rest is overflow. ``presorted``:
    ``df`` is in that order already (the call list's SQL sorts it).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Assigned rows with ``agent`` and ``seq`` (1-based per agent), ordered by agent then
        seq; overflow rows in priority order.
    """
    sort_cols = [c for c in ("high_end", "signed_time", "order_id") if c in df.columns]
    ordered = df.reset_index(drop=True) if presorted else df.sort_values(
        sort_cols, ascending=[c != "high_end" for c in sort_cols], kind="stable").reset_index(drop=True)
    k = len(agents)
    capacity = k * max(int(per_agent), 0)
    n = min(capacity, len(ordered))
    # The i-th call goes to agent i mod k as their call i div k + 1; listed agent by agent,
    # that is positions a, a + k, a + 2k, … for each agent a.
    by_agent = [p for a in range(k) for p in range(a, n, k)]
    taken = ordered.iloc[by_agent].reset_index(drop=True)
    taken["agent"] = [agents[p % k] for p in by_agent]
    taken["seq"] = [p // k + 1 for p in by_agent]
    return taken, ordered.iloc[capacity:].reset_index(drop=True)


LAST_SIGNED_DAY_SQL = """
SELECT CAST(max(signed_time) AS DATE) FROM orders
WHERE ($shop IS NULL OR shop = $shop) AND signed_time >= $start AND signed_time < $end
"""


def last_signed_day(con, start, end, *, shop=None) -> dt.date | None:
    """The last day in ``[start, end)`` on which an order was signed for (``None``: none)."""
    return con.execute(LAST_SIGNED_DAY_SQL, {"shop": shop, "start": start, "end": end}).fetchone()[0]


CALLS_ON_DAY_SQL = """
SELECT shop, order_id, customer_id, agent, outcome, note, ticket_id, recorded_at, recorded_by
FROM care_calls
WHERE call_date = $day AND ($shop IS NULL OR shop = $shop)
ORDER BY recorded_at, order_id
"""


def calls_on_day(con, day: dt.date, *, shop=None) -> pd.DataFrame:
    """The care calls recorded for ``day``, oldest first (an order called twice has two rows).

    Returns
    -------
    pandas.DataFrame
        ``shop, order_id, customer_id, agent, outcome, note, ticket_id, recorded_at,
        recorded_by``.
    """
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return con.execute(CALLS_ON_DAY_SQL, {"day": day, "shop": shop}).df()


def _now(settings: dict) -> dt.datetime:
    return dt.datetime.now(ZoneInfo(settings["timezone"])).replace(tzinfo=None)


def record_call(con, *, shop, order_id, customer_id, agent, outcome, note=None,
                recorded_by=None, call_date=None, settings=None) -> dict:
    """Record one care call; ``problem_found`` also opens a ``care_call`` ticket now.

    Raises
    ------
    UserError
        ``care.bad_outcome`` for an outcome not in :data:`OUTCOMES`, ``care.no_agent``
        without an agent.
    """
    if outcome not in OUTCOMES:
        raise UserError("care.bad_outcome", outcome=outcome, allowed=", ".join(OUTCOMES))
    if not agent or not str(agent).strip():
        raise UserError("care.no_agent")
    now = _now(resolve_settings(con, settings))
    call_date = call_date or now.date()
    ticket_id = None
    if outcome == "problem_found":
        ticket_id = f"care-{uuid.uuid4().hex[:16]}"
        con.execute(
            "INSERT INTO tickets (shop, ticket_id, order_id, customer_id, opened_at, channel, "
            "category, agent, status, source, item_title) VALUES (?, ?, ?, ?, ?, 'phone', "
            "'care_call', ?, 'open', 'care_call', ?)",
            [shop, ticket_id, order_id, customer_id, now, agent, _item_title(con, shop, order_id)],
        )
    con.execute(
        "INSERT INTO care_calls (shop, call_date, order_id, customer_id, agent, outcome, note, "
        "ticket_id, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [shop, call_date, order_id, customer_id, agent, outcome, note, ticket_id, now, recorded_by],
    )
    return {"shop": shop, "order_id": order_id, "customer_id": customer_id, "agent": agent,
            "outcome": outcome, "call_date": call_date, "ticket_id": ticket_id}


def _item_title(con, shop, order_id):
    row = con.execute("SELECT item_title FROM orders WHERE shop = ? AND order_id = ? LIMIT 1",
                      [shop, order_id]).fetchone()
    return row[0] if row else None


CALL_EFFECT_SQL = live_and_stored("""
WITH last AS (
    SELECT date_trunc('week', max(signed_time)) AS monday FROM orders
    WHERE ($shop IS NULL OR shop = $shop)
),
signed AS (
    SELECT o.shop, o.order_id, iso_week_label(o.signed_time) AS week
    FROM orders o, last
    WHERE ($shop IS NULL OR o.shop = $shop) AND o.customer_id IS NOT NULL
      AND o.signed_time >= last.monday - to_weeks($weeks - 1)
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
),
called AS (SELECT DISTINCT shop, order_id FROM care_calls WHERE order_id IS NOT NULL),
bad AS (
    SELECT DISTINCT shop, order_id FROM ({classified})
    WHERE path = 'no_contact' AND order_id IS NOT NULL
),
flags AS (
    SELECT s.week, c.order_id IS NOT NULL AS was_called, b.order_id IS NOT NULL AS no_contact_bad
    FROM signed s
    LEFT JOIN called c USING (shop, order_id)
    LEFT JOIN bad b USING (shop, order_id)
)
SELECT week,
    count(*) FILTER (was_called) AS called_orders,
    count(*) FILTER (was_called AND no_contact_bad) AS called_no_contact_bad,
    count(*) FILTER (NOT was_called) AS not_called_orders,
    count(*) FILTER (NOT was_called AND no_contact_bad) AS not_called_no_contact_bad
FROM flags GROUP BY week ORDER BY week
""", ("shop", "order_id"))


def call_effect(con, *, shop=None, weeks: int = 12, settings=None) -> pd.DataFrame:
    """Per ISO week signed: do called customers leave fewer no-contact bad reviews?

    Over the last ``weeks`` ISO weeks up to the latest signing in the data, every purchase
    signed for is "called" when a care call was recorded for that order, else "not called";
    its outcome is whether the order got a negative review on the no-contact path
    (:mod:`analysis.bad_reviews`, matched by order id). Not a controlled trial: called
    customers were chosen (high-end / upper rung), so read the gap as a hint.

    Returns
    -------
    pandas.DataFrame
        ``week, called_orders, called_no_contact_bad, called_rate, not_called_orders,
        not_called_no_contact_bad, not_called_rate``; a rate is ``None`` with no orders.
    """
    params = {**classified_params(con, None, None, shop, settings), "weeks": int(weeks)}
    df = query_df(con, CALL_EFFECT_SQL[ladder_store.is_current(con, settings)], params)
    for group in ("called", "not_called"):
        n, bad = df[f"{group}_orders"], df[f"{group}_no_contact_bad"]
        df[f"{group}_rate"] = pd.Series([b / o if o else None for b, o in zip(bad, n)],
                                        index=df.index, dtype=object)
    return df[["week", "called_orders", "called_no_contact_bad", "called_rate",
               "not_called_orders", "not_called_no_contact_bad", "not_called_rate"]]


THANK_YOU_SQL = f"""
WITH waiting AS MATERIALIZED (
    SELECT o.shop, o.order_id, o.customer_id, o.buyer_name, o.item_title, o.paid_amount,
           coalesce(o.pay_time, o.order_time) AS paid_at
    FROM orders o
    WHERE ($shop IS NULL OR o.shop = $shop)
      AND is_purchase(o.paid_amount, o.pay_time, o.status, o.refund_amount)
      AND ($as_of IS NULL OR (coalesce(o.pay_time, o.order_time) <= $as_of
                              AND (o.ship_time IS NULL OR o.ship_time > $as_of)))
      AND ($as_of IS NOT NULL OR o.ship_time IS NULL)
),
{_high_end_cte('waiting', "coalesce($as_of, TIMESTAMP '9999-12-31')")}
SELECT w.*, h.customer_id IS NOT NULL AS high_end
FROM waiting w LEFT JOIN high h USING (shop, customer_id)
ORDER BY high_end DESC, paid_at, order_id
"""


def thank_you_list(con, *, shop=None, as_of=None, settings=None) -> pd.DataFrame:
    """Orders paid and not yet shipped (the letter goes into the parcel), high-end first.

    A purchase (paid, not cancelled or refunded) with no ship time, or with ``as_of``: paid
    by then and not shipped by then. High-end: the customer bought at least one item at or
    above :func:`high_end_price` (this order included).

    Returns
    -------
    pandas.DataFrame
        ``shop, order_id, customer_id, buyer_name, item_title, paid_amount, paid_at,
        high_end``; mask ``buyer_name`` for viewers.
    """
    threshold = high_end_price(con, shop=shop, settings=settings)
    df = query_df(con, THANK_YOU_SQL, {"shop": shop, "as_of": as_of, "threshold": threshold})
    df["high_end"] = df["high_end"].astype(bool)
    df["paid_amount"] = df["paid_amount"].astype(float)
    return df
