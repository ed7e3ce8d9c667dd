"""Small layout pieces every page uses: tables, exports, metrics and charts."""

from __future__ import annotations

import functools
import math

import pandas as pd
import streamlit as st

from analysis.exports import export_bytes, log_audit
from analysis.i18n import fmt_number, fmt_share
from analysis.privacy import dial_uri, has_personal_columns, mask_frame
from pages._ui import auth, state
from pages._ui.shell import Ctx


def masked(ctx: Ctx, df: pd.DataFrame, *, unmasked_for_agents: bool = False) -> pd.DataFrame:
    """``df`` with personal data masked as this role must see it."""
    return mask_frame(df, ctx.role, unmasked_for_agents=unmasked_for_agents)


def table(ctx: Ctx, df: pd.DataFrame, *, labels: dict[str, str] | None = None,
          unmasked_for_agents: bool = False, height: int | None = None, key: str | None = None) -> None:
    """A read-only table; text is shown as text (never Markdown or HTML)."""
    view = masked(ctx, df, unmasked_for_agents=unmasked_for_agents)
    kwargs = {"hide_index": True, "width": "stretch"}
    if "phone" in view.columns:
        # A tap dials the number, then its extension (a virtual number needs both); a
        # masked phone gets no link.
        dial = view["phone"].map(dial_uri)
        if dial.notna().any():
            view.insert(view.columns.get_loc("phone") + 1, "dial", dial)
            kwargs["column_config"] = {ctx.t("col.dial"): st.column_config.LinkColumn(
                display_text=ctx.t("col.dial.text"))}
    view = view.rename(columns={**column_labels(ctx, view.columns), **(labels or {})})
    if height:
        kwargs["height"] = height
    st.dataframe(view, key=key, **kwargs)


def column_labels(ctx: Ctx, columns) -> dict[str, str]:
    """Translated headers for the known columns (``col.<name>`` in the catalogue)."""
    from analysis.i18n import CATALOGUE

    return {c: ctx.t(f"col.{c}") for c in columns if f"col.{c}" in CATALOGUE}


def _audit(ctx: Ctx, what: str, rows: int, fmt: str) -> None:
    state.write_active(log_audit, actor=auth.current_actor(), role=ctx.role, action="export",
                       what=what, rows=rows, detail={"format": fmt})


def downloads(ctx: Ctx, df: pd.DataFrame, name: str, *, unmasked_for_agents: bool = False,
              key: str | None = None) -> None:
    """CSV and .xlsx download buttons for every row of ``df`` (masked as the role must see
    it); an export that carries personal data goes to the audit log when clicked.

    The file is written only when its button is clicked: an .xlsx of 300k customers takes
    seconds, which every run of the page would otherwise pay for every table."""
    data = masked(ctx, df, unmasked_for_agents=unmasked_for_agents)
    personal = has_personal_columns(data)
    key = key or name
    c1, c2 = st.columns(2)
    for col, fmt, mime in ((c1, "csv", "text/csv"),
                           (c2, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        with col:
            st.download_button(
                ctx.t(f"export.{fmt}"), functools.partial(export_bytes, data, fmt),
                file_name=f"{name}.{fmt}",
                mime=mime, key=f"dl_{key}_{fmt}", disabled=data.empty,
                on_click=_audit if personal else "ignore",
                args=(ctx, name, len(data), fmt) if personal else None,
            )


def delta_text(current, previous, *, share: bool = False) -> str | None:
    """The change against last week, formatted for ``st.metric`` (None when unknown)."""
    if current is None or previous is None:
        return None
    if isinstance(current, float) and math.isnan(current):
        return None
    diff = current - previous
    if share:
        return f"{diff * 100:+.1f} pt"
    return f"{diff:+,.0f}" if float(diff).is_integer() else f"{diff:+,.1f}"


def metric(label: str, value, *, previous=None, share: bool = False, digits: int = 0,
           inverse: bool = False, help: str | None = None) -> None:
    """One figure with its change since last week; "—" when there is no data."""
    shown = fmt_share(value) if share else fmt_number(value, digits=digits)
    st.metric(label, shown, delta=delta_text(value, previous, share=share),
              delta_color="inverse" if inverse else "normal", help=help)


def chart(fig, *, key: str | None = None) -> None:
    """A Plotly figure at the page's width."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def setting_input(key: str, value, label: str, *, disabled: bool):
    """The input widget that fits a setting's type; returns the entered value."""
    from analysis.settings import DEFAULTS

    default = DEFAULTS[key]
    wkey = f"setting_{key}"
    if isinstance(default, bool):
        return st.checkbox(label, value=bool(value), disabled=disabled, key=wkey)
    if isinstance(default, list):
        return st.text_input(label, value=", ".join(str(v) for v in value), disabled=disabled, key=wkey)
    if isinstance(default, int):
        return st.number_input(label, value=int(value), min_value=0, step=1, disabled=disabled, key=wkey)
    if isinstance(default, float):
        return st.number_input(label, value=float(value), min_value=0.0, max_value=1.0, step=0.05,
                               disabled=disabled, key=wkey)
    return st.text_input(label, value="" if value is None else str(value), disabled=disabled, key=wkey)
