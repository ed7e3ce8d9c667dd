"""Page tests with Streamlit's AppTest: every page on demo data, on an empty store, in English,
and signed in as each role."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PASSWORDS = {"viewer_password": "v-pass", "agent_password": "a-pass", "operator_password": "o-pass"}


@pytest.fixture
def app_env(monkeypatch, tmp_path, demo_db):
    """Point the app at a not-yet-existing store database and the session's demo copy."""
    import shutil

    demo = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, demo)
    monkeypatch.setenv("INSIGHTS_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.setenv("INSIGHTS_DEMO_DB", str(demo))
    monkeypatch.chdir(ROOT)
    return tmp_path


def make_app(script: str = "app.py", *, role: str | None = None, lang: str | None = None,
             params: dict | None = None, passwords: bool = True) -> AppTest:
    """An AppTest of ``script``; with ``role`` the session is already signed in as it."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    if passwords:
        at.secrets["access"] = dict(PASSWORDS)
    if role:
        at.session_state["auth_role"] = role
        at.session_state["auth_at"] = time.time()
    if lang:
        at.query_params["lang"] = lang
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def texts(at: AppTest) -> str:
    """Everything the run showed as text, for assertions on what a person sees."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                 "warning", "error", "success"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    return "\n".join(parts)
