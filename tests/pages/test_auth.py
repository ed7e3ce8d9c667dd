"""Single sign-on roles, session expiry and the slow-down of wrong passwords."""

from __future__ import annotations

import time
import types

import pytest

from pages._ui import auth
from tests.pages.conftest import PASSWORDS, make_app, texts

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s3cret",
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"}
ACCESS = {"viewer_emails": ["Boss@example.com"], "agent_emails": ["cs1@example.com"],
          "operator_emails": ["ops@example.com"]}


def sso_app(script: str = "app.py", user: dict | None = None):
    at = make_app(script, passwords=False, lang="en")
    at.secrets["auth"] = dict(AUTH)
    at.secrets["access"] = dict(ACCESS)
    at.user = user if user is not None else {"is_logged_in": False}
    return at


@pytest.mark.parametrize("email, role", [("boss@example.com", "Viewer"), ("cs1@example.com", "Agent"),
                                         ("ops@example.com", "Operator")])
def test_sso_role_comes_from_the_email_lists(app_env, email, role):
    at = sso_app(user={"is_logged_in": True, "email": email}).run()
    assert not at.exception
    shown = texts(at)
    assert f"Signed in as: {role}" in shown
    assert len(at.metric) > 0  # the overview is drawn
    assert [t.label for t in at.text_input] == []  # no password field in SSO mode


def test_sso_viewer_sees_no_upload_page(app_env):
    at = sso_app("pages/upload.py", user={"is_logged_in": True, "email": "boss@example.com"}).run()
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert "Your role cannot open this page" in texts(at)


def test_signed_in_email_on_no_list_sees_only_no_access(app_env):
    at = sso_app(user={"is_logged_in": True, "email": "stranger@example.com"}).run()
    assert not at.exception
    shown = texts(at)
    assert "stranger@example.com has no access" in shown
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.text_input) == 0
    assert [b.label for b in at.button] == ["Sign out"]


def test_not_signed_in_sees_only_the_sso_button(app_env):
    at = sso_app("pages/customers.py").run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with your company account"]
    assert len(at.text_input) == 0 and len(at.metric) == 0 and len(at.dataframe) == 0


def test_expired_password_session_shows_the_form_and_says_why(app_env):
    at = make_app(role="viewer", lang="en")
    at.session_state["auth_at"] = time.time() - 13 * 3600  # the default session is 12 h
    at.run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Password"]
    assert "Your session expired" in texts(at)
    assert len(at.metric) == 0
    assert "auth_role" not in at.session_state


def test_fresh_session_is_kept(app_env):
    at = make_app(role="viewer", lang="en")
    at.session_state["auth_at"] = time.time() - 11 * 3600
    at.run()
    assert len(at.text_input) == 0 and len(at.metric) > 0


@pytest.fixture
def no_failures(monkeypatch):
    monkeypatch.setattr(auth, "_failures", {})


def _fail_at(key: str, times: list[float]) -> None:
    auth._failures.setdefault(key, []).extend(times)


def test_first_three_failures_cost_nothing_then_the_wait_doubles_up_to_the_cap(no_failures):
    now = 10_000.0
    delays = []
    for n in range(9):
        delays.append(auth.failure_delay("ip", now=now + n))
        _fail_at("ip", [now + n])
    # 0, 1, 2, 3 failures: free; then 0.5 s, doubling, capped at 8 s.
    assert delays == [0.0, 0.0, 0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_failures_are_per_client_and_forgotten_after_the_window(no_failures):
    _fail_at("a", [0.0] * 6)
    assert auth.failure_delay("a", now=10.0) == 4.0
    assert auth.failure_delay("b", now=10.0) == 0.0
    assert auth.failure_delay("a", now=auth.WINDOW_S + 1) == 0.0


def test_right_password_still_accepted_after_failures(app_env, no_failures, monkeypatch):
    waits = []
    # Replace the module's view of ``time`` only: AppTest itself needs the real sleep.
    monkeypatch.setattr(auth, "time", types.SimpleNamespace(time=time.time, sleep=waits.append))
    monkeypatch.setattr(auth, "_client_key", lambda: "client-x")
    _fail_at("client-x", [time.time()] * 5)
    at = make_app("pages/settings.py").run()
    at.text_input[0].input(PASSWORDS["operator_password"])
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["auth_role"] == "operator"
    assert waits == [2.0]  # slowed down (5 recent failures), not locked out
