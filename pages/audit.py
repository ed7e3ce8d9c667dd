"""审计日志 / Audit log (operators): exports of personal data, erasures, imports; erase a buyer."""

import os

import streamlit as st

from analysis import exports
from analysis.errors import UserError
from analysis.ingest import history
from analysis.privacy_requests import erase_buyer
from pages._ui import auth, shell, state, widgets

ctx = shell.page("operator")
st.title(ctx.t("audit.title"))
st.caption(ctx.t("audit.intro"))

section = shell.section_switch(ctx, "section", ("log", "imports", "erase"), "audit.section")

LOG_LABELS = {c: ctx.t(f"audit.col.{c}") for c in ("at", "actor", "role", "action", "what", "rows", "detail")}


def _action_label(action: str) -> str:
    key = f"audit.action.{action}"
    try:
        return ctx.t(key)
    except KeyError:  # an action this version has no name for: show it as stored
        return action


def show_log() -> None:
    log = state.query(exports.audit_log)
    if log.empty:
        st.info(ctx.t("audit.empty"))
        return
    actions = sorted(log["action"].dropna().unique())
    chosen = shell.url_get("action")
    if chosen not in actions:
        chosen = ""
    st.session_state["audit_action"] = chosen

    def _changed():
        shell.url_set("action", st.session_state["audit_action"] or None)

    st.selectbox(ctx.t("audit.action_filter"), ["", *actions], key="audit_action", on_change=_changed,
                 format_func=lambda a: _action_label(a) if a else ctx.t("audit.all_actions"))
    shown = log[log["action"] == chosen] if chosen else log
    st.caption(ctx.t("audit.count", n=len(shown)))
    widgets.table(ctx, shown, labels=LOG_LABELS, key="audit_log_table")
    widgets.downloads(ctx, shown, "audit_log", key="audit_log")


def show_imports() -> None:
    imports = state.query(history.import_history)
    if imports.empty:
        st.info(ctx.t("audit.no_imports"))
        return
    st.caption(ctx.t("audit.count", n=len(imports)))
    widgets.table(ctx, imports, labels={"sha256": "sha256", "deleted_by": ctx.t("audit.col.deleted_by")},
                  key="audit_imports_table")
    widgets.downloads(ctx, imports, "imports", key="audit_imports")


def _salt() -> str | None:
    """The pseudonymise salt, so a buyer is found by the id the store knows them by."""
    from analysis.ingest.pseudonym import SALT_ENV

    return auth.pseudonym_salt() or os.environ.get(SALT_ENV)


def show_erase() -> None:
    st.warning(ctx.t("audit.erase.intro"))
    with st.form("erase_form", clear_on_submit=False):
        customer_id = st.text_input(ctx.t("audit.erase.customer_id"))
        shop = st.selectbox(ctx.t("audit.erase.shop"), ["", *ctx.shops],
                            format_func=lambda s: s or ctx.t("audit.erase.all_shops"))
        confirmed = st.checkbox(ctx.t("audit.erase.confirm"))
        submitted = st.form_submit_button(ctx.t("audit.erase.submit"), type="primary")
    if not submitted:
        return
    if not confirmed:
        st.error(ctx.t("audit.erase.need_confirm"))
        return
    try:
        result = state.write_active(erase_buyer, customer_id, shop=shop or None,
                                    by=auth.current_actor(), salt=_salt())
    except UserError as exc:
        st.error(exc.message(ctx.lang))
        return
    st.success(ctx.t("audit.erase.done", **result))


{"log": show_log, "imports": show_imports, "erase": show_erase}[section]()
