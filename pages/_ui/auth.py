"""Sign-in and roles (docs/design.md "Contracts"): passwords, single sign-on, or open mode.

- ``[access]`` passwords: the password decides the role; a role with no password cannot sign in.
- ``[auth]`` configured: ``st.login`` replaces the passwords; roles from the e-mail lists.
- Neither: open as operator for one person on their own machine (the sidebar says so).
"""

from __future__ import annotations

import hmac
import threading
import time

import streamlit as st

from analysis.i18n import t
from analysis.privacy import ROLES

SESSION_HOURS_DEFAULT = 12.0
# Wrong passwords are slowed down per client: after FREE_TRIES failures within WINDOW_S,
# each further try waits twice as long as the last, up to MAX_DELAY_S. The right password
# is still accepted after the wait, so nobody is locked out.
FREE_TRIES = 3
WINDOW_S = 15 * 60
MAX_DELAY_S = 8.0

_failures: dict[str, list[float]] = {}
_failures_lock = threading.Lock()


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # no secrets file at all: open mode
        return {}


def mode() -> str:
    """``"sso"``, ``"password"`` or ``"open"``."""
    if _secrets_section("auth"):
        return "sso"
    access = _secrets_section("access")
    if any(access.get(f"{r}_password") for r in ROLES):
        return "password"
    return "open"


def role_for_password(password: str) -> str | None:
    """The role whose password this is (compared in constant time), or None."""
    access = _secrets_section("access")
    found = None
    for role in ROLES:  # lowest first: a password shared by two roles gives the lesser
        secret = access.get(f"{role}_password")
        if secret and hmac.compare_digest(str(secret).encode(), password.encode()) and found is None:
            found = role
    return found


def role_for_email(email: str | None) -> str | None:
    """The highest role whose e-mail list holds ``email`` (case-insensitive), or None."""
    if not email:
        return None
    access = _secrets_section("access")
    email = email.strip().lower()
    role = None
    for r in ROLES:
        if email in {str(e).strip().lower() for e in access.get(f"{r}_emails", []) or []}:
            role = r
    return role


def _client_key() -> str:
    try:
        ip = st.context.ip_address
    except Exception:
        ip = None
    return ip or "local"


def failure_delay(key: str, now: float | None = None) -> float:
    """Seconds the next try from ``key`` must wait, given its recent failures."""
    now = time.time() if now is None else now
    with _failures_lock:
        recent = [ts for ts in _failures.get(key, []) if now - ts < WINDOW_S]
        _failures[key] = recent
    extra = len(recent) - FREE_TRIES
    return 0.0 if extra < 0 else min(0.5 * 2 ** extra, MAX_DELAY_S)


def _record_failure(key: str) -> None:
    with _failures_lock:
        _failures.setdefault(key, []).append(time.time())


def _session_hours() -> float:
    try:
        return float(_secrets_section("access").get("session_hours", SESSION_HOURS_DEFAULT))
    except (TypeError, ValueError):
        return SESSION_HOURS_DEFAULT


def current_role() -> str | None:
    """The signed-in role of this session, or None (expired sessions sign out)."""
    m = mode()
    if m == "open":
        return "operator"
    if m == "sso":
        if not getattr(st.user, "is_logged_in", False):
            return None
        return role_for_email(getattr(st.user, "email", None))
    role = st.session_state.get("auth_role")
    started = st.session_state.get("auth_at", 0.0)
    if role and time.time() - started > _session_hours() * 3600:
        sign_out()
        st.session_state["auth_expired"] = True
        return None
    return role


def current_actor() -> str:
    """Who is acting, for the import and audit logs."""
    if mode() == "sso":
        return getattr(st.user, "email", None) or "sso"
    return st.session_state.get("auth_role") or "local"


def sign_out() -> None:
    """Forget this session's sign-in."""
    for k in ("auth_role", "auth_at"):
        st.session_state.pop(k, None)
    if mode() == "sso":
        st.logout()


def sign_in_form(lang: str) -> None:
    """The sign-in screen: one password field (Enter submits), or the SSO button."""
    st.title(t("app.title", lang))
    if mode() == "sso":
        if getattr(st.user, "is_logged_in", False):
            st.error(t("auth.no_access", lang, email=getattr(st.user, "email", "") or ""))
            if st.button(t("auth.sign_out", lang)):
                st.logout()
        elif st.button(t("auth.sso_button", lang), type="primary"):
            st.login()
        return
    if st.session_state.pop("auth_expired", False):
        st.info(t("auth.expired", lang))
    with st.form("sign_in", clear_on_submit=True):
        password = st.text_input(t("auth.password", lang), type="password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), type="primary")
    if submitted:
        key = _client_key()
        delay = failure_delay(key)
        if delay:
            time.sleep(delay)
        role = role_for_password(password or "")
        if role is None:
            _record_failure(key)
            st.error(t("auth.wrong_password", lang))
            return
        st.session_state["auth_role"] = role
        st.session_state["auth_at"] = time.time()
        st.rerun()


def pseudonym_salt() -> str | None:
    """The salt of the "pseudonymise" setting (``[access] pseudonym_salt``), if set."""
    return _secrets_section("access").get("pseudonym_salt") or None
