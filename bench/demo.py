"""How long the demo takes to write (the app's first start waits for it).

Run: python bench/demo.py [customers]   (prints seconds per step and in total)
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.demo import write_demo  # noqa: E402


def main() -> None:
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(fraction: float, step: str) -> None:
        if not marks or marks[-1][0] != step:
            marks.append((step, time.perf_counter() - started))

    with tempfile.TemporaryDirectory() as tmp:
        counts = write_demo(Path(tmp) / "demo.duckdb", customers=customers, seed=7,
                            end=dt.date(2026, 11, 25), progress=progress)
        total = time.perf_counter() - started
    for (step, at), (_, nxt) in zip(marks, marks[1:] + [("end", total)]):
        print(f"{step:10s} {nxt - at:6.2f} s")
    print(f"{'total':10s} {total:6.2f} s for {customers} customers: {counts}")


if __name__ == "__main__":
    main()
