"""Import speed and memory on a generated 1,000,000-row order export.

Prints, in one run: import time vs DuckDB's raw ``read_csv(all_varchar=true)`` of the same
file, GB18030 time per row vs UTF-8, peak memory of an import (ru_maxrss of a child process)
and the re-import time of the unchanged file.

    python bench/ingest.py [--rows N]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
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
import resource, sys, time, json
sys.path.insert(0, {root!r})
from analysis.db import open_db
from analysis.ingest import import_file
con = open_db({db!r})
t0 = time.perf_counter()
r = import_file(con, {path!r}, "orders")
dt = time.perf_counter() - t0
con.close()
print(json.dumps({{"seconds": dt, "rows": r["rows_read"], "inserted": r["inserted"],
                  "already": r["already_imported"],
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_import(path: Path, db: Path) -> dict:
    """Import in a child process so its peak memory (DuckDB included) is measured alone."""
    import json

    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db), path=str(path))],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_read_seconds(path: Path) -> float:
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [str(path)])
    seconds = time.perf_counter() - t0
    con.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    rows = ap.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        utf8, gbk = tmp / "orders_utf8.csv", tmp / "orders_gb18030.csv"
        write_orders(utf8, rows)
        write_orders(gbk, rows, "gb18030")
        raw = raw_read_seconds(utf8)
        first = run_import(utf8, tmp / "a.duckdb")
        again = run_import(utf8, tmp / "a.duckdb")
        gb = run_import(gbk, tmp / "b.duckdb")
        print(f"rows: {first['rows']:,} ({utf8.stat().st_size / 1e6:.0f} MB UTF-8)")
        print(f"raw read_csv(all_varchar=true): {raw:.2f} s")
        print(f"UTF-8 import: {first['seconds']:.2f} s  ratio {first['seconds'] / raw:.2f}x (target <= 2x)")
        print(f"GB18030 import: {gb['seconds']:.2f} s  per-row ratio "
              f"{(gb['seconds'] / gb['rows']) / (first['seconds'] / first['rows']):.2f}x (target <= 1.5x)")
        print(f"peak memory (child ru_maxrss): UTF-8 {first['maxrss_mb']:.0f} MB, "
              f"GB18030 {gb['maxrss_mb']:.0f} MB (target <= 1536 MB)")
        print(f"unchanged re-import: {again['seconds']:.3f} s = "
              f"{100 * again['seconds'] / first['seconds']:.1f}% of the first (target <= 10%), "
              f"already_imported={again['already']}")


if __name__ == "__main__":
    main()
