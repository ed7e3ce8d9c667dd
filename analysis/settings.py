"""Thresholds and choices the pages show and operators change, stored in the ``settings`` table.

Values are JSON. A key that was never set reads as its default here, so a fresh or an older
database behaves the same as one where nobody touched the settings.
"""

from __future__ import annotations

import json

DEFAULTS: dict[str, object] = {
    "timezone": "Asia/Shanghai",
    # Sentiment (docs/design.md "Metrics").
    # auto: each shop's store model where it beats the stock model, else the stock model;
    # stock, store or snownlp pin that model (analysis.sentiment.registry).
    "sentiment.model": "auto",
    "sentiment.negative_below": 0.4,
    "sentiment.positive_above": 0.6,
    # Ladder (docs/design.md "Metrics").
    "ladder.supporter_min_purchases": 4,
    "ladder.supporter_window_days": 365,
    "ladder.negative_window_days": 180,
    "ladder.advocate_min_positive_reviews": 2,
    "ladder.advocate_min_distinct_items": 3,
    # High-end customers: a unit price percentile, or a set amount when not null.
    "high_end.percentile": 0.8,
    "high_end.amount": None,
    # Complaints.
    "complaints.sla_hours": 24,
    "complaints.business_hours": False,
    "complaints.day_start": "09:00",
    "complaints.night_start": "23:00",
    "complaints.working_days": [1, 2, 3, 4, 5, 6, 7],
    "complaints.path_window_days": 30,
    # Care lists.
    "care.agents": ["客服1", "客服2", "客服3", "客服4", "客服5"],
    "care.calls_per_agent": 20,
    "care.call_window": "18:00-19:00",
    "care.recent_call_days": 30,
    "care.min_rung": "supporter",
    "care.include_high_end": True,
    # Personal data.
    "privacy.pseudonymise": False,
}


def get(con, key: str):
    """The value of setting ``key`` (its default when never set)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return DEFAULTS[key] if row is None or row[0] is None else json.loads(row[0])


def get_all(con) -> dict[str, object]:
    """Every setting, stored values over defaults."""
    values = dict(DEFAULTS)
    for key, value in con.execute("SELECT key, value FROM settings").fetchall():
        if key in DEFAULTS and value is not None:
            values[key] = json.loads(value)
    return values


def put(con, key: str, value, *, by: str | None = None) -> None:
    """Store ``value`` for ``key`` (a read-write connection)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    con.execute("DELETE FROM settings WHERE key = ?", [key])
    con.execute(
        "INSERT INTO settings VALUES (?, ?, current_localtimestamp(), ?)",
        [key, json.dumps(value, ensure_ascii=False), by],
    )


def put_many(con, values: dict[str, object], *, by: str | None = None) -> None:
    """Store several settings at once."""
    for key, value in values.items():
        put(con, key, value, by=by)


def coerce(key: str, value):
    """``value`` converted to the type of ``key``'s default; raises ValueError(key, value).

    Lists are read from comma-separated text; a blank optional number is None.
    """
    default = DEFAULTS[key]
    try:
        if isinstance(default, bool):
            return bool(value)
        if isinstance(default, list):
            items = value if isinstance(value, list) else str(value).replace("，", ",").split(",")
            items = [i.strip() if isinstance(i, str) else i for i in items]
            items = [i for i in items if i not in ("", None)]
            if default and isinstance(default[0], int):
                items = [int(i) for i in items]
            if not items:
                raise ValueError
            return items
        if isinstance(default, int):
            out = int(value)
            if out < 0:
                raise ValueError
            return out
        if isinstance(default, float):
            return float(value)
        if default is None:  # an optional amount
            return None if value in (None, "") else float(value)
        return str(value).strip()
    except (TypeError, ValueError):
        raise ValueError(key, value) from None


def changes(old: dict[str, object], new: dict[str, object]) -> dict[str, object]:
    """The settings in ``new`` that differ from ``old``, each coerced to its type."""
    out = {}
    for key, value in new.items():
        value = coerce(key, value)
        if value != old.get(key):
            out[key] = value
    return out
