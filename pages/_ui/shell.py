"""What every page shares: the sign-in guard, language, URL state, sidebar and navigation.

Every page starts with ``ctx = shell.page("viewer")`` (or a higher role): a ``pages/`` file
can be opened by its own URL, so each page guards itself instead of trusting app.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import streamlit as st

from analysis import catalog
from analysis import periods
from analysis.i18n import LANGS, fmt_week, lang_or_default, t
from analysis.privacy import role_at_least
from pages._ui import auth, state

# The URL keys that make a view shareable (docs/design.md: a page's view lives in its URL).
URL_KEYS = ("lang", "shop", "week")

ROOT = Path(__file__).resolve().parents[2]

# (url path, file, title key, icon, lowest role)
PAGES = [
    ("overview", "pages/overview.py", "nav.overview", ":material/dashboard:", "viewer"),
    ("customers", "pages/customers.py", "nav.customers", ":material/groups:", "viewer"),
    ("reviews", "pages/reviews.py", "nav.reviews", ":material/reviews:", "viewer"),
    ("complaints", "pages/complaints.py", "nav.complaints", ":material/support_agent:", "viewer"),
    ("care", "pages/care.py", "nav.care", ":material/call:", "viewer"),
    ("upload", "pages/upload.py", "nav.upload", ":material/upload_file:", "operator"),
    ("settings", "pages/settings.py", "nav.settings", ":material/tune:", "viewer"),
    ("audit", "pages/audit.py", "nav.audit", ":material/policy:", "operator"),
]


@dataclasses.dataclass(frozen=True)
class Ctx:
    """What a page needs to know about this run."""

    lang: str
    role: str
    is_demo: bool
    shop: str | None
    week: str | None
    shops: tuple[str, ...]
    weeks: tuple[str, ...]

    def t(self, key: str, **params) -> str:
        """The catalogue text for ``key`` in this run's language."""
        return t(key, self.lang, **params)

    @property
    def period(self) -> periods.Period:
        """The chosen ISO week as a [start, end) period (all data when no week)."""
        return periods.parse_week(self.week) if self.week else periods.Period(None, None, None)

    @property
    def prev_week(self) -> str | None:
        return periods.shift_week(self.week, -1) if self.week else None

    def can(self, role: str) -> bool:
        """Whether the signed-in role has the rights of ``role``."""
        return role_at_least(self.role, role)

    def url_params(self, **extra: Any) -> dict[str, str]:
        """The query parameters that reproduce this view (for links between pages)."""
        params = {"lang": self.lang}
        if self.shop:
            params["shop"] = self.shop
        if self.week:
            params["week"] = self.week
        params.update({k: str(v) for k, v in extra.items() if v is not None})
        return params


def url_get(key: str, default: str | None = None) -> str | None:
    """A view parameter from the URL, else from this session (so page switches keep it)."""
    value = st.query_params.get(key)
    if value:
        st.session_state[f"url_{key}"] = value
        return value
    return st.session_state.get(f"url_{key}", default)


def url_set(key: str, value: str | None) -> None:
    """Put a view parameter into the URL (and this session)."""
    if value in (None, ""):
        st.query_params.pop(key, None)
        st.session_state.pop(f"url_{key}", None)
    else:
        st.query_params[key] = value
        st.session_state[f"url_{key}"] = value


def current_lang() -> str:
    """Chinese by default whatever the browser says; ``?lang=en`` switches."""
    lang = lang_or_default(url_get("lang"))
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def _extent(shop: str | None) -> dict:
    return state.query(catalog.extent, shop=shop)


def page(min_role: str = "viewer", *, entry: bool = False) -> Ctx:
    """Guard a page and return its context; stops the run with the sign-in form otherwise.

    ``entry`` is True only for app.py. The first request after a server start that names a
    page's own URL runs that page file alone, through Streamlit's old ``pages/`` folder
    mode: such a run declares the real navigation (which ends that mode for the process)
    and reruns, so app.py and its sidebar take over at the same URL.
    """
    from streamlit.runtime.pages_manager import PagesManager

    lang = current_lang()
    if not entry and PagesManager.uses_pages_directory:
        _declare_pages(lang, "operator")
        st.rerun()
    role = auth.current_role()
    if role is None:
        if entry:
            # Remember which page the link named: the visitor lands there once signed in.
            st.session_state.setdefault("after_sign_in", _requested_page())
        auth.sign_in_form(lang)
        st.stop()
    if not role_at_least(role, min_role):
        st.warning(t("auth.not_allowed", lang))
        st.stop()
    path, is_demo = state.active_db()
    if is_demo and not path.exists():
        with st.spinner(t("app.creating_demo", lang)):
            state.ensure_demo()
    shop = url_get("shop")
    ext = _extent(None)
    if shop not in ext["shops"]:
        shop = None
    weeks = _extent(shop)["weeks"] if shop else ext["weeks"]
    week = url_get("week")
    if week not in weeks:
        week = weeks[0] if weeks else None
    for key, value in (("shop", shop), ("week", week)):
        if st.query_params.get(key) != value:
            url_set(key, value)
    ctx = Ctx(lang=lang, role=role, is_demo=is_demo, shop=shop, week=week,
              shops=tuple(ext["shops"]), weeks=tuple(weeks))
    if not _run_by_app():
        # A page run as the main script (page tests) still needs the page registry, or
        # its links to other pages would have nothing to point at.
        _declare_pages(lang, role)
    return ctx


def _requested_page() -> str | None:
    """The url path of the page the browser asked for (None for the landing page)."""
    from urllib.parse import urlparse

    try:
        url = st.context.url
    except Exception:
        return None
    path = urlparse(url or "").path.strip("/").split("/")[-1]
    return path if any(path == p[0] for p in PAGES) else None


def resume_after_sign_in(ctx: Ctx) -> None:
    """After signing in, go to the page the link named (its URL parameters kept)."""
    target = st.session_state.pop("after_sign_in", None)
    if target and target != "overview" and _requested_page() != target:
        for path, file, _, _, min_role in PAGES:
            if path == target and ctx.can(min_role):
                st.switch_page(st.Page(ROOT / file, url_path=path), query_params=ctx.url_params())


def _run_by_app() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    return run is None or Path(run.main_script_path).name == "app.py"


def _on_change(key: str) -> None:
    value = st.session_state[f"widget_{key}"]
    url_set(key, value)


def sidebar(ctx: Ctx) -> None:
    """Navigation links that keep the view, then shop, week, language and the data badge."""
    with st.sidebar:
        st.subheader(ctx.t("app.title"))
        for path, file, key, icon, min_role in PAGES:
            if ctx.can(min_role):
                st.page_link(ROOT / file, label=ctx.t(key), icon=icon, query_params=ctx.url_params())
        st.divider()
        if len(ctx.shops) > 1:
            options = [""] + list(ctx.shops)
            st.session_state[f"widget_shop"] = ctx.shop or ""
            st.selectbox(ctx.t("sidebar.shop"), options, key="widget_shop",
                         format_func=lambda s: s or ctx.t("sidebar.all_shops"),
                         on_change=_on_change, args=("shop",))
        if ctx.weeks:
            st.session_state["widget_week"] = ctx.week
            st.selectbox(ctx.t("sidebar.week"), list(ctx.weeks), key="widget_week",
                         format_func=lambda w: fmt_week(w, ctx.lang),
                         on_change=_on_change, args=("week",))
        st.session_state["widget_lang"] = ctx.lang
        st.radio(ctx.t("sidebar.language"), list(LANGS), key="widget_lang", horizontal=True,
                 format_func=lambda code: {"zh": "中文", "en": "English"}[code],
                 on_change=_on_change, args=("lang",))
        st.caption(ctx.t("sidebar.demo_data") if ctx.is_demo else ctx.t("sidebar.store_data"))
        st.caption(ctx.t("sidebar.role", role=ctx.t(f"role.{ctx.role}")))
        if auth.mode() == "open":
            st.warning(ctx.t("auth.open_mode"))
        elif st.button(ctx.t("auth.sign_out"), key="sign_out"):
            auth.sign_out()
            st.rerun()


def navigation(ctx: Ctx):
    """The ``st.navigation`` object over the pages this role may open (menu drawn by
    :func:`sidebar`, so links keep the view's URL parameters)."""
    return _declare_pages(ctx.lang, ctx.role)


def _declare_pages(lang: str, role: str):
    pages = [
        st.Page(ROOT / file, title=t(key, lang), icon=icon, url_path=path, default=(path == "overview"))
        for path, file, key, icon, min_role in PAGES
        if role_at_least(role, min_role)
    ]
    return st.navigation(pages, position="hidden")


def require_week(ctx: Ctx, what_key: str) -> None:
    """Stop the page with the upload hint when the store has no data yet."""
    if not ctx.week:
        empty_state(ctx, what_key)
        st.stop()


def empty_state(ctx: Ctx, what_key: str) -> None:
    """Say what to upload to fill this view, with a link to the upload page."""
    st.info(ctx.t("empty.upload_to_fill", what=ctx.t(what_key)))
    if ctx.can("operator"):
        link(ctx, "upload")


def section_switch(ctx: Ctx, url_key: str, sections: tuple[str, ...], label_prefix: str) -> str:
    """A row of buttons choosing the page's section, kept in the URL under ``url_key``."""
    current = url_get(url_key)
    if current not in sections:
        current = sections[0]
    widget_key = f"section_{url_key}"
    st.session_state[widget_key] = current

    def _changed():
        url_set(url_key, st.session_state[widget_key] or sections[0])

    st.segmented_control(ctx.t(f"{label_prefix}.label"), sections, key=widget_key,
                         format_func=lambda s: ctx.t(f"{label_prefix}.{s}"),
                         on_change=_changed, label_visibility="collapsed")
    if st.query_params.get(url_key) != current:
        url_set(url_key, current)
    return current


def link(ctx: Ctx, name: str, *, label: str | None = None, icon: str | None = None, **params) -> None:
    """A link to page ``name`` (its url path) that keeps this view's URL parameters."""
    for path, file, key, default_icon, min_role in PAGES:
        if path == name:
            if ctx.can(min_role):
                st.page_link(ROOT / file, label=label or ctx.t(key), icon=icon or default_icon,
                             query_params=ctx.url_params(**params))
            return
    raise KeyError(name)
