"""Speed of ``export-parquet`` and of ``summary`` over the export vs over the database.

Run: ``python bench/parquet.py [--customers N]``. Writes a demo database in a temporary
folder, exports it, and prints seconds and sizes (median of 5 summary runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import db, parquet  # noqa: E402
from analysis.demo import write_demo  # noqa: E402
from analysis.summary import summary  # noqa: E402


def _median_s(func, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--customers", type=int, default=3000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "demo.duckdb", Path(tmp) / "pq"
        write_demo(path, customers=args.customers, seed=7, end=dt.date(2026, 11, 20))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "analysis", "export-parquet", str(out), "--db", str(path)],
                       check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
        print(f"export-parquet (CLI, {args.customers} customers): {time.perf_counter() - t:.2f} s")
        with db.connection(path, read_only=True) as con:
            print(f"summary 2026-W47 over the database: {_median_s(lambda: summary(con, '2026-W47')):.3f} s")
        pq = parquet.open_parquet(out)
        print(f"summary 2026-W47 over Parquet:      {_median_s(lambda: summary(pq, '2026-W47')):.3f} s")
        size = sum(f.stat().st_size for f in out.iterdir())
        print(f"sizes: database {path.stat().st_size / 1e6:.2f} MB, Parquet {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
