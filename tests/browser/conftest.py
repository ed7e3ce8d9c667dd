"""Real-browser tests: Playwright driving Debian's chromium against a real Streamlit server.

On a machine without chromium they skip with the reason; under CI=true they must run, so a
missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
PASSWORDS = {"viewer": "view-pass-1", "agent": "agent-pass-2", "operator": "op-pass-3"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _need_chromium():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk); "
                    "real-browser tests skipped on this machine")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Streamlit server on a free loopback port, with its own databases and secrets."""

    def __init__(self, tmp: Path, demo_db: Path, secrets: dict | None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.store_db = tmp / "store.duckdb"
        demo_copy = tmp / "demo.duckdb"
        shutil.copy(demo_db, demo_copy)
        secrets_file = tmp / "secrets.toml"
        lines = []
        if secrets:
            lines.append("[access]")
            lines += [f'{k} = "{v}"' for k, v in secrets.items()]
        secrets_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {**os.environ, "INSIGHTS_DB": str(self.store_db), "INSIGHTS_DEMO_DB": str(demo_copy)}
        self.log = open(tmp / "server.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
             "--secrets.files", str(secrets_file)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start: " + (tmp / "server.log").read_text())

    def healthy(self) -> bool:
        with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as r:
            return r.status == 200

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_db):
    """A server with passwords for all three roles, showing the demo until an upload."""
    if CHROMIUM is None:
        pytest.skip("no chromium")
    srv = Server(tmp_path_factory.mktemp("srv"), demo_db,
                 {f"{role}_password": pw for role, pw in PASSWORDS.items()})
    yield srv
    srv.stop()


def sign_in(page, url: str, role: str) -> None:
    """Open ``url`` and sign in with ``role``'s password."""
    page.goto(url)
    field = page.locator("input[type='password']")
    field.fill(PASSWORDS[role])
    field.press("Enter")
    page.get_by_text("当前身份").or_(page.get_by_text("Signed in as")).first.wait_for(timeout=60000)


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60000)
