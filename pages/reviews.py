"""评价情感 / Reviews: estimated sentiment bands, what negative reviews mention, the newest
reviews as plain text, the mismatch queue, and each shop's model (stock or store) with the
figures it was chosen on."""

import streamlit as st

from analysis import sentiment
from analysis import settings
from analysis.i18n import fmt_week
from analysis.periods import parse_week
from analysis.sentiment import registry
from analysis.sentiment import stock
from analysis.sentiment.figures import aspect_trend_figure, aspects_figure, bands_figure
from pages._ui import review_parts as parts
from pages._ui import shell, state, widgets

TREND_WEEKS, ASPECT_WEEKS, NEWEST_LIMIT = 26, 12, 100
SECTIONS = ("trend", "aspects", "newest", "mismatch", "model")

ctx = shell.page("viewer")
st.title(ctx.t("nav.reviews"))
# A store with orders but no review export yet has weeks, and nothing for this page.
if not ctx.week or not state.query(sentiment.reviews_summary, None, None,
                                   shop=ctx.shop)["count"]:
    shell.empty_state(ctx, "what.reviews")
    st.stop()

conf = state.query(settings.get_all)
neg = f"{float(conf['sentiment.negative_below']):.2f}"
pos = f"{float(conf['sentiment.positive_above']):.2f}"
choice = str(conf["sentiment.model"])
active = state.query(registry.active_table)
p, prev, shop = ctx.period, parse_week(ctx.prev_week), ctx.shop
week = fmt_week(ctx.week, ctx.lang)

now = state.query(sentiment.reviews_summary, p.start, p.end, shop=shop)
before = state.query(sentiment.reviews_summary, prev.start, prev.end, shop=shop)
st.caption(ctx.t("reviews.week_caption", week=week, last=fmt_week(ctx.prev_week, ctx.lang)))
parts.headline(ctx, now, before)
st.caption(ctx.t("reviews.bands_caption", neg=neg, pos=pos,
                 model=parts.model_words(ctx, active, shop)))
st.caption(ctx.t("reviews.calibration_note", anchor=f"{stock.DEFAULT_THRESHOLD:.2f}"))
if not stock.is_cached():
    st.info(ctx.t("reviews.model.preparing"))
shell.link(ctx, "settings")

section = shell.section_switch(ctx, "view", SECTIONS, "reviews.section")

if section == "trend":
    st.subheader(ctx.t("reviews.trend.heading", n=TREND_WEEKS))
    weekly = state.query(sentiment.weekly_bands, shop=shop, weeks=TREND_WEEKS, end=p.end)
    changes = state.query(sentiment.model_changes, tuple(weekly["week"]), shop=shop)
    widgets.chart(bands_figure(weekly, ctx.lang, changes), key="bands")
    if not changes.empty:
        st.caption(ctx.t("reviews.trend.model_changed",
                         weeks=("、" if ctx.lang == "zh" else ", ").join(dict.fromkeys(changes["week"]))))
    trend = state.query(sentiment.aspect_trend, shop=shop, weeks=ASPECT_WEEKS, end=p.end)
    mentioned = trend.groupby("aspect", sort=False)["reviews"].transform("sum") > 0
    if mentioned.any():
        widgets.chart(aspect_trend_figure(trend[mentioned], ctx.lang), key="aspect_trend")
    else:
        st.info(ctx.t("reviews.trend.no_aspects", n=ASPECT_WEEKS))

elif section == "aspects":
    st.subheader(ctx.t("reviews.aspects.heading", week=week))
    st.caption(ctx.t("reviews.aspects.rule", neg=neg))
    aspects = state.query(sentiment.aspect_counts, p.start, p.end, shop=shop)
    if aspects["share"].isna().all():
        st.info(ctx.t("reviews.aspects.none"))
    else:
        aspects = aspects[aspects["reviews"] > 0]
        if not aspects.empty:
            widgets.chart(aspects_figure(aspects, ctx.lang), key="aspects")
            parts.aspect_examples(ctx, aspects)
        st.subheader(ctx.t("reviews.keywords.title"))
        kw = state.query(sentiment.negative_keywords, p.start, p.end, shop=shop)
        if kw.empty:
            st.info(ctx.t("reviews.keywords.none"))
        else:
            kw_view = parts.keywords_view(ctx, kw)
            widgets.table(ctx, kw_view, key="keywords")
            widgets.downloads(ctx, kw_view, f"negative_keywords_{ctx.week}", key="keywords")
    st.subheader(ctx.t("reviews.items.title"))
    items = state.query(sentiment.per_item, p.start, p.end, shop=shop)
    if items.empty:
        st.info(ctx.t("reviews.newest.none"))
    else:
        items_view = parts.items_view(ctx, items)
        widgets.table(ctx, items_view, height=parts.height(items_view), key="items")
        widgets.downloads(ctx, items_view, f"reviews_per_item_{ctx.week}", key="items")

elif section == "newest":
    st.subheader(ctx.t("reviews.newest.title", week=week, n=NEWEST_LIMIT))
    newest = state.query(sentiment.newest_reviews, shop=shop, limit=NEWEST_LIMIT,
                         start=p.start, end=p.end)
    if newest.empty:
        st.info(ctx.t("reviews.newest.none"))
    else:
        widgets.table(ctx, parts.reviews_view(ctx, newest, parts.NEWEST_COLUMNS),
                      height=parts.height(newest, 15), key="newest")
        everything = state.query(sentiment.newest_reviews, shop=shop, limit=None,
                                 start=p.start, end=p.end)
        st.caption(ctx.t("reviews.newest.download", n=f"{len(everything):,}"))
        widgets.downloads(ctx, everything, f"reviews_{ctx.week}", key="week_reviews")

elif section == "mismatch":
    st.subheader(ctx.t("reviews.mismatch.title"))
    st.caption(ctx.t("reviews.mismatch.note", neg=neg, pos=pos))
    queue = state.query(sentiment.mismatch_queue, p.start, p.end, shop=shop)
    if queue.empty:
        st.info(ctx.t("reviews.mismatch.none"))
    else:
        widgets.table(ctx, parts.reviews_view(ctx, queue, parts.MISMATCH_SHOWN),
                      height=parts.height(queue), key="mismatch")
        widgets.downloads(ctx, queue, f"review_mismatches_{ctx.week}", key="mismatch")

else:
    parts.flash()
    overview = state.query(sentiment.model_overview)
    parts.models_table(ctx, overview)
    parts.model_comparison(ctx, overview)
    if ctx.can("operator"):
        parts.train_button(ctx)
        parts.model_switch(ctx, choice)
    else:
        st.caption(ctx.t("reviews.model.operators_only"))
