"""Pieces of the reviews page: headline figures, labelled tables of review text (always plain
text in st.dataframe, never Markdown or HTML) and the operator's model controls."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.errors import UserError
from analysis.i18n import fmt_number, fmt_share
from analysis.sentiment.metrics import summary_shares
from pages._ui import auth, state, widgets
from pages._ui.shell import Ctx

FLASH = "reviews_flash"
NEWEST_COLUMNS = ["review_time", "rating", "content", "sentiment", "band", "followup_content",
                  "seller_reply", "item_title", "shop"]
MISMATCH_SHOWN = ["kind", "review_time", "rating", "sentiment", "content", "followup_sentiment",
                  "followup_content", "item_title", "shop"]


def _score(v, digits: int = 2) -> str:
    return fmt_number(v, digits=digits)


def height(df: pd.DataFrame, rows: int = 12) -> int | None:
    """A fixed height only for long tables: short ones take the space their rows need."""
    return 35 * (rows + 1) + 3 if len(df) > rows else None


def headline(ctx: Ctx, now: dict, before: dict) -> None:
    """Counts, estimated band shares and mean score, each against last week."""
    shares, shares_before = summary_shares(now), summary_shares(before)
    cols = st.columns(4)
    for i, key in enumerate(("count", "scored", "no_text")):
        with cols[i]:
            widgets.metric(ctx.t(f"reviews.metric.{key}"), now[key], previous=before[key])
    with cols[3]:
        diff = (None if now["mean_score"] is None or before["mean_score"] is None
                else f"{now['mean_score'] - before['mean_score']:+.2f}")
        st.metric(ctx.t("reviews.metric.mean_score"), _score(now["mean_score"]), delta=diff)
    cols = st.columns(4)
    for col, band in zip(cols, ("negative", "neutral", "positive")):
        with col:
            widgets.metric(ctx.t(f"reviews.metric.{band}_share"), shares[f"{band}_share"],
                           previous=shares_before[f"{band}_share"], share=True,
                           inverse=band == "negative")
    st.caption(ctx.t("reviews.estimate_note"))


def aspect_examples(ctx: Ctx, aspects: pd.DataFrame) -> None:
    """One row per example review of each mentioned aspect."""
    rows = [{ctx.t("reviews.col.aspect"): ctx.t(f"reviews.aspect.{a}"),
             ctx.t("reviews.col.example"): text}
            for a, examples in zip(aspects["aspect"], aspects["examples"]) for text in examples]
    st.caption(ctx.t("reviews.aspects.examples"))
    widgets.table(ctx, pd.DataFrame(rows), key="aspect_examples")


def keywords_view(ctx: Ctx, kw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({ctx.t("reviews.col.keyword"): kw["keyword"],
                         ctx.t("reviews.col.weight"): kw["weight"].map(_score),
                         ctx.t("reviews.col.keyword_reviews"): kw["reviews"].map(fmt_number)})


def items_view(ctx: Ctx, items: pd.DataFrame) -> pd.DataFrame:
    sep = "、" if ctx.lang == "zh" else ", "
    return pd.DataFrame({
        ctx.t("col.item_id"): items["item"], ctx.t("col.item_title"): items["item_title"],
        ctx.t("reviews.col.reviews"): items["reviews"].map(fmt_number),
        ctx.t("reviews.col.negative"): items["negative"].map(fmt_number),
        ctx.t("reviews.col.negative_share"): items["negative_share"].map(fmt_share),
        ctx.t("reviews.col.top_aspects"): items["top_aspects"].map(
            lambda a: sep.join(ctx.t(f"reviews.aspect.{x}") for x in a)),
    })


def reviews_view(ctx: Ctx, df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Reviews with bands and kinds in words and scores to three digits (so 0.398 does not
    read as the 0.40 threshold); texts untouched, absent texts empty."""
    view = df[columns].copy()
    for col in ("sentiment", "followup_sentiment"):
        if col in view:
            view[col] = view[col].map(lambda v: _score(v, 3))
    for col in ("content", "followup_content", "seller_reply"):
        if col in view:
            view[col] = view[col].map(lambda v: "" if v is None else v)
    if "band" in view:
        view["band"] = view["band"].map(lambda b: ctx.t(f"reviews.band.{b}") if b else "—")
    if "kind" in view:
        view["kind"] = view["kind"].map(lambda k: ctx.t(f"reviews.mismatch.{k}"))
    return view


def model_comparison(ctx: Ctx, m: dict | None) -> None:
    """The figures measured at training, stock and store side by side on one held-out set."""
    st.subheader(ctx.t("reviews.model.title"))
    if m is None:
        st.info(ctx.t("reviews.model.none"))
        return
    rows = [{ctx.t("reviews.col.model"): ctx.t(f"reviews.model.{name}"),
             ctx.t("reviews.col.accuracy"): fmt_share(m[name]["accuracy"]),
             ctx.t("reviews.col.auc"): _score(m[name]["auc"]),
             ctx.t("reviews.col.held_out_negative"): fmt_share(m[name]["negative_share"])}
            for name in ("stock", "store")]
    widgets.table(ctx, pd.DataFrame(rows), key="model_compare")
    st.caption(ctx.t("reviews.model.measured", held_out=fmt_number(m["held_out"]),
                     train=fmt_number(m["train"]), negative=fmt_number(m["negative"]),
                     positive=fmt_number(m["positive"]),
                     true_share=fmt_share(m["held_out_negative_share"]),
                     at=pd.Timestamp(m["trained_at"]).strftime("%Y-%m-%d %H:%M")))


def flash() -> None:
    """The outcome of the last training or switch, kept across the rerun that follows it."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def train_button(ctx: Ctx) -> None:
    """Train the store model (operators); a refusal such as too few labels is shown as such."""
    from analysis.sentiment import train_store_model

    if not st.button(ctx.t("reviews.model.train"), help=ctx.t("reviews.model.train_help"),
                     key="train_store_model"):
        return
    try:
        with st.spinner(ctx.t("reviews.model.training")):
            result = state.write_active(train_store_model)
    except UserError as exc:
        st.error(exc.message(ctx.lang))
        return
    st.session_state[FLASH] = ctx.t("reviews.model.trained", n=fmt_number(result["train"]))
    st.rerun()


def model_switch(ctx: Ctx, active: str, trained: bool) -> None:
    """Choose the model the pages use (operators); scores the reviews with it first."""
    from analysis.sentiment import score_reviews
    from analysis.settings import put_many

    choice = st.radio(ctx.t("reviews.model.pick"), ("stock", "store"), horizontal=True,
                      index=("stock", "store").index(active) if active in ("stock", "store") else 0,
                      format_func=lambda m: ctx.t(f"reviews.model.{m}"), key="model_pick")
    if not st.button(ctx.t("reviews.model.apply"), key="model_apply", disabled=choice == active):
        return
    if choice == "store" and not trained:
        st.error(ctx.t("reviews.model.train_first"))
        return
    name = ctx.t(f"reviews.model.{choice}")
    bar = st.progress(0.0, text=ctx.t("reviews.model.scoring", model=name))
    try:
        # Scores first, setting second: the pages never use a model whose scores are missing.
        done = state.write_active(score_reviews, model=choice, progress=lambda f, _m: bar.progress(
            min(max(float(f), 0.0), 1.0), text=ctx.t("reviews.model.scoring", model=name)))
        state.write_active(put_many, {"sentiment.model": choice}, by=auth.current_actor())
    except UserError as exc:
        st.error(exc.message(ctx.lang))
        return
    st.session_state[FLASH] = ctx.t("reviews.model.switched", model=name,
                                    scored=fmt_number(done["scored"]))
    st.rerun()
