"""Widgets whose value lives in the URL, so a copied link opens the same section or day."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages._ui import shell
from pages._ui.shell import Ctx


def _store(url_key: str, to_text) -> None:
    value = st.session_state.get(f"widget_{url_key}")
    shell.url_set(url_key, None if value is None else to_text(value))


def url_radio(ctx: Ctx, url_key: str, options: tuple[str, ...], label_prefix: str,
              label_key: str) -> str:
    """A horizontal switch between ``options`` kept in the URL under ``url_key``.

    Labels are ``ctx.t(f"{label_prefix}.{option}")``; an unknown URL value falls back to the
    first option.
    """
    current = shell.url_get(url_key, options[0])
    if current not in options:
        current = options[0]
    if st.query_params.get(url_key) != current:
        shell.url_set(url_key, current)
    st.session_state[f"widget_{url_key}"] = current
    st.radio(ctx.t(label_key), list(options), key=f"widget_{url_key}", horizontal=True,
             format_func=lambda o: ctx.t(f"{label_prefix}.{o}"),
             on_change=_store, args=(url_key, str))
    return current


def url_date(ctx: Ctx, url_key: str, label_key: str, default: dt.date, *,
             first: dt.date, last: dt.date) -> dt.date:
    """A date between ``first`` and ``last`` kept in the URL (ISO text) under ``url_key``;
    a missing, malformed or out-of-range URL value gives ``default``."""
    try:
        chosen = dt.date.fromisoformat(shell.url_get(url_key) or "")
    except ValueError:
        chosen = default
    if not first <= chosen <= last:
        chosen = default
    if st.query_params.get(url_key) != chosen.isoformat():
        shell.url_set(url_key, chosen.isoformat())
    st.session_state[f"widget_{url_key}"] = chosen
    st.date_input(ctx.t(label_key), min_value=first, max_value=last, key=f"widget_{url_key}",
                  format="YYYY-MM-DD", on_change=_store, args=(url_key, dt.date.isoformat))
    return chosen
