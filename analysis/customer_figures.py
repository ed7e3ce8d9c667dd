"""Plotly figures of the customer ladder and value segments: DataFrames in, figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import RUNG_COLOURS
from analysis.i18n import t
from analysis.rungs import RUNG_KEYS, RUNGS



def rung_name(rung: int, lang: str = "zh") -> str:
    """The rung's name (0 = new to the ladder)."""
    return t(f"customers.rung.{int(rung)}", lang)


def ladder_bar(counts: dict, lang: str = "zh") -> go.Figure:
    """Horizontal bars of customers per rung, advocates on top.

    Parameters
    ----------
    counts : dict
        ``ladder.tier_counts`` output (keys unrelated … advocate).
    """
    fig = go.Figure(go.Bar(
        y=[rung_name(r, lang) for r in RUNGS],
        x=[counts.get(RUNG_KEYS[r]) for r in RUNGS],
        orientation="h",
        marker_color=[RUNG_COLOURS[r] for r in RUNGS],
        text=[counts.get(RUNG_KEYS[r]) for r in RUNGS],
        textposition="auto",
    ))
    fig.update_layout(title=t("customers.title.ladder", lang),
                      xaxis_title=t("customers.axis.customers", lang),
                      yaxis_title=t("customers.axis.rung", lang), showlegend=False)
    return fig


def movement_heatmap(moves: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Last week's rung (rows, with "new") × this week's rung (columns), customers in cells.

    Parameters
    ----------
    moves : DataFrame
        ``ladder.movement`` output (from_rung, to_rung, customers).
    """
    from_rungs = [0, *RUNGS]
    grid = (moves.pivot_table(index="from_rung", columns="to_rung", values="customers",
                              aggfunc="sum")
            .reindex(index=from_rungs, columns=list(RUNGS)).fillna(0).astype(int))
    fig = go.Figure(go.Heatmap(
        z=grid.values,
        x=[rung_name(r, lang) for r in RUNGS],
        y=[rung_name(r, lang) for r in from_rungs],
        text=grid.values, texttemplate="%{text}", colorscale="Blues", showscale=False,
        hovertemplate="%{y} → %{x}: %{z}<extra></extra>",
    ))
    fig.update_layout(title=t("customers.title.movement", lang),
                      xaxis_title=t("customers.axis.to", lang),
                      yaxis_title=t("customers.axis.from", lang))
    fig.update_yaxes(autorange="reversed")
    return fig


def ladder_trend_lines(trend: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """One line per rung over the weeks of ``ladder.ladder_trend`` (week, rung, customers)."""
    fig = go.Figure()
    for rung in RUNGS:
        part = trend[trend["rung"] == rung]
        fig.add_trace(go.Scatter(x=part["week"], y=part["customers"], mode="lines+markers",
                                 name=rung_name(rung, lang),
                                 line={"color": RUNG_COLOURS[rung]}))
    weeks = trend["week"].nunique()
    fig.update_layout(title=t("customers.title.trend", lang, weeks=weeks),
                      xaxis_title=t("customers.axis.week", lang),
                      yaxis_title=t("customers.axis.customers", lang))
    return fig


def rfm_grid(cells: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Customers by R (x) × F (y) score, mean spend on hover (``rfm.grid_cells`` output)."""
    scale = [1, 2, 3, 4, 5]
    counts = cells.pivot(index="f", columns="r", values="customers").reindex(index=scale, columns=scale)
    spend = cells.pivot(index="f", columns="r", values="mean_monetary").reindex(index=scale, columns=scale)
    fig = go.Figure(go.Heatmap(
        z=counts.values, x=scale, y=scale, text=counts.values, texttemplate="%{text}",
        customdata=spend.round(2).values, colorscale="Oranges", showscale=False,
        hovertemplate=(f"R %{{x}} · F %{{y}}: %{{z}}<br>{t('rfm.hover.monetary', lang)} "
                       "%{customdata}<extra></extra>"),
    ))
    fig.update_layout(title=t("rfm.title.grid", lang), xaxis_title=t("rfm.axis.r", lang),
                      yaxis_title=t("rfm.axis.f", lang))
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(dtick=1)
    return fig
