"""Ten viewers load pages while an import writes to the same database file from the command
line: every page finishes without an error, and the import lands."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, PASSWORDS, ROOT, Server, sign_in


def _orders_csv(path, rows: int, start: int = 0) -> None:
    lines = ["订单编号,买家会员名,买家实际支付金额,订单付款时间,宝贝标题"]
    lines += [f"{4000000000000000000 + i},buyer{i % 5000},{99 + i % 300}.00,"
              f"2026-11-{1 + i % 20:02d} 10:{i % 60:02d}:00,商品{i % 30}" for i in range(start, start + rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def store_server(tmp_path, demo_db):
    if CHROMIUM is None:
        pytest.skip("no chromium")
    srv = Server(tmp_path, demo_db, {f"{r}_password": pw for r, pw in PASSWORDS.items()})
    first = tmp_path / "first.csv"
    _orders_csv(first, 500)
    subprocess.run([sys.executable, "-m", "analysis", "import", str(first), "--kind", "orders",
                    "--db", str(srv.store_db)], cwd=ROOT, check=True, capture_output=True)
    yield srv
    srv.stop()


def test_ten_viewers_while_an_import_runs(store_server, browser, tmp_path):
    big = tmp_path / "big.csv"
    _orders_csv(big, 200_000, start=1000)
    importer = subprocess.Popen(
        [sys.executable, "-m", "analysis", "import", str(big), "--kind", "orders", "--json",
         "--db", str(store_server.store_db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    contexts = [browser.new_context() for _ in range(10)]
    try:
        pages = [c.new_page() for c in contexts]
        for i, page in enumerate(pages):
            path = "" if i % 2 == 0 else "customers"
            sign_in(page, f"{store_server.url}/{path}?week=2026-W47", "viewer")
        for page in pages:
            expect(page.locator("[data-testid='stMain'] h1").first).to_be_visible(timeout=90000)
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=90000)
            assert page.locator("[data-testid='stException']").count() == 0
            assert "encountered an error" not in page.inner_text("body")
    finally:
        for c in contexts:
            c.close()
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert '"rows_read": 200000' in out
    assert store_server.healthy()
