"""Import speed and memory on a generated 1,000,000-row order export.

Prints, in one run: import time vs DuckDB's raw ``read_csv(all_varchar=true)`` of the same
file materialised into a temp table (the least an import must do), GB18030 time per row vs
UTF-8, peak memory of an import (ru_maxrss of a child process) and the re-import time of the
unchanged file; and, for reference, the raw read stored in a database file instead. Each figure is the median of ``--repeat`` runs, with CPU seconds beside wall
seconds since other jobs may share the machine.

    python bench/ingest.py [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额,退款金额,宝贝标题,宝贝总数量,订单状态,收货地址\n"
TITLES = ["无线蓝牙耳机", "保温杯 500ml", "真丝围巾", "机械键盘", "羊毛大衣"]
STATUS = ["交易成功", "交易关闭", "卖家已发货", "买家已付款"]


def write_orders(path: Path, rows: int, encoding: str = "utf-8") -> None:
    """A Taobao-like order export with 19-digit ids and some "1,299.00" amounts."""
    rng = random.Random(1)
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(HEADER)
        base = 3_000_000_000_000_000_000
        for i in range(rows):
            amount = rng.choice(['"1,299.00"', "59.90", "128.00", '"2,499.50"', "9.90"])
            day = 1 + i % 28
            fh.write(f"{base + i},tb{rng.randrange(10**6)},2026-02-{day:02d} 10:{i % 60:02d}:00,"
                     f"2026-02-{day:02d} 10:{i % 60:02d}:30,{amount},0.00,{rng.choice(TITLES)},"
                     f"{1 + i % 3},{rng.choice(STATUS)},浙江省 杭州市 西湖区\n")


CHILD = """
import os, resource, sys, time, json
sys.path.insert(0, {root!r})
from analysis.db import open_db
from analysis.ingest import import_file
con = open_db({db!r})
usage = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
t0, c0 = time.perf_counter(), usage()
r = import_file(con, {path!r}, "orders")
dt, dc = time.perf_counter() - t0, usage() - c0
con.close()
print(json.dumps({{"seconds": dt, "cpu": dc, "rows": r["rows_read"], "inserted": r["inserted"],
                  "already": r["already_imported"],
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

# The baseline: what the import must do at the least, DuckDB reading the same file as text
# and materialising it (a temp table in memory), in a fresh process like the import.
RAW = """
import resource, time, json, duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
usage = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
t0, c0 = time.perf_counter(), usage()
con.execute("CREATE TEMP TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [{path!r}])
print(json.dumps({{"seconds": time.perf_counter() - t0, "cpu": usage() - c0}}))
"""

# For reference only (the target stays against RAW): the same read into a table of a database
# file, as an import must store it. DuckDB compresses table data on disk (DICT_FSST for text),
# which costs about as much CPU again as the read; a temp table in memory is not compressed.
RAW_DISK = """
import os, resource, tempfile, time, json, duckdb
con = duckdb.connect(os.path.join(tempfile.mkdtemp(), "raw.duckdb"))
con.execute("SET enable_progress_bar = false")
usage = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
t0, c0 = time.perf_counter(), usage()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [{path!r}])
con.execute("CHECKPOINT")
print(json.dumps({{"seconds": time.perf_counter() - t0, "cpu": usage() - c0}}))
"""


def _child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_import(path: Path, db: Path) -> dict:
    """Import in a child process so its peak memory (DuckDB included) is measured alone."""
    return _child(CHILD.format(root=str(ROOT), db=str(db), path=str(path)))


def raw_read(path: Path) -> dict:
    """Seconds (wall and CPU) of ``CREATE TEMP TABLE AS SELECT * FROM read_csv(all_varchar)``."""
    return _child(RAW.format(path=str(path)))


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each measurement; medians are printed (other jobs may share "
                         "the machine)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        utf8, gbk = tmp / "orders_utf8.csv", tmp / "orders_gb18030.csv"
        write_orders(utf8, args.rows)
        write_orders(gbk, args.rows, "gb18030")
        raws, disks, firsts, gbs, ratios, cpu_ratios = [], [], [], [], [], []
        load_before = os.getloadavg()[0]
        for i in range(args.repeat):
            # Interleaved, so a burst of load from other jobs hits both sides alike.
            raws.append(raw_read(utf8))
            disks.append(_child(RAW_DISK.format(path=str(utf8))))
            firsts.append(run_import(utf8, tmp / f"a{i}.duckdb"))
            gbs.append(run_import(gbk, tmp / f"b{i}.duckdb"))
            ratios.append(firsts[-1]["seconds"] / raws[-1]["seconds"])
            cpu_ratios.append(firsts[-1]["cpu"] / raws[-1]["cpu"])
        again = [run_import(utf8, tmp / "a0.duckdb") for _ in range(args.repeat)]
        load_after = os.getloadavg()[0]
        first_s, raw_s = _median(firsts, "seconds"), _median(raws, "seconds")
        per_row = [(g["seconds"] / g["rows"]) / (f["seconds"] / f["rows"])
                   for f, g in zip(firsts, gbs)]
        print(f"rows: {firsts[0]['rows']:,} ({utf8.stat().st_size / 1e6:.0f} MB UTF-8); "
              f"medians of {args.repeat} runs; load average {load_before:.1f} -> {load_after:.1f} "
              f"on {os.cpu_count()} cores")
        print(f"raw read_csv(all_varchar=true) into a temp table: {raw_s:.2f} s "
              f"(cpu {_median(raws, 'cpu'):.2f} s)  runs {[round(r['seconds'], 2) for r in raws]}")
        print(f"  for reference, the same into a table of a database file: "
              f"{_median(disks, 'seconds'):.2f} s (cpu {_median(disks, 'cpu'):.2f} s)")
        print(f"UTF-8 import: {first_s:.2f} s (cpu {_median(firsts, 'cpu'):.2f} s)  "
              f"runs {[round(r['seconds'], 2) for r in firsts]}")
        print(f"  ratio to raw read: {statistics.median(ratios):.2f}x wall, "
              f"{statistics.median(cpu_ratios):.2f}x cpu (target <= 2x, never above 4x)")
        print(f"GB18030 import: {_median(gbs, 'seconds'):.2f} s  per-row ratio to UTF-8 "
              f"{statistics.median(per_row):.2f}x (target <= 1.5x)")
        print(f"peak memory (child ru_maxrss): UTF-8 {max(r['maxrss_mb'] for r in firsts):.0f} MB, "
              f"GB18030 {max(r['maxrss_mb'] for r in gbs):.0f} MB (target <= 1536 MB)")
        again_s = _median(again, "seconds")
        print(f"unchanged re-import: {again_s:.3f} s = {100 * again_s / first_s:.1f}% of the first "
              f"(target <= 10%), already_imported={all(r['already'] for r in again)}")


if __name__ == "__main__":
    main()
