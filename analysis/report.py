"""The weekly report: ``python -m analysis report --week W --out FILE.html [--lang zh|en]``.

One self-contained HTML file a scheduler can mail (charts as embedded PNGs, no script, no
network), plus a PNG card of the week's figures next to it for chat groups (企业微信 / 钉钉).
The figures are the overview's (:mod:`analysis.overview`), so the report, the dashboard and
``summary --week`` never disagree. The database is only read, and closed before the slow
part (drawing the charts), so a running dashboard or import is not held up.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from analysis import catalog, periods
from analysis import settings as settings_mod
from analysis.bad_reviews import no_contact_items, paths_by_week
from analysis.complaints import speed_by
from analysis.db import connection, db_path
from analysis.errors import UserError
from analysis.i18n import t
from analysis.overview import KPIS, overview
from analysis.report_figures import kpi_card_figure, report_figures
from analysis.report_html import render_html
from analysis.report_png import BrowserMissing, RenderError, render_pngs
from analysis.rungs import RUNG_NAMES
from analysis.sentiment import weekly_bands

SPARK_WEEKS = 12
# Figures that are state at the end of the week (they hold in a week without activity once
# the data has begun); every other figure is flow over the week.
STATE_KEYS = ("ladder_customers", "upper_rungs")

def _blank(figures: dict | None, keep_state: bool) -> dict | None:
    """``figures`` of a week with no rows at all: flow figures None (the overview counts
    them as 0), state figures kept only when the data had begun before that week."""
    if figures is None:
        return None
    out = dict(figures)
    for key, _, _ in KPIS:
        if not (keep_state and key in STATE_KEYS):
            out[key] = None
    if not keep_state:
        out["tiers"] = dict.fromkeys(RUNG_NAMES)
        for key in ("moved_up", "moved_down", "new_on_ladder"):
            out[key] = None
    return out


def report_data(con, week: str, *, shop: str | None = None) -> dict:
    """Everything the report shows for ``week``, read from ``con`` (nothing is written).

    Returns
    -------
    dict
        The :func:`analysis.overview.overview` keys (``this``, ``last``, ``year_ago`` with
        figures of weeks without any row set to None) plus ``week``, ``last_week``, ``shop``,
        ``has_data``, ``data_through``, ``no_contact_items``, ``bands``, ``paths``, ``speed``.
    """
    p = periods.parse_week(week)
    week = p.week
    conf = settings_mod.get_all(con)
    data = overview(con, week, shop=shop)
    active = set(catalog.weeks_with_data(con, shop=shop))
    first = min(active) if active else None
    for key, label in (("this", week), ("last", periods.shift_week(week, -1)),
                       ("year_ago", data["year_ago_week"])):
        if label not in active:
            data[key] = _blank(data[key], keep_state=first is not None and first < label)
    spark_start = periods.parse_week(periods.shift_week(week, 1 - SPARK_WEEKS)).start
    data.update({
        "week": week,
        "last_week": periods.shift_week(week, -1),
        "shop": shop,
        "has_data": week in active,
        "data_through": catalog.latest_time(con, shop=shop),
        "no_contact_items": no_contact_items(con, p.start, p.end, shop=shop, settings=conf),
        "bands": weekly_bands(con, shop=shop, weeks=SPARK_WEEKS, end=p.end),
        "paths": paths_by_week(con, spark_start, p.end, shop=shop, settings=conf),
        "speed": speed_by(con, spark_start, p.end, p.as_of, "week", shop=shop, settings=conf),
    })
    return data


def write_report(data: dict, out, *, lang: str = "zh") -> dict:
    """Write the HTML report and the PNG card (same stem, ``.png``) for ``data``.

    Charts need Chromium; without it (or when drawing fails) the HTML is still written,
    without charts and with a one-line note, and no PNG card is left behind.

    Returns
    -------
    dict
        ``html, png`` (None when not drawn), ``charts`` (images embedded), ``warning``
        (one line or None), ``seconds``.
    """
    started = time.perf_counter()
    out = Path(out)
    png_path = out.with_suffix(".png")
    charts = report_figures(data, lang)
    card = kpi_card_figure(data, lang)
    warning = None
    try:
        images = render_pngs({**charts, "card": card})
    except RenderError as exc:
        images = {}
        warning = (t("report.charts_omitted", lang) if isinstance(exc, BrowserMissing)
                   else t("report.charts_failed", lang, reason=str(exc)))
    chart_pngs = [(name, images[name]) for name in charts if name in images]
    _write_atomic(out, render_html(data, chart_pngs, lang, note=warning).encode("utf-8"))
    if "card" in images:
        _write_atomic(png_path, images["card"])
    else:  # last week's card would pass for this week's
        png_path.unlink(missing_ok=True)
    return {"html": out, "png": png_path if "card" in images else None,
            "charts": len(chart_pngs), "warning": warning,
            "seconds": time.perf_counter() - started}


def _write_atomic(path: Path, payload: bytes) -> None:
    # A scheduler mailing the file must never pick up a half-written one.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def cli_report(args) -> int:
    """``python -m analysis report --week W --out FILE.html [--lang zh|en] [--shop S] [--db PATH]``."""
    try:
        periods.parse_week(args.week)
    except ValueError:
        raise UserError("report.bad_week", week=args.week) from None
    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise UserError("report.bad_out", path=str(out))
    path = db_path(args.db)
    if not path.is_file():
        raise UserError("report.no_db", path=str(path))
    started = time.perf_counter()
    with connection(path, read_only=True) as con:
        data = report_data(con, args.week, shop=args.shop)
    result = write_report(data, out, lang=args.lang)
    seconds = time.perf_counter() - started
    if result["warning"]:
        print(t("report.warning", args.lang, reason=result["warning"]), file=sys.stderr)
    if result["png"]:
        print(t("report.written_png", args.lang, html=out, png=result["png"], seconds=seconds))
    else:
        print(t("report.written", args.lang, html=out, seconds=seconds))
    return 0

