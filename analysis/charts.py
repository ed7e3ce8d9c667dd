"""One Plotly look for every chart: a CJK font chain, fixed colours per rung, sentiment band
and bad-review path, and margins that read on a laptop and a phone.

Importing this module registers the template ``insights`` and makes it the default, so every
figure builder gets it without passing it around.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Browsers pick the first installed font: Chinese system fonts first (Windows, macOS, Linux
# with fonts-noto-cjk), then generic sans-serif.
FONT_FAMILY = ("'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', "
               "'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif")

# Rungs: cold at the bottom, warm on top; 0 is "new to the ladder" in the movement matrix.
RUNG_COLOURS = {0: "#bdbdbd", 1: "#9e9e9e", 2: "#90caf9", 3: "#42a5f5", 4: "#1e88e5",
                5: "#ffa726", 6: "#e65100"}
BAND_COLOURS = {"negative": "#e8684a", "neutral": "#c9cdd4", "positive": "#5ad8a6"}
PATH_COLOURS = {"contacted_solved": "#5ad8a6", "contacted_unsolved": "#f6bd16", "no_contact": "#e8684a"}
ACCENT = "#5b8ff9"

_OWN = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 13, "color": "#1f2329"},
        colorway=[ACCENT, "#5ad8a6", "#f6bd16", "#e8684a", "#6dc8ec", "#9270ca", "#ff9d4d", "#269a99"],
        # Title at the very top, the legend in a row of its own between it and the plot.
        margin={"l": 48, "r": 16, "t": 76, "b": 40},
        title={"x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "pad": {"t": 10}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        xaxis={"automargin": True}, yaxis={"automargin": True},
    )
)
# Merged once here: a "plotly_white+insights" default would be merged again for every figure
# (~50 ms each, most of a page's drawing time).
pio.templates["insights"] = pio.templates.merge_templates(pio.templates["plotly_white"], _OWN)
pio.templates.default = "insights"

