"""Each page's server time at 1M orders / 200k reviews / 100k tickets, cold and warm.

Target (issue 8): each page ≤ 1 s cold and ≤ 0.1 s warm. Run: ``python bench/pages.py``
(``--orders 100000`` or ``--rows 100000`` for a quick run; ``--only overview,customers``).

The synthetic store is built once per size into a DuckDB file under the system's temporary
directory (``bench_pages_<orders>_<customers>_<tickets>.duckdb``) and reused by later runs, as
building it takes longer than timing the pages; ``--rebuild`` writes it afresh. The file is
opened read-write, as the app does, but nothing is written to it.

A page is the list of analysis calls it makes through ``pages._ui.state.query`` for one view
(a page with sections is timed per section, as only the chosen section runs). *Cold*: the page's
calls share one new connection, opened before the first and closed after the last, as a
script run does on cache misses (``state.run_scope``). *Warm*: the same calls through a dict keyed on the call's arguments, which is what
``state.query`` does on a hit (``st.cache_data``); warm time is then only the cache lookup
and says nothing about the queries. Drawing charts and tables is not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import complaints as complaints_bench  # noqa: E402  (bench/complaints.py: ticket generator)
import tiers as tiers_bench  # noqa: E402  (bench/tiers.py: orders, reviews, contacts)

from analysis import db, ladder_store, periods  # noqa: E402
from analysis.sentiment import model  # noqa: E402

WEEK = "2026-W47"

# Signing times for the care page, and sentiment scores for every review text.
SIGNED_SQL = """
UPDATE orders SET signed_time = coalesce(pay_time, order_time) + INTERVAL 3 DAY,
                  ship_time = coalesce(pay_time, order_time) + INTERVAL 1 DAY,
                  buyer_name = '买家' || order_id, phone = '138' || order_id
WHERE pay_time IS NOT NULL
"""
REVIEW_TEXTS_SQL = """
UPDATE reviews SET content = ['不错', '很好', '太差了', '一般', '物流很慢'][CAST(1 + hash(review_key) % 5 AS INTEGER)]
"""
SCORES_SQL = """
INSERT INTO sentiment_scores
SELECT 'stock', md5(t), s, false, now()
FROM (VALUES ('不错', 0.8), ('很好', 0.95), ('太差了', 0.05), ('一般', 0.5), ('物流很慢', 0.2)) v(t, s)
"""


def build(path: Path, orders: int, customers: int, tickets: int) -> None:
    """Write the synthetic store to ``path`` (1M orders → ~200k reviews)."""
    with db.connection(path) as con:
        tiers_bench.build(con, orders, customers)
        con.execute(SIGNED_SQL)
        con.execute(REVIEW_TEXTS_SQL)
        con.execute("DELETE FROM sentiment_scores")
        con.execute(SCORES_SQL)
        have = con.execute("SELECT count(*) FROM tickets").fetchone()[0]
        con.execute(complaints_bench.TICKETS_SQL, {
            "start": dt.datetime(2025, 8, 1), "customers": customers, "orders": orders,
            "n": max(tickets - have, 0)})
        con.execute("UPDATE tickets SET order_id = 'o' || substr(order_id, 2) "
                    "WHERE order_id LIKE 'h%'")
        con.execute("CHECKPOINT")


def page_calls(week: str) -> dict[str, list[tuple]]:
    """Per page (and section): the ``(function path, args, kwargs)`` it asks ``state.query``
    for, read off pages/*.py."""
    p = periods.parse_week(week)
    prev_week = periods.shift_week(week, -1)
    prev = periods.parse_week(prev_week)
    trend_start = p.end - dt.timedelta(weeks=12)
    common = [("analysis.catalog:extent", (), {"shop": None}),
              ("analysis.settings:get_all", (), {})]
    reviews_top = common + [
        ("analysis.sentiment:reviews_summary", (None, None), {"shop": None}),
        ("analysis.sentiment:reviews_summary", (p.start, p.end), {"shop": None}),
        ("analysis.sentiment:reviews_summary", (prev.start, prev.end), {"shop": None})]
    complaints_top = common + [
        ("analysis.complaints:refund_rate", (trend_start, p.end), {"shop": None}),
        ("analysis.complaints:backlog_by_age", (p.as_of,), {"shop": None}),
        ("analysis.complaints:complaints_summary", (p.start, p.end, p.as_of), {"shop": None}),
        ("analysis.complaints:complaints_summary", (prev.start, prev.end, prev.as_of), {"shop": None}),
        ("analysis.complaints:escalation_reopen", (p.start, p.end), {"shop": None}),
        ("analysis.complaints:escalation_reopen", (prev.start, prev.end), {"shop": None}),
        ("analysis.complaints:speed_by", (trend_start, p.end, p.as_of, "week"), {"shop": None}),
        ("analysis.complaints:speed_by", (p.start, p.end, p.as_of, "channel"), {"shop": None}),
        ("analysis.complaints:refund_rate", (p.start, p.end), {"shop": None, "by": "item"}),
        ("analysis.bad_reviews:paths_by_week", (trend_start, p.end), {"shop": None}),
        ("analysis.bad_reviews:seller_reply_stats", (p.start, p.end), {"shop": None}),
        ("analysis.bad_reviews:no_contact_reviews", (p.start, p.end), {"shop": None}),
    ]
    care_top = common + [("analysis.care:high_end_price", (), {"shop": None})]
    day = (p.start + dt.timedelta(days=6)).date()
    return {
        "overview": common + [("analysis.overview:overview", (week,), {"shop": None}),
                              ("analysis.catalog:latest_time", (), {"shop": None})],
        "customers/ladder": common + [
            ("analysis.ladder:ladder_trend", (), {"weeks": 26, "end_week": week, "shop": None}),
            ("analysis.ladder:orders_without_customer", (p.as_of,), {"shop": None}),
            ("analysis.ladder:customers_in_rung", (p.as_of, 6), {"shop": None})],
        "customers/movement": common + [("analysis.ladder:movement", (week,), {"shop": None}),
                                        ("analysis.ladder:movement_list", (week, 4, 5),
                                         {"shop": None})],
        "customers/high_end": common + [
            ("analysis.highend:high_end_threshold", (), {"shop": None}),
            ("analysis.highend:compare_high_end", (p.start, p.end, p.as_of), {"shop": None})],
        "customers/rfm": common + [("analysis.rfm:rfm_report", (p.as_of,), {"shop": None})],
        "reviews/trend": reviews_top + [
            ("analysis.sentiment:weekly_bands", (), {"shop": None, "weeks": 26, "end": p.end}),
            ("analysis.sentiment:aspect_trend", (), {"shop": None, "weeks": 12, "end": p.end})],
        "reviews/aspects": reviews_top + [
            ("analysis.sentiment:aspect_counts", (p.start, p.end), {"shop": None}),
            ("analysis.sentiment:negative_keywords", (p.start, p.end), {"shop": None}),
            ("analysis.sentiment:per_item", (p.start, p.end), {"shop": None})],
        "reviews/newest": reviews_top + [
            ("analysis.sentiment:newest_reviews", (), {"shop": None, "limit": 100})],
        "complaints": complaints_top,
        "care/calls": care_top + [
            ("analysis.care:last_signed_day", (p.start, p.end), {"shop": None}),
            ("analysis.care:call_list", (day,), {"shop": None, "keep_called": True}),
            ("analysis.care:calls_on_day", (day,), {"shop": None})],
        "care/thanks": care_top + [("analysis.care:thank_you_list", (),
                                    {"shop": None, "as_of": p.as_of})],
        "care/effect": care_top + [("analysis.care:call_effect", (), {"shop": None, "weeks": 12})],
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _func(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def cold(path: Path, calls: list[tuple]) -> tuple[float, float, dict]:
    """Wall and CPU seconds of the page's calls on one new connection (opening and closing
    it included); per-call wall."""
    per_call = {}
    c0, t0 = _cpu(), time.perf_counter()
    with db.connection(path) as con:
        for func, args, kwargs in calls:
            t1 = time.perf_counter()
            _func(func)(con, *args, **kwargs)
            per_call[func] = per_call.get(func, 0.0) + time.perf_counter() - t1
    return time.perf_counter() - t0, _cpu() - c0, per_call


def warm(cache: dict, path: Path, calls: list[tuple]) -> float:
    """Wall seconds of the page's calls through ``cache`` (filled on the first call)."""
    t0 = time.perf_counter()
    for func, args, kwargs in calls:
        key = (str(path), func, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            with db.connection(path) as con:
                cache[key] = _func(func)(con, *args, **kwargs)
    return time.perf_counter() - t0


def data_file(orders: int, customers: int, tickets: int, rebuild: bool) -> tuple[Path, float]:
    """The store of this size under the temporary directory, built unless already there;
    and the seconds spent building it (0 when reused)."""
    path = Path(tempfile.gettempdir()) / f"bench_pages_{orders}_{customers}_{tickets}.duckdb"
    if path.exists() and not rebuild:
        return path, 0.0
    partial = path.with_suffix(".building")
    for stale in (partial, Path(str(partial) + ".wal"), path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    t0 = time.perf_counter()
    build(partial, orders, customers, tickets)
    # Only a finished build is ever reused.
    partial.rename(path)
    return path, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", "--rows", dest="orders", type=int, default=1_000_000,
                    help="orders in the synthetic store (reviews are ~20%% of them)")
    ap.add_argument("--customers", type=int, default=None,
                    help="default: 30%% of --orders")
    ap.add_argument("--tickets", type=int, default=None, help="default: 10%% of --orders")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true", help="build the data file afresh")
    ap.add_argument("--only", default="", help="comma-separated page names to time")
    ap.add_argument("--calls", action="store_true", help="also print each call's cold time")
    a = ap.parse_args()
    customers = a.customers if a.customers is not None else max(a.orders * 3 // 10, 1)
    tickets = a.tickets if a.tickets is not None else a.orders // 10
    path, built = data_file(a.orders, customers, tickets, a.rebuild)
    with db.connection(path, read_only=True) as con:
        counts = {t: con.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0]
                  for t in ("orders", "reviews", "sentiment_scores", "tickets")}
    how = f"built in {built:.1f} s" if built else "reused"
    print(f"data {counts} {how} ({path}); week {WEEK}")
    # Every writer of the app brings the stored weekly ladder up to date (analysis.ladder_store);
    # its cost belongs to the import, and is printed here once.
    with db.connection(path) as con:
        t0 = time.perf_counter()
        ran = ladder_store.refresh_if_stale(con)
        print(f"stored weekly ladder: {'built' if ran else 'up to date'} in "
              f"{time.perf_counter() - t0:.2f} s ({ladder_store.GRID_WEEKS} week ends; part of "
              f"each import, not of a page)")
    # The server loads jieba at start (pages/_ui/warmup.py), before any page is asked for.
    t0 = time.perf_counter()
    model.preload()
    print(f"server start: jieba dictionary and TF-IDF table loaded in "
          f"{time.perf_counter() - t0:.2f} s (in the background, not on a page)")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<22} {'cold wall':>10} {'cold CPU':>10} {'warm':>10}   "
          f"(median of {a.repeat}; targets ≤ 1 s cold, ≤ 0.1 s warm)")
    only = set(a.only.split(",")) if a.only else None
    for page, calls in page_calls(WEEK).items():
        if only and page.split("/")[0] not in only and page not in only:
            continue
        runs = [cold(path, calls) for _ in range(a.repeat)]
        cache: dict = {}
        warm(cache, path, calls)
        warm_s = statistics.median(warm(cache, path, calls) for _ in range(a.repeat))
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        flag = "" if wall <= 1 else "  over"
        print(f"{page:<22} {wall:9.3f}s {cpu:9.3f}s {warm_s * 1000:8.3f}ms{flag}")
        if a.calls:
            for func, sec in sorted(runs[0][2].items(), key=lambda kv: -kv[1]):
                print(f"    {func:<48} {sec:7.3f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
