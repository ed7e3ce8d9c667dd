"""Each page's whole server run (queries, figures, tables, widgets) at 1M orders, cold and warm.

Target (issue 8): each page ≤ 1 s cold and ≤ 0.1 s warm. ``bench/pages.py`` times the
analysis calls alone; this script runs the real app through Streamlit's ``AppTest`` on the
same synthetic store, signed in as an operator, so drawing is included. *Cold*: the first run
after the query cache is emptied (as after an import); *warm*: the next run of the same view.
AppTest adds its own overhead (it serialises and parses every element), so the figures are an
upper bound of what a browser session costs the server.

    python bench/app_runs.py [--orders 1000000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))  # after ROOT: the app's own pages/ package wins

# bench/pages.py (the synthetic store), under a name that does not hide the app's pages/.
_spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "pages.py")
pages_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages_bench)

VIEWS = [
    ("overview", "pages/overview.py", {}),
    ("customers/ladder", "pages/customers.py", {}),
    ("customers/movement", "pages/customers.py", {"view": "movement"}),
    ("customers/high_end", "pages/customers.py", {"view": "high_end"}),
    ("customers/rfm", "pages/customers.py", {"view": "rfm"}),
    ("reviews", "pages/reviews.py", {}),
    ("complaints", "pages/complaints.py", {}),
    ("care", "pages/care.py", {}),
]


def app(page: str, params: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["auth_role"] = "operator"
    at.session_state["auth_at"] = time.time()
    at.query_params["week"] = pages_bench.WEEK
    for k, v in params.items():
        at.query_params[k] = v
    return at.switch_page(page)


def timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception}")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    path, _ = pages_bench.data_file(a.orders, a.orders * 3 // 10, a.orders // 10, False)
    os.environ["INSIGHTS_DB"] = str(path)
    os.chdir(ROOT)
    import streamlit as st

    from analysis import db, ladder_store
    from pages._ui import warmup

    with db.connection(path) as con:
        ladder_store.refresh_if_stale(con)  # as the import that wrote the data did
    warmup.start().join()  # as at server start
    timed_run(app("pages/reviews.py", {}))  # a first visit imports plotly, pandas' writers …
    print(f"data: {path}; week {pages_bench.WEEK}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print(f"{'view':<22} {'cold':>8} {'warm':>8}   (median of {a.repeat}; targets ≤ 1 s, ≤ 0.1 s)")
    for name, page, params in VIEWS:
        colds, warms = [], []
        for _ in range(a.repeat):
            st.cache_data.clear()
            at = app(page, params)
            colds.append(timed_run(at))
            warms.append(timed_run(at))
        print(f"{name:<22} {statistics.median(colds):7.2f}s {statistics.median(warms):7.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
