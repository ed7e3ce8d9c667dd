"""The weekly report's figures: a few charts and the KPI card for chat groups.

Each builder takes :func:`analysis.report.report_data` output; a chart with nothing to draw
is left out (never a chart of zeros).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import analysis.charts  # noqa: F401  (registers the shared template: fonts, colours)
from analysis.complaint_figures import path_funnel_figure, speed_by_week_figure
from analysis.customer_figures import ladder_bar
from analysis.i18n import fmt_week, t
from analysis.overview import KPIS, format_change, format_value
from analysis.sentiment.figures import bands_figure

CHART_SIZE = (800, 420)
TONE_COLOURS = {"good": "#2e7d32", "bad": "#c62828", "flat": "#5f6368", None: "#5f6368"}


def _has_values(df: pd.DataFrame, columns) -> bool:
    return not df.empty and bool(df[list(columns)].apply(pd.to_numeric, errors="coerce").notna().any().any())


def report_figures(data: dict, lang: str) -> dict:
    """The report's charts that have data: ladder bar, sentiment bands per week, bad-review
    paths per week, complaint speed per week.

    Returns
    -------
    dict
        name -> ``(Figure, width_px, height_px)``, in the order they appear.
    """
    figs = {}
    this = data["this"]
    if this["ladder_customers"]:
        figs["ladder"] = ladder_bar(this["tiers"], lang)
    bands = data["bands"]
    if not bands.empty and bands["scored"].sum() > 0:
        figs["bands"] = bands_figure(bands, lang)
    if not data["paths"].empty:
        figs["paths"] = path_funnel_figure(data["paths"], lang)
    if _has_values(data["speed"], ("first_response_median_h", "resolution_median_h")):
        figs["speed"] = speed_by_week_figure(data["speed"], lang)
    for fig in figs.values():
        # The template puts the legend just above the plot: give it room below the title.
        fig.update_layout(margin={"t": 100}, title={"y": 0.97, "yanchor": "top"})
    return {name: (fig, *CHART_SIZE) for name, fig in figs.items()}


def kpi_card_figure(data: dict, lang: str) -> tuple[go.Figure, int, int]:
    """A compact table of this week against last for every KPI, for a chat group.

    Returns
    -------
    tuple
        ``(Figure, width_px, height_px)``.
    """

    this, last = data["this"], data["last"]
    labels, now, before, change, colours = [], [], [], [], []
    for key, _, _ in KPIS:
        text, tone = format_change(key, this[key], last[key], lang)
        labels.append(t(f"overview.kpi.{key}", lang))
        now.append(format_value(key, this[key], lang))
        before.append(format_value(key, last[key], lang))
        change.append(text)
        colours.append(TONE_COLOURS[tone])
    shop = data["shop"] or t("report.all_shops", lang)
    title = f"{t('report.title', lang, week=fmt_week(data['week'], lang))} · {shop}"
    row_h, width = 30, 640
    fig = go.Figure(go.Table(
        columnwidth=[2.4, 1.2, 1.2, 1.2],
        header={"values": [t(f"report.col.{c}", lang) for c in ("figure", "this_week", "last_week", "change")],
                "fill_color": "#eef2f8", "align": ["left", "right", "right", "right"],
                "font": {"size": 14, "color": "#1f2329"}, "height": row_h},
        cells={"values": [labels, now, before, change],
               "align": ["left", "right", "right", "right"], "height": row_h,
               "font": {"size": 14, "color": [["#1f2329"] * len(labels), ["#1f2329"] * len(labels),
                                              ["#5f6368"] * len(labels), colours]},
               "fill_color": "white", "line_color": "#e5e6eb"},
    ))
    height = 70 + row_h * (len(KPIS) + 1) + 16
    fig.update_layout(title={"text": title, "font": {"size": 17}},
                      margin={"l": 12, "r": 12, "t": 56, "b": 8}, width=width, height=height)
    return fig, width, height
