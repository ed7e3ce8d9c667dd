"""Ladder + movement + RFM over 1M orders / 300k customers: time and peak memory.

Target (issue 5): ≤ 1 s in total, ≤ 1 GB peak. Run: ``python bench/tiers.py [--orders N]``.
The data is generated inside DuckDB (no CSV step) so that only the metrics are timed, in a
temporary database FILE as the app uses (a file is dictionary-compressed, which makes the
status and id columns far cheaper to scan than in memory). The machine may be shared: each
step reports the median of --repeat runs, wall and CPU (user + system) time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import ladder, ladder_store, periods, rfm  # noqa: E402
from analysis.db import open_db  # noqa: E402

END = "2026-11-22 23:59:59"

# $n orders over two years, customers skewed (a few buy often, most once or twice).
ORDERS_SQL = """
INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount,
                    refund_amount, item_id, item_title, quantity, unit_price, status)
SELECT '默认店铺', 'o' || i,
       CASE WHEN i % 50 = 0 THEN NULL
            ELSE 'c' || CAST(floor(pow(random(), 1.6) * $customers) AS BIGINT) END,
       t, CASE WHEN i % 40 = 1 THEN NULL ELSE t + INTERVAL 3 MINUTE END,
       price, CASE WHEN i % 60 = 2 THEN price END,
       'item' || (i % 2000), '商品' || (i % 2000), 1, price,
       CASE WHEN i % 33 = 3 THEN '交易关闭' ELSE '交易成功' END
FROM (SELECT i, TIMESTAMP '2024-11-25' + to_seconds(CAST(random() * 730 * 86400 AS BIGINT)) AS t,
             CAST(round(20 + random() * random() * 2000, 2) AS DECIMAL(18,2)) AS price
      FROM range($n) r(i))
"""
REVIEWS_SQL = """
INSERT INTO reviews (shop, review_key, order_id, customer_id, rating, content, review_time)
SELECT shop, 'r' || order_id, order_id, customer_id,
       CAST(1 + floor(random() * 5) AS TINYINT), '不错', order_time + INTERVAL 5 DAY
FROM orders USING SAMPLE 20 PERCENT (bernoulli, 7)
"""
SCORES_SQL = """
INSERT INTO sentiment_scores SELECT 'stock', md5('不错'), 0.8, false, now()
"""
CONTACTS_SQL = """
INSERT INTO contacts (shop, customer_id, source, first_seen)
SELECT '默认店铺', 'c' || (200000 + i),
       ['member', 'follower', 'cart', 'favorite', 'enquiry'][1 + i % 5],
       TIMESTAMP '2024-11-25' + to_seconds(CAST(random() * 730 * 86400 AS BIGINT))
FROM range(150000) r(i)
"""
TICKETS_SQL = """
INSERT INTO tickets (shop, ticket_id, customer_id, opened_at, resolved_at, source)
SELECT shop, 't' || order_id, customer_id, order_time + INTERVAL 4 DAY,
       order_time + INTERVAL 5 DAY, 'helpdesk'
FROM orders USING SAMPLE 3 PERCENT (bernoulli, 11)
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def build(con, orders: int, customers: int) -> None:
    """Fill ``con`` with the synthetic store."""
    con.execute("SELECT setseed(0.42)")
    con.execute(ORDERS_SQL, {"n": orders, "customers": customers})
    con.execute(REVIEWS_SQL)
    con.execute(SCORES_SQL)
    con.execute(CONTACTS_SQL)
    con.execute(TICKETS_SQL)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only-target", action="store_true",
                    help="time only ladder counts, movement and RFM")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench_tiers_")
    path = Path(tmp.name) / "store.duckdb"
    con = open_db(path)
    t0 = time.perf_counter()
    build(con, args.orders, args.customers)
    # Reopen, as the app does, so the timed queries read the checkpointed, compressed file.
    con.close()
    con = open_db(path)
    ladder_store.clear(con)  # the live timings below must not read the stored ladder
    counts = {t: con.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0]
              for t in ("orders", "reviews", "contacts", "tickets")}
    print(f"data: {counts} built in {time.perf_counter() - t0:.1f} s")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    week = "2026-W47"
    as_of = periods.parse_week(week).as_of
    prev = periods.parse_week(periods.shift_week(week, -1)).as_of
    steps = {
        "ladder counts (tier_counts)": lambda: ladder.tier_counts(con, as_of),
        "movement": lambda: ladder.movement(con, week),
        "rfm_scores": lambda: rfm.rfm_scores(con, as_of),
        "ladder table (tiers_as_of, 340k rows)": lambda: ladder.tiers_as_of(con, as_of),
        "ladder_trend, 26 weeks": lambda: ladder.ladder_trend(con, end_week=week),
        # The customers page's ladder section: this week and last, and the list of a rung.
        "tier_counts_pair (this + last week)": lambda: ladder.tier_counts_pair(con, as_of, prev),
        "customers_in_rung, advocates": lambda: ladder.customers_in_rung(con, as_of, 6),
        "movement_list, customer -> supporter": lambda: ladder.movement_list(con, week, 4, 5),
    }
    target_steps = ("ladder counts (tier_counts)", "movement", "rfm_scores")
    if args.only_target:
        steps = {k: steps[k] for k in target_steps}
    # First computed live from the tables, then read from the stored weekly ladder that every
    # import refreshes (analysis.ladder_store); the answers must be the same.
    timings, results = _time_steps(steps, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ladder: {results['ladder counts (tier_counts)']}")
    print(f"movement cells: {len(results['movement'])}; "
          f"RFM customers: {len(results['rfm_scores']):,}")
    _print(timings, target_steps, "computed live")
    t0 = time.perf_counter()
    ladder_store.refresh(con)
    print(f"stored weekly ladder built in {time.perf_counter() - t0:.2f} s (part of each import)")
    stored, again = _time_steps(steps, args.repeat)
    if again["ladder counts (tier_counts)"] != results["ladder counts (tier_counts)"]:
        raise SystemExit("the stored ladder disagrees with the live one")
    _print(stored, target_steps, "from the stored weekly ladder")
    print(f"peak RSS: {peak:,.0f} MB (after building data: {rss_before:,.0f} MB; target ≤ 1024 MB)")
    print(f"load average while running: {os.getloadavg()[0]:.1f}")
    con.close()
    tmp.cleanup()


def _time_steps(steps: dict, repeat: int) -> tuple[dict, dict]:
    """Median wall and CPU seconds of ``repeat`` runs of each step (the machine may be
    shared), and each step's last result."""
    timings, results = {}, {}
    for name, step in steps.items():
        runs = []
        for _ in range(repeat):
            cpu0, t0 = _cpu(), time.perf_counter()
            results[name] = step()
            runs.append((time.perf_counter() - t0, _cpu() - cpu0))
        timings[name] = (statistics.median(w for w, _ in runs),
                         statistics.median(c for _, c in runs))
    return timings, results


def _print(timings: dict, target_steps, how: str) -> None:
    print(how + ":")
    for name, (wall, cpu) in timings.items():
        print(f"  {name:40s} {wall:6.3f} s wall {cpu:6.3f} s CPU")
    target = [timings[k] for k in target_steps]
    print(f"  ladder + movement + RFM: {sum(w for w, _ in target):.3f} s wall, "
          f"{sum(c for _, c in target):.3f} s CPU on {os.cpu_count()} cores (target ≤ 1 s)")


if __name__ == "__main__":
    main()
