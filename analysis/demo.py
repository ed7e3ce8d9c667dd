"""Demo data: a believable Chinese store (a Tmall and a JD shop) over 26 ISO weeks.

The demo exercises every metric of docs/design.md: all six rungs of the ladder, high-end and
ordinary items, refunds and cancellations, reviews good, bad, mixed and placeholder, the
three bad-review paths, tickets inside and past the SLA, tonight's call list (orders signed
on the last day) and the thank-you letters (paid, not shipped). It is deterministic for a
seed and an end date, and is written to a temporary file renamed into place at the end, so
a half-written demo never replaces a good one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import math
import os
import random
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from analysis import demo_service as service
from analysis import ladder_store
from analysis import demo_texts as T
from analysis import settings
from analysis.db import demo_path, open_db
from analysis.errors import UserError
from analysis.schema import ALL_TABLES, columns

TMALL, JD = "天猫旗舰店", "京东自营店"
JD_SHARE = 0.2
WEEKS = 26
NOW_HOUR = 20  # the demo's "now" on its last day: after the 18:00 calls began
MIN_CUSTOMERS, MAX_CUSTOMERS = 60, 200_000
RUNG_SHARES = {"unrelated": 0.14, "prospect": 0.14, "buyer": 0.34, "customer": 0.22,
               "supporter": 0.10, "advocate": 0.06}
PURCHASES = {"buyer": (1, 1), "customer": (2, 3), "supporter": (4, 7), "advocate": (4, 8)}
HIGH_END_SHARE = {"buyer": 0.42, "customer": 0.42, "supporter": 0.0, "advocate": 0.55}
HOUR_WEIGHTS = [3, 1.5, .7, .4, .3, .3, .5, 1, 2, 3.5, 4.5, 4.5, 4, 3.8, 4, 4, 3.8, 3.5, 3.5,
                4.2, 5, 5.5, 5.5, 4.5]
SALE_DAYS = {(11, 11): 8.0, (11, 10): 1.6, (11, 1): 2.2, (11, 2): 1.5, (11, 12): 1.5,
             (12, 12): 2.0, (6, 18): 4.0, (6, 1): 1.8}
KINDS = ("orders", "order_items", "reviews", "tickets", "contacts")
CONSUMABLE = ("pet", "food", "daily")  # product kinds bought again and again, several at a time


class _Clock:
    """Days of the demo with their order weights; ``now`` is the last day at NOW_HOUR."""

    def __init__(self, end: dt.date):
        monday = end - dt.timedelta(days=end.weekday())
        self.start = dt.datetime.combine(monday - dt.timedelta(weeks=WEEKS - 1), dt.time())
        self.now = dt.datetime.combine(end, dt.time(NOW_HOUR))
        self.days = (end - self.start.date()).days + 1
        weights = []
        for i in range(self.days):
            day = self.start.date() + dt.timedelta(days=i)
            growth = 1 + 0.3 * i / self.days
            weekend = 1.15 if day.weekday() >= 5 else 1.0
            weights.append(growth * weekend * SALE_DAYS.get((day.month, day.day), 1.0))
        self.cum = list(itertools.accumulate(weights))

    def moment(self, rng: random.Random, lo: int = 0, hi: int | None = None) -> dt.datetime:
        """A weighted random local time on days ``lo``..``hi`` (indices), before ``now``."""
        hi = self.days - 1 if hi is None else min(hi, self.days - 1)
        base = self.cum[lo - 1] if lo > 0 else 0.0
        day = bisect.bisect_left(self.cum, base + rng.random() * (self.cum[hi] - base))
        hours = range(NOW_HOUR - 1) if day == self.days - 1 else range(24)
        hour = rng.choices(hours, weights=HOUR_WEIGHTS[: len(hours)])[0]
        return self.start + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))


class _Customer:
    __slots__ = ("id", "shop", "rung", "high_end", "name", "phone", "prov", "city", "addr",
                 "favs", "first_order")

    def __init__(self, rng, cid, shop, rung):
        self.id, self.shop, self.rung = cid, shop, rung
        self.high_end = rng.random() < HIGH_END_SHARE.get(rung, 0.0)
        self.name, self.phone = T.person_name(rng), T.phone(rng)
        self.prov, self.city, self.addr = T.place(rng)
        self.favs: list[int] = []
        self.first_order: dt.datetime | None = None


def _hours(rng, median_h: float, sigma: float) -> dt.timedelta:
    return dt.timedelta(hours=median_h * math.exp(rng.gauss(0, sigma)))


def _bands():
    prices = [p for _, _, p in T.PRODUCTS]
    high = [i for i, p in enumerate(prices) if p >= 1299]
    mid = [i for i, p in enumerate(prices) if 259 <= p < 1299]
    low = [i for i, p in enumerate(prices) if p < 259]
    repeat = [i for i, (_, kind, p) in enumerate(T.PRODUCTS)
              if p < 259 and kind in (*CONSUMABLE, "home")]
    return high, mid, low, repeat


HIGH, MID, LOW, REPEAT = _bands()


def item_id(shop: str, idx: int) -> str:
    """The product's id in ``shop``: a 12-digit Taobao item id or a 12-digit JD SKU."""
    if shop == JD:
        return f"1000{(idx * 7919 + 1234) % 10**8:08d}"
    return f"6{(idx * 104729 + 33457) % 10**11:011d}"


class _Demo:
    """Generates every table's rows in memory; ``rows[table]`` are lists of dicts."""

    def __init__(self, customers: int, seed: int, end: dt.date):
        self.rng = random.Random(f"demo:{seed}")
        self.clock = _Clock(end)
        self.end = end
        self.agents = list(settings.DEFAULTS["care.agents"])
        self.agent_load = range(len(self.agents) + 1, 1, -1)  # the first agent works most
        self.rows: dict[str, list[dict]] = {t: [] for t in (*KINDS, "care_calls", "do_not_call")}
        self._ids: set[str] = set()
        self.seq = 0  # ticket numbers
        self.presale: set[str] = set()  # prospects who asked a pre-sale question
        self.item_id = item_id
        self.customers = self._people(customers)

    # -- ids ---------------------------------------------------------------------------
    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self._ids:
                self._ids.add(value)
                return value

    def _customer_id(self, shop: str) -> str:
        r = self.rng
        roll = r.random()
        if shop == JD:
            if roll < 0.6:
                return self._unique(lambda: "jd_" + "".join(r.choices("0123456789abcdef", k=12)))
        elif roll < 0.45:
            return self._unique(lambda: f"tb{r.randrange(10**8, 10**10)}")
        elif roll < 0.65:
            return self._unique(
                lambda: "".join(r.sample(T.NICK_WORDS, 2)) + str(r.randint(1970, 2009)))
        return self._unique(lambda: str(r.randrange(10**9, 10**12)))

    def _order_id(self, shop: str) -> str:
        r = self.rng
        if shop == JD:
            return self._unique(lambda: f"3{r.randrange(10**11):011d}")
        return self._unique(lambda: f"{r.choice('234')}{r.randrange(10**18):018d}")

    # -- people --------------------------------------------------------------------------
    def _people(self, n: int) -> list[_Customer]:
        rungs, acc = [], 0.0
        for rung, share in RUNG_SHARES.items():
            acc += share
            rungs += [rung] * (round(acc * n) - len(rungs))
        self.rng.shuffle(rungs)
        people = []
        for rung in rungs:
            shop = JD if self.rng.random() < JD_SHARE else TMALL
            people.append(_Customer(self.rng, self._customer_id(shop), shop, rung))
        return people

    # -- orders --------------------------------------------------------------------------
    def _pick_item(self, c: _Customer) -> int:
        r = self.rng
        if c.favs:
            return r.choice(c.favs)
        weights = (0.8, 0.12, 0.08) if c.high_end else (0.04, 0.18, 0.78)
        return r.choice(r.choices((HIGH, MID, LOW), weights=weights)[0])

    def _lines(self, c: _Customer, first: int | None) -> list[tuple[int, int]]:
        r = self.rng
        items = [first if first is not None else self._pick_item(c)]
        for _ in range(r.choices((0, 1, 2), weights=(72, 21, 7))[0]):
            extra = r.choice(c.favs) if c.rung == "supporter" else r.choice(LOW)
            if extra not in items:
                items.append(extra)
        return [(i, r.choices((1, 2, 3), (6, 3, 1))[0] if T.PRODUCTS[i][1] in CONSUMABLE
                 else r.choices((1, 2), (19, 1))[0]) for i in items]

    def _mood(self, c: _Customer) -> str:
        r = self.rng
        if c.rung == "advocate":
            return "rave"
        if c.rung == "supporter":
            return "A" if r.random() < 0.04 else "happy"
        if c.rung in ("buyer", "customer") and r.random() < 0.09:
            return r.choices(("A", "B", "C"), weights=(4, 2, 4))[0]
        return "happy"

    def orders(self) -> None:
        """Orders and their lines, with the purchase plan each customer's rung needs."""
        r, clock = self.rng, self.clock
        for c in self.customers:
            n = r.randint(*PURCHASES[c.rung]) if c.rung in PURCHASES else 0
            # An advocate's first three purchases are early enough to be reviewed by the end.
            early = clock.days - 13
            plan = [(clock.moment(r, 0, early if c.rung == "advocate" and k < 3 else None),
                     "partial" if r.random() < 0.03 else "purchase") for k in range(n)]
            extra_p = 0.4 if c.rung == "prospect" else (0.0 if c.rung == "unrelated" else 0.08)
            if r.random() < extra_p:  # early enough for its refund to be complete
                plan.append((clock.moment(r, 0, clock.days - 6),
                             r.choice(("unpaid", "cancelled", "refunded"))))
            plan.sort()
            if c.rung == "supporter":
                c.favs = r.sample(REPEAT, r.choice((1, 2)))
            order_items = None
            if c.rung == "advocate":
                order_items = r.sample(range(len(T.PRODUCTS)), 3) if not c.high_end else \
                    r.sample(HIGH, 2) + r.sample(LOW + MID, 1)
            for k, (when, kind) in enumerate(plan):
                first = order_items[k] if order_items and k < len(order_items) else None
                self._order(c, when, kind, first)
            if plan:
                c.first_order = plan[0][0]

    def _order(self, c, when, kind, first_item) -> None:
        r, now = self.rng, self.clock.now
        oid = self._order_id(c.shop)
        lines = self._lines(c, first_item)
        gross = sum(T.PRODUCTS[i][2] * q for i, q in lines)
        discount = r.choice((1.0, 1.0, 0.95, 0.9)) if (when.month, when.day) != (11, 11) else 0.85
        paid = round(gross * discount, 2)
        pay = ship = signed = None
        if kind != "unpaid":
            pay = min(when + dt.timedelta(seconds=r.randint(5, 1200)), now)
            if kind != "cancelled":
                ship = pay + _hours(r, 8 if c.shop == JD else 18, 0.8)
                signed = ship + _hours(r, 22 if c.shop == JD else 50, 0.4)
                # Couriers deliver by day.
                signed = max(signed.replace(hour=max(8, min(signed.hour, 21))),
                             ship + dt.timedelta(hours=2))
        if ship is not None and ship > now:
            ship = signed = None
        elif signed is not None and signed > now:
            signed = None
        refund = 0.0
        status = "交易成功" if signed else ("已发货" if ship else "等待发货")
        if kind in ("unpaid", "cancelled"):
            status, paid = "交易关闭", (0.0 if kind == "unpaid" else paid)
            refund = paid
        elif kind == "refunded" and signed:
            status, refund = "退款成功", paid
        elif kind == "partial" and signed:
            refund = round(paid * r.uniform(0.1, 0.3), 2)
        single = lines[0] if len(lines) == 1 else None
        self.rows["orders"].append({
            "shop": c.shop, "order_id": oid, "customer_id": c.id, "order_time": when,
            "pay_time": pay, "paid_amount": paid, "refund_amount": refund,
            "item_id": item_id(c.shop, single[0]) if single else None,
            "item_title": "，".join(T.PRODUCTS[i][0] for i, _ in lines),
            "quantity": sum(q for _, q in lines),
            "unit_price": T.PRODUCTS[single[0]][2] if single else None,
            "status": status, "ship_time": ship, "signed_time": signed, "province": c.prov,
            "city": c.city, "buyer_name": c.name, "phone": c.phone, "address": c.addr,
            "_kind": kind, "_mood": self._mood(c) if kind in ("purchase", "partial") else "happy",
            "_cust": c, "_lines": lines,
        })
        for n, (i, q) in enumerate(lines, 1):
            self.rows["order_items"].append({
                "shop": c.shop, "order_id": oid, "line": n, "item_id": item_id(c.shop, i),
                "item_title": T.PRODUCTS[i][0], "unit_price": T.PRODUCTS[i][2], "quantity": q})

    def signed_today(self) -> set[str]:
        """Re-time the latest purchase of some upper-rung or high-end customers so that it is
        signed for on the last day: tonight's call list then has work on it."""
        r, end = self.rng, self.end
        latest: dict[str, dict] = {}
        for o in self.rows["orders"]:
            c = o["_cust"]
            if o["_kind"] == "purchase" and (c.high_end or c.rung in ("supporter", "advocate")):
                latest[c.id] = o
        picks = sorted(latest.values(), key=lambda o: o["order_id"])
        picks = r.sample(picks, min(len(picks), max(6, len(self.customers) // 60)))
        for o in picks:
            day = dt.datetime.combine(end, dt.time())
            minutes = lambda lo, hi: dt.timedelta(minutes=r.randint(lo, hi))  # noqa: E731
            o["order_time"] = day - dt.timedelta(days=3) + minutes(540, 1380)
            o["pay_time"] = o["order_time"] + minutes(1, 15)
            o["ship_time"] = day - dt.timedelta(days=2) + minutes(600, 1080)
            o["signed_time"] = day + minutes(540, 1050)
            o["status"], o["_mood"] = "交易成功", "happy"
        return {o["_cust"].id for o in picks}

    def generate(self, progress=None) -> None:
        """Every table, in the order their rows depend on each other."""
        self.orders()
        today = self.signed_today()
        _report(progress, 0.3, "reviews")
        service.reviews(self)
        service.tickets(self)
        service.contacts(self)
        service.care_calls(self, today)


def _frame(rows: list[dict], table: str) -> pd.DataFrame:
    """The rows as a frame without the generator's private ``_`` fields."""
    names = (columns(table, bookkeeping=False) if table in KINDS
             else [c for c, _ in ALL_TABLES[table]])
    df = pd.DataFrame([{k: v for k, v in row.items() if not k.startswith("_")} for row in rows])
    return df.reindex(columns=names)


def store_now() -> dt.datetime:
    """Now in the store's time zone, naive like every stored time (the demo's settings are
    the defaults)."""
    return dt.datetime.now(ZoneInfo(str(settings.DEFAULTS["timezone"]))).replace(tzinfo=None)


def store_today() -> dt.date:
    """Today in the store's time zone."""
    return store_now().date()


def _report(progress, fraction: float, step: str) -> None:
    if progress is not None:
        progress(fraction, step)


INSERT_IMPORT = """
INSERT INTO imports (import_id, file_name, sha256, kind, encoding, platform, rows_read,
                     inserted, updated, unchanged, rejected, skipped, imported_at, imported_by)
VALUES (?, 'demo', ?, ?, 'utf-8', 'demo', ?, ?, 0, 0, 0, 0, ?, 'demo')
"""


def _store(con, demo: _Demo, seed: int, customers: int) -> dict[str, int]:
    """Insert every table in one transaction; each canonical table is one logged 'import'."""
    counts = {}
    imported_at = store_now().replace(microsecond=0)
    con.execute("BEGIN")
    for table, rows in demo.rows.items():
        df = _frame(rows, table)
        if table in KINDS:
            import_id = KINDS.index(table) + 1
            df["import_id"] = import_id
            tag = f"demo:{table}:{seed}:{customers}:{demo.end}".encode()
            con.execute(INSERT_IMPORT, [import_id, hashlib.sha256(tag).hexdigest(), table,
                                        len(df), len(df), imported_at])
        con.register("demo_rows", df)
        # Table names come from this module's constants, never from input.
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM demo_rows')
        con.unregister("demo_rows")
        counts[table] = len(df)
    con.execute("COMMIT")
    return counts


def _score_sentiment(con, progress) -> None:
    """Score the demo's reviews when the sentiment module is installed (it is optional)."""
    try:
        from analysis.sentiment import score_reviews  # optional: needs jieba and snownlp
    except ImportError:
        return
    score_reviews(con, progress=progress)


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)


def write_demo(path=None, *, customers: int = 3000, seed: int = 7,
               end: dt.date | None = None, progress=None) -> dict[str, int]:
    """Write the demo database to ``path``, replacing it only once it is complete.

    Parameters
    ----------
    path : path-like, optional
        The demo database file (default :func:`analysis.db.demo_path`: ``INSIGHTS_DEMO_DB``,
        else ``data/demo.duckdb``; never the store's ``INSIGHTS_DB``).
    customers : int
        How many customers, spread over the six rungs of the ladder.
    seed : int
        Random seed; the same seed and end date give the same rows.
    end : datetime.date, optional
        The last day of the 26 ISO weeks (default today in the store's time zone); orders
        signed for on it make tonight's call list.
    progress : callable, optional
        Called as ``progress(fraction, step)`` with fraction in [0, 1].

    Returns
    -------
    dict
        Row counts per table.
    """
    if not MIN_CUSTOMERS <= customers <= MAX_CUSTOMERS:
        raise UserError("demo.customers_range", low=MIN_CUSTOMERS, high=MAX_CUSTOMERS,
                        value=customers)
    end = end or store_today()
    target = Path(path) if path else demo_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per call: two sessions of the app may both create the demo at first start.
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        _report(progress, 0.0, "orders")
        demo = _Demo(customers, seed, end)
        demo.generate(progress)
        _report(progress, 0.5, "write")
        con = open_db(tmp, wait_s=0)
        try:
            counts = _store(con, demo, seed, customers)
            _report(progress, 0.6, "sentiment")
            _score_sentiment(con, None if progress is None else
                             lambda f, _msg: progress(0.6 + 0.35 * f, "sentiment"))
            ladder_store.refresh(con)
        finally:
            con.close()
        # A log left by the old file would be replayed onto the new one.
        Path(f"{target}.wal").unlink(missing_ok=True)
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    _report(progress, 1.0, "done")
    return counts


def cli_demo(args) -> int:
    """``python -m analysis demo``: write the demo and print a one-line summary."""
    end = None
    if args.end:
        try:
            end = dt.date.fromisoformat(args.end)
        except ValueError:
            raise UserError("demo.bad_end", value=args.end) from None
    path = Path(args.db) if args.db else demo_path()
    started = time.perf_counter()
    counts = write_demo(path, customers=args.customers, seed=args.seed, end=end)
    clock = _Clock(end or store_today())
    print(f"demo: {path}: {args.customers} customers, {counts['orders']} orders, "
          f"{counts['reviews']} reviews, {counts['tickets']} tickets, "
          f"{counts['contacts']} contacts, "
          f"{clock.start.date()}..{clock.now.date()} ({time.perf_counter() - started:.1f} s)")
    return 0
