"""The weekly report as one self-contained HTML page for mail clients: no script, no
external file, charts as PNG data URIs, inline-friendly CSS with a CJK font chain.

Every text from the data (shop names, item titles) and from the catalogue goes through
:func:`html.escape`: an item called ``<script>…`` must stay text.
"""

from __future__ import annotations

import base64
from html import escape

from analysis.charts import FONT_FAMILY
from analysis.i18n import fmt_date, fmt_number, fmt_week, t
from analysis.overview import KPIS, format_change, format_value, what_changed
from analysis.report_figures import TONE_COLOURS
from analysis.rungs import RUNG_NAMES

CSS = f"""
body {{ margin: 0; background: #f5f6f8; color: #1f2329; font-family: {FONT_FAMILY};
       font-size: 14px; line-height: 1.5; }}
.wrap {{ max-width: 840px; margin: 0 auto; padding: 16px; background: #ffffff; }}
h1 {{ font-size: 22px; margin: 8px 0 4px; }}
h2 {{ font-size: 17px; margin: 24px 0 8px; border-bottom: 1px solid #e5e6eb; padding-bottom: 4px; }}
.sub, .note {{ color: #5f6368; font-size: 13px; margin: 4px 0; }}
.alert {{ background: #fff4e5; border-left: 4px solid #f6bd16; padding: 8px 12px; margin: 12px 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ padding: 6px 8px; border-bottom: 1px solid #e5e6eb; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
th {{ background: #eef2f8; font-weight: 600; }}
img {{ max-width: 100%; height: auto; display: block; margin: 8px 0 16px; }}
"""


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A table from already escaped cell HTML."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _change_cell(text: str, tone: str | None) -> str:
    return f'<span style="color:{TONE_COLOURS[tone]}">{_e(text)}</span>'


def _kpi_section(data: dict, lang: str) -> str:

    this, last, year_ago = data["this"], data["last"], data["year_ago"]
    cols = ["figure", "this_week", "last_week", "change"] + (["year_ago"] if year_ago else [])
    rows = []
    for key, _, _ in KPIS:
        row = [_e(t(f"overview.kpi.{key}", lang)),
               f'<b class="kpi" data-key="{key}">{_e(format_value(key, this[key], lang))}</b>',
               f'<span class="last" data-key="{key}">{_e(format_value(key, last[key], lang))}</span>',
               _change_cell(*format_change(key, this[key], last[key], lang))]
        if year_ago:
            row.append(f'<span class="year-ago" data-key="{key}">'
                       f'{_e(format_value(key, year_ago[key], lang))}</span>')
        rows.append(row)
    notes = [t("overview.estimate_note", lang)]
    if year_ago:
        notes.append(t("report.col.year_ago", lang) + ": " + fmt_week(data["year_ago_week"], lang))
    else:
        notes.append(t("report.year_ago_missing", lang, week=fmt_week(data["year_ago_week"], lang)))
    return (f"<h2>{_e(t('report.section.kpis', lang))}</h2>"
            + _table([_e(t(f"report.col.{c}", lang)) for c in cols], rows)
            + "".join(f'<p class="note">{_e(n)}</p>' for n in notes))


def _ladder_section(data: dict, lang: str) -> str:
    this, last = data["this"], data["last"]
    rows = []
    for rung, key in enumerate(RUNG_NAMES, 1):
        now, before = this["tiers"][key], last["tiers"][key]
        diff = "—" if now is None or before is None else f"{now - before:+,}"
        rows.append([_e(t(f"customers.rung.{rung}", lang)), _e(fmt_number(now, lang)),
                     _e(fmt_number(before, lang)), _e(diff)])
    html = (f"<h2>{_e(t('report.section.ladder', lang))}</h2>"
            + _table([_e(t(f"report.col.{c}", lang)) for c in ("rung", "this_week", "last_week", "change")], rows))
    if this["moved_up"] is not None:
        html += f'<p class="note">{_e(t("report.moved", lang, up=fmt_number(this["moved_up"], lang), down=fmt_number(this["moved_down"], lang), new=fmt_number(this["new_on_ladder"], lang)))}</p>'
    return html


def _items_section(data: dict, lang: str) -> str:
    items = data["no_contact_items"]
    html = f"<h2>{_e(t('report.section.no_contact_items', lang))}</h2>"
    if items.empty:
        return html + f'<p class="note">{_e(t("report.no_contact_items.none", lang))}</p>'
    rows = [[_e(r.item_title if r.item_title is not None else "—"), _e(r.shop), _e(fmt_number(r.reviews, lang))]
            for r in items.itertuples(index=False)]
    return html + _table([_e(t(f"report.col.{c}", lang)) for c in ("item", "shop", "reviews")], rows)


def _charts_section(images: list[tuple[str, bytes]], lang: str, note: str | None) -> str:
    html = f"<h2>{_e(t('report.section.charts', lang))}</h2>"
    if note:
        return html + f'<p class="alert">{_e(note)}</p>'
    if not images:
        return html + f'<p class="note">{_e(t("report.no_charts", lang))}</p>'
    for name, png in images:
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        html += f'<img alt="{_e(name)}" width="800" src="{src}">'
    return html


def render_html(data: dict, images: list[tuple[str, bytes]], lang: str, *, note: str | None = None) -> str:
    """The report page.

    Parameters
    ----------
    data : dict
        :func:`analysis.report.report_data` output.
    images : list of (name, PNG bytes)
        The charts in order (empty when not drawn).
    note : str, optional
        One line shown instead of the charts (e.g. no browser to draw them).
    """
    week = fmt_week(data["week"], lang)
    title = t("report.title", lang, week=week)
    shop = data["shop"] or t("report.all_shops", lang)
    sub = [t("report.shop", lang, shop=shop),
           t("overview.versus", lang, last=fmt_week(data["last_week"], lang))]
    if data["data_through"] is not None:
        sub.append(t("report.data_through", lang, date=fmt_date(data["data_through"], lang)))
    parts = [f"<h1>{_e(title)}</h1>", f'<p class="sub">{_e(" · ".join(sub))}</p>']
    if not data["has_data"]:
        parts.append(f'<p class="alert">{_e(t("report.no_data", lang, week=week))}</p>')
    lines = what_changed(data["this"], data["last"], lang)
    parts.append(f"<h2>{_e(t('overview.what_changed', lang))}</h2>")
    parts.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>" if lines
                 else f'<p class="note">{_e(t("overview.nothing_changed", lang))}</p>')
    parts += [_kpi_section(data, lang), _ladder_section(data, lang), _items_section(data, lang),
              _charts_section(images, lang, note)]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head>"
            f'<body><div class="wrap">{"".join(parts)}</div></body></html>\n')
