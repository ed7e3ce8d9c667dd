"""One catalogue of every text the app, the CLI and the weekly report show, in zh and en.

Each area keeps its texts in its own module here (``TEXTS = {key: {"zh": …, "en": …}}``);
this package merges them and refuses a key defined twice. Chinese is the default language.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import pkgutil

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        texts = importlib.import_module(f"{__name__}.{info.name}").TEXTS
        for key, value in texts.items():
            if key in merged:
                raise ValueError(f"i18n key defined twice: {key}")
            merged[key] = value
    return merged


CATALOGUE = _load()


def lang_or_default(lang: str | None) -> str:
    """``lang`` when it is a supported language, else Chinese."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` fields filled from ``params``.

    A missing key raises ``KeyError`` so that a test catches it, never the user.
    """
    entry = CATALOGUE[key]
    text = entry.get(lang_or_default(lang)) or entry["zh"]
    return text.format(**params) if params else text


def fmt_number(value, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """A number with thousands separators; "—" for no data (never 0 by default)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def fmt_share(value, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """A 0–1 share as a percentage; "—" for no data."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"


def fmt_hours(value, lang: str = DEFAULT_LANG) -> str:
    """A duration in hours: "3.5 小时" / "3.5 h"; "—" for no data."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.1f} 小时" if lang_or_default(lang) == "zh" else f"{value:,.1f} h"


def fmt_date(value, lang: str = DEFAULT_LANG) -> str:
    """A date: 2026年11月23日 / 2026-11-23; "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.date()
    if lang_or_default(lang) == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def fmt_week(label: str | None, lang: str = DEFAULT_LANG) -> str:
    """An ISO week label for display: 2026-W47 stays as it is in both languages, plus
    a Chinese reading (2026年第47周) in zh."""
    if not label:
        return "—"
    if lang_or_default(lang) == "zh":
        year, week = label.split("-W")
        return f"{year}年第{int(week)}周"
    return label
