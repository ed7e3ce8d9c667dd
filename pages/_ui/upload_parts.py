"""Pieces of the upload page: the column-mapping step and the import report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import ingest, schema
from analysis.i18n import CATALOGUE, fmt_number
from pages._ui import widgets
from pages._ui.shell import Ctx

KEEP_EXTRA = ""  # mapping target meaning "keep in the extra column"


def canonical_targets(kind: str) -> list[str]:
    """Columns a source column can be mapped to for ``kind`` (shop comes from the form)."""
    return [c for c in schema.columns(kind, bookkeeping=False) if c != "shop"]


def mapping_editor(ctx: Ctx, kind: str, headers: list[str], proposed: dict[str, str],
                   key: str) -> dict[str, str]:
    """One select box per source column; returns {source: canonical} for the mapped ones.

    A canonical column can come from one source only: a second choice of the same target
    is refused with a message rather than silently dropped.
    """
    targets = [KEEP_EXTRA] + canonical_targets(kind)
    required = ingest.required_columns(kind)

    def label(c: str) -> str:
        if c == KEEP_EXTRA:
            return ctx.t("upload.keep_extra")
        name = f"{ctx.t(f'col.{c}')} · {c}"
        return f"{name} *" if c in required else name

    st.caption(ctx.t("upload.required_mark"))
    mapping: dict[str, str] = {}
    cols = st.columns(3)
    for i, header in enumerate(headers):
        current = proposed.get(header, KEEP_EXTRA)
        with cols[i % 3]:
            choice = st.selectbox(
                header, targets, index=targets.index(current) if current in targets else 0,
                key=f"{key}_map_{i}", format_func=label,
            )
        if choice != KEEP_EXTRA:
            mapping[header] = choice
    seen: dict[str, str] = {}
    for source, target in mapping.items():
        if target in seen:
            st.error(ctx.t("upload.duplicate_target", target=target, a=seen[target], b=source))
        seen[target] = source
    return mapping


def preview_checks(ctx: Ctx, pv) -> None:
    """The preview's warnings and the checklist of what each page can get from the file."""
    for w in pv.warnings:
        st.warning(ctx.t(f"upload.warn.{w['reason']}", column=w.get("column") or ""))
    with st.expander(ctx.t("upload.checklist"), expanded=any(not c["ok"] for c in pv.checklist)):
        for item in pv.checklist:
            mark = "✓" if item["ok"] else "⚠"
            groups = [" / ".join(ctx.t(f"col.{c}") for c in g) for g in item["missing"]]
            missing = "" if item["ok"] else ctx.t("upload.checklist.missing",
                                                  columns="；".join(groups) if ctx.lang == "zh"
                                                  else "; ".join(groups))
            st.text(f"{mark} {ctx.t('upload.need.' + item['need'])}{missing}")


def date_order_questions(ctx: Ctx, columns: list[str], key: str) -> dict[str, bool]:
    """Ask, per ambiguous date column, whether it is day-first; returns {column: day_first}."""
    answers = {}
    for i, column in enumerate(columns):
        choice = st.radio(ctx.t("upload.date_order", column=column), ["month", "day"],
                          key=f"{key}_dayfirst_{i}", horizontal=True,
                          format_func=lambda o: ctx.t(f"upload.date_order.{o}"))
        answers[column] = choice == "day"
    return answers


def platform_name(ctx: Ctx, platform: str | None) -> str:
    """The recognised platform in the user's language (its code when it has no name)."""
    if not platform:
        return "—"
    key = f"platform.{platform}"
    return ctx.t(key) if key in CATALOGUE else platform


def _reason_text(ctx: Ctx):
    """A reason code in the user's language (an unknown code as it is)."""
    return lambda r: ctx.t(f"ingest.reason.{r}") if f"ingest.reason.{r}" in CATALOGUE else r


def report(ctx: Ctx, rep: dict) -> None:
    """The import report: counts, warnings and downloadable rejections."""
    if rep.get("already_imported"):
        st.info(ctx.t("upload.already_imported", file=rep["file"]))
    else:
        st.success(ctx.t("upload.done", file=rep["file"]))
    cols = st.columns(6)
    for col, name in zip(cols, ("rows_read", "inserted", "updated", "unchanged", "rejected", "skipped")):
        col.metric(ctx.t(f"upload.count.{name}"), fmt_number(rep.get(name)))
    st.caption(ctx.t("upload.file_facts", encoding=rep.get("encoding") or "—",
                     platform=platform_name(ctx, rep.get("platform")), sha=(rep.get("sha256") or "")[:12]))
    if rep.get("warnings"):
        st.subheader(ctx.t("upload.warnings"))
        warn = pd.DataFrame(rep["warnings"])
        warn["reason"] = warn["reason"].map(_reason_text(ctx))
        if "examples" in warn:
            warn["examples"] = warn["examples"].map(lambda v: ", ".join(map(str, v or [])))
        widgets.table(ctx, warn)
    if rep.get("rejections"):
        st.subheader(ctx.t("upload.rejections", n=rep.get("rejected") or len(rep["rejections"])))
        grouped = ingest.group_rejections(rep["rejections"])
        grouped["reason"] = grouped["reason"].map(_reason_text(ctx))
        widgets.table(ctx, grouped, height=160)
        rej = pd.DataFrame(rep["rejections"])
        widgets.table(ctx, rej, height=240)
        widgets.downloads(ctx, rej, "rejections", key="rejections")
