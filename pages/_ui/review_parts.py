"""Pieces of the reviews page: headline figures, labelled tables of review text (always plain
text in st.dataframe, never Markdown or HTML) and the 模型 section with the operator's model
controls."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.errors import UserError
from analysis.i18n import fmt_number, fmt_share
from analysis.sentiment import stock
from analysis.sentiment.metrics import summary_shares
from pages._ui import auth, state, widgets
from pages._ui.shell import Ctx

FLASH = "reviews_flash"
NEWEST_COLUMNS = ["review_time", "rating", "content", "sentiment", "band", "followup_content",
                  "seller_reply", "item_title", "shop"]
MISMATCH_SHOWN = ["kind", "review_time", "rating", "sentiment", "content", "followup_sentiment",
                  "followup_content", "item_title", "shop"]
CHOICES = ("auto", "stock", "store", "snownlp")


def _score(v, digits: int = 2) -> str:
    return fmt_number(v, digits=digits)


def _when(ts) -> str:
    return "—" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")


def height(df: pd.DataFrame, rows: int = 12) -> int | None:
    """A fixed height only for long tables: short ones take the space their rows need."""
    return 35 * (rows + 1) + 3 if len(df) > rows else None


def headline(ctx: Ctx, now: dict, before: dict) -> None:
    """Counts, estimated band shares and mean score, each against last week."""
    shares, shares_before = summary_shares(now), summary_shares(before)
    cols = st.columns(5)
    for i, key in enumerate(("count", "scored", "no_text", "not_chinese")):
        with cols[i]:
            widgets.metric(ctx.t(f"reviews.metric.{key}"), now[key], previous=before[key])
    with cols[4]:
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


def model_words(ctx: Ctx, active: pd.DataFrame, shop: str | None) -> str:
    """Which model the shown figures use: one name when every shop shown uses the same
    kind, else each shop's."""
    rows = active if shop is None else active[active["shop"] == shop]
    kinds = list(dict.fromkeys(rows["kind"]))
    if not kinds:
        return ctx.t("reviews.model.none_yet")
    if len(kinds) == 1:
        return ctx.t(f"reviews.model.{kinds[0]}")
    sep = "；" if ctx.lang == "zh" else "; "
    return sep.join(f"{r['shop']} {ctx.t('reviews.model.' + r['kind'])}"
                    for r in rows.to_dict("records"))


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


def _reason(ctx: Ctx, row: dict) -> str:
    if row["reason"] is None:
        return "—"
    if row["reason"] == "too_few" and row["scope"] == "corpus":
        key = "no_ratings" if row["negative"] + row["positive"] == 0 else "too_few_corpus"
        return ctx.t(f"reviews.model.reason.{key}")
    if row["reason"] == "too_few" and row["scope"] is None:
        return ctx.t("reviews.model.reason.too_few_pooled")
    return ctx.t(f"reviews.model.reason.{row['reason']}")


def _scope_name(ctx: Ctx, scope) -> str:
    return ctx.t("reviews.model.all_shops") if scope is None else str(scope)


def models_table(ctx: Ctx, overview: dict) -> None:
    """One row per shop: the model its figures use, why, and its rated reviews."""
    st.subheader(ctx.t("reviews.model.title"))
    st.caption(ctx.t("reviews.model.how_bands", anchor=f"{stock.DEFAULT_THRESHOLD:.2f}",
                     min=overview["min_per_class"], min_cal=overview["min_calibration_per_class"]))
    rows = [{ctx.t("col.shop"): r["shop"],
             ctx.t("reviews.col.model"): ctx.t(f"reviews.model.{r['kind']}") if r["kind"] else "—",
             ctx.t("reviews.col.model_id"): r["model"] or "—",
             ctx.t("reviews.col.reason"): _reason(ctx, r),
             ctx.t("reviews.col.rated_negative"): fmt_number(r["negative"]),
             ctx.t("reviews.col.rated_positive"): fmt_number(r["positive"]),
             ctx.t("reviews.col.since"): _when(r["activated_at"])}
            for r in overview["shops"]]
    widgets.table(ctx, pd.DataFrame(rows), key="model_shops")
    for r in overview["shops"]:
        if r["negative"] + r["positive"] == 0:
            st.info(ctx.t("reviews.model.no_ratings", shop=r["shop"]))
        elif not r["has_store_model"]:
            st.info(ctx.t("reviews.model.too_few", shop=r["shop"], negative=fmt_number(r["negative"]),
                          positive=fmt_number(r["positive"]), minimum=overview["min_per_class"]))


def model_comparison(ctx: Ctx, overview: dict) -> None:
    """For each set of rated reviews a choice was made on: both models' figures on its
    held-out reviews, when each was trained, and the true 1–2★ share to compare with."""
    seen = []
    for r in overview["shops"]:
        m = r["figures"]
        if m is None or r["scope"] in seen:
            continue
        seen.append(r["scope"])
        st.markdown("**" + ctx.t("reviews.model.measured_on", scope=_scope_name(ctx, r["scope"]))
                    + "**")
        rows = []
        for name in ("stock", "store"):
            f = m.get(name)
            if f is None:
                continue
            trained = overview["stock_built_at"] if name == "stock" else m["trained_at"]
            rows.append({ctx.t("reviews.col.model"): ctx.t(f"reviews.model.{name}"),
                         ctx.t("reviews.col.auc"): _score(f["auc"], 3),
                         ctx.t("reviews.col.accuracy"): fmt_share(f["accuracy"]),
                         ctx.t("reviews.col.held_out_negative"): fmt_share(f["negative_share"]),
                         ctx.t("reviews.col.trained_at"): _when(trained)})
        widgets.table(ctx, pd.DataFrame(rows), key=f"model_compare_{len(seen)}")
        st.caption(ctx.t("reviews.model.measured", held_out=fmt_number(m["held_out"]),
                         train=fmt_number(m["train"]), negative=fmt_number(m["negative"]),
                         positive=fmt_number(m["positive"]),
                         true_share=fmt_share(m["held_out_negative_share"]),
                         at=_when(m["trained_at"])))
    if not seen:
        st.info(ctx.t("reviews.model.none"))


def flash() -> None:
    """The outcome of the last training or switch, kept across the rerun that follows it."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def train_button(ctx: Ctx) -> None:
    """Train the store's models now (operators); a refusal such as too few labels is shown
    as such."""
    from analysis.sentiment import train_store_model  # lazy: scikit-learn, on a click only

    if not st.button(ctx.t("reviews.model.train"), help=ctx.t("reviews.model.train_help"),
                     key="train_store_model"):
        return
    try:
        with st.spinner(ctx.t("reviews.model.training")):
            result = state.write_active(train_store_model, actor=auth.current_actor())
    except UserError as exc:
        st.error(exc.message(ctx.lang))
        return
    st.session_state[FLASH] = ctx.t("reviews.model.trained", n=fmt_number(result["train"]))
    st.rerun()


def model_switch(ctx: Ctx, choice: str) -> None:
    """Choose the model the pages use (operators): auto, or pin one; each shop's texts are
    scored with its model before its figures switch to it."""
    from analysis.sentiment import choose_model  # lazy: the models load on a click only

    current = choice if choice in CHOICES else "auto"
    picked = st.radio(ctx.t("reviews.model.pick"), CHOICES, horizontal=True,
                      index=CHOICES.index(current),
                      format_func=lambda m: ctx.t(f"reviews.model.choice.{m}"), key="model_pick")
    if not st.button(ctx.t("reviews.model.apply"), key="model_apply", disabled=picked == current):
        return
    name = ctx.t(f"reviews.model.choice.{picked}")
    bar = st.progress(0.0, text=ctx.t("reviews.model.scoring", model=name))
    try:
        done = state.write_active(choose_model, picked, by=auth.current_actor(),
                                  progress=lambda f, _m: bar.progress(
                                      min(max(float(f), 0.0), 1.0),
                                      text=ctx.t("reviews.model.scoring", model=name)))
    except UserError as exc:
        st.error(exc.message(ctx.lang))
        return
    st.session_state[FLASH] = ctx.t("reviews.model.switched", model=name,
                                    scored=fmt_number(done["scored"]))
    st.rerun()
