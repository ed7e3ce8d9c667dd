"""Value cleaning as DuckDB SQL: Excel guards, currency signs, ids, ratings, booleans, dates.

Everything runs in SQL over text columns so a million rows never pass through a Python loop.
Expressions are built only from the constants below and code-generated column names (c0, c1,
…); no header or value from a file is ever formatted into SQL.
"""

from __future__ import annotations

from analysis import schema

ID_COLUMNS = ("order_id", "customer_id", "item_id", "review_id", "ticket_id")
# The id that keys each kind: a damaged one rejects the row instead of becoming NULL.
KEY_ID = {"orders": "order_id", "order_items": "order_id", "reviews": "review_id",
          "tickets": "ticket_id", "contacts": "customer_id"}

YEAR_FIRST = [
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y/%m/%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d",
]
_TIMES = [" %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M", ""]
MONTH_FIRST = [f"%m{s}%d{s}%Y{t}" for s in "/-." for t in _TIMES]
DAY_FIRST = [f"%d{s}%m{s}%Y{t}" for s in "/-." for t in _TIMES]

# Unicode space separators (what DuckDB's trim() strips) plus tab, LF and CR.
_SPACES = [0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000, 9, 10, 13]
_WS = "'" + "".join(chr(c) for c in _SPACES) + "'"
# Spaces above ASCII, as comparisons: DuckDB turns a long IN list into a
# hash join per use, which cost more than the rest of the cleaning together.
_NOT_HIGH_SPACE = ("o <> 160 AND o <> 5760 AND (o < 8192 OR o > 8202) AND o <> 8239 "
                   "AND o <> 8287 AND o <> 12288")
_LOW_OK = "o BETWEEN 0 AND 31 AND o <> 9 AND o <> 10 AND o <> 13"

MACROS = [
    # Excel's ="…" guard and a leading ' or tab keep digits as text; both are removed, and so is
    # whitespace (Unicode spaces, tab, CR, LF) at either end.
    "CREATE OR REPLACE TEMP MACRO ing_text_slow(s) AS nullif(trim(regexp_replace("
    "regexp_replace(trim(s, " + _WS + "), '^=\"(.*)\"$', '\\1', 's'), '^[''\\t]+', ''), "
    + _WS + "), '')",
    # Whether a value whose first and last code points are f and l (ord) needs no cleaning:
    # most values. trim() decodes every character of every value, which costs more than
    # reading the file, so the rest pass through untouched. (ord('') is -1: not plain.)
    # The first tests pass CJK (above the last space, U+3000), ASCII letters and digits at
    # once; OR stops there for nearly every value, which makes the check 3x cheaper.
    "CREATE OR REPLACE TEMP MACRO ing_plain_first(o) AS o > 12288 OR (o > 61 AND o < 160) "
    "OR (o > 39 AND o < 61) OR (o > 61 AND " + _NOT_HIGH_SPACE + ") "
    "OR (o > 32 AND o < 61 AND o <> 39) OR (" + _LOW_OK + ")",
    "CREATE OR REPLACE TEMP MACRO ing_plain_last(o) AS o > 12288 OR (o > 32 AND o < 160) "
    "OR (o > 32 AND " + _NOT_HIGH_SPACE + ") OR (" + _LOW_OK + ")",
    "CREATE OR REPLACE TEMP MACRO ing_text(s) AS CASE WHEN ing_plain_first(ord(s)) AND "
    "ing_plain_last(ord(substr(s, -1))) THEN s ELSE ing_text_slow(s) END",
    # 'float' for 17850.0, 'damaged' for 1.03531E+12, 'masked' for t***3, else NULL.
    "CREATE OR REPLACE TEMP MACRO ing_id_state(t) AS CASE "
    "WHEN t IS NULL OR NOT (contains(t, '.') OR contains(t, '*') OR contains(t, '+')) THEN NULL "
    "WHEN regexp_full_match(t, '-?[0-9]+\\.0+') THEN 'float' "
    "WHEN regexp_full_match(t, '[0-9]+(\\.[0-9]+)?[eE][+-]?[0-9]+') THEN 'damaged' "
    "WHEN contains(t, '*') THEN 'masked' END",
    # Plain numbers and "1,299.00" cast in one try (the cast never takes a comma, so removing
    # them first changes no value); only the rest pay for the regex.
    "CREATE OR REPLACE TEMP MACRO ing_amount(t) AS coalesce("
    "try_cast(replace(t, ',', '') AS DECIMAL(18,2)), CASE WHEN regexp_matches(t, "
    "'[^0-9.\\-]') THEN try_cast(regexp_replace(t, '[¥￥元,，\\s]|RMB|CNY', '', 'g') "
    "AS DECIMAL(18,2)) END)",
    "CREATE OR REPLACE TEMP MACRO ing_int(t) AS CASE WHEN try_cast(t AS DOUBLE) = "
    "round(try_cast(t AS DOUBLE)) AND abs(try_cast(t AS DOUBLE)) < 2147483647 "
    "THEN CAST(try_cast(t AS DOUBLE) AS INTEGER) END",
    "CREATE OR REPLACE TEMP MACRO ing_rating(t) AS CASE WHEN t = '好评' THEN 5 "
    "WHEN t = '中评' THEN 3 WHEN t = '差评' THEN 1 "
    "WHEN try_cast(regexp_replace(t, '\\s*[星分]$', '') AS DOUBLE) IN (1, 2, 3, 4, 5) "
    "THEN CAST(try_cast(regexp_replace(t, '\\s*[星分]$', '') AS DOUBLE) AS TINYINT) END",
    "CREATE OR REPLACE TEMP MACRO ing_bool(t) AS CASE "
    "WHEN lower(t) IN ('是', 'y', 'yes', 'true', '1', '有', '已介入') THEN true "
    "WHEN lower(t) IN ('否', 'n', 'no', 'false', '0', '无', '未介入') THEN false END",
    # Four leading digits, tested with GLOB (half the cost of a regex per value): without
    # them the cast would read 11-02-26 as the year 11.
    "CREATE OR REPLACE TEMP MACRO ing_ts_year_first(t) AS CASE WHEN t GLOB "
    "'[0-9][0-9][0-9][0-9]*' THEN coalesce(try_cast(t AS TIMESTAMP), try_strptime(t, "
    + repr(YEAR_FIRST).replace('"', "'") + ")) END",
]

# One pass over every date column: how many short dates fit only one day order.
_SHORT_DATE = "'^([0-9]{1,2})[/.\\-]([0-9]{1,2})[/.\\-][0-9]{2,4}'"


def install(con) -> None:
    """Define the cleaning macros on ``con`` (temporary: nothing is written)."""
    for sql in MACROS:
        con.execute(sql)


def text_sql(raw: str, first: str, last: str) -> str:
    """``ing_text`` of the column ``raw`` whose first and last code points (``ord``) are
    already the columns ``first`` and ``last`` (so they are computed once per value)."""
    return (f"CASE WHEN ing_plain_first({first}) AND ing_plain_last({last}) THEN {raw} "
            f"ELSE ing_text_slow({raw}) END")


def value_kind(column: str) -> str:
    """How a canonical column is cleaned: id, amount, int, rating, bool, ts or text."""
    if column in ID_COLUMNS:
        return "id"
    typ = _types().get(column, "VARCHAR")
    if typ.startswith("DECIMAL"):
        return "amount"
    if typ == "INTEGER":
        return "int"
    if typ == "TINYINT":
        return "rating"
    if typ == "BOOLEAN":
        return "bool"
    if typ == "TIMESTAMP":
        return "ts"
    return "text"


def _types() -> dict[str, str]:
    merged: dict[str, str] = {}
    for cols in schema.CANONICAL.values():
        merged.update(dict(cols))
    return merged


def typed_expr(column: str, text_ref: str, *, day_first: bool | None = None) -> str:
    """SQL turning the cleaned text ``text_ref`` into ``column``'s type (NULL if it fails)."""
    kind = value_kind(column)
    if kind == "id":
        return (f"CASE ing_id_state({text_ref}) WHEN 'float' THEN regexp_replace({text_ref}, "
                f"'\\.0+$', '') WHEN 'damaged' THEN NULL WHEN 'masked' THEN NULL "
                f"ELSE {text_ref} END")
    if kind == "amount":
        return f"ing_amount({text_ref})"
    if kind == "int":
        return f"ing_int({text_ref})"
    if kind == "rating":
        return f"ing_rating({text_ref})"
    if kind == "bool":
        return f"ing_bool({text_ref})"
    if kind == "ts":
        formats = DAY_FIRST if day_first else MONTH_FIRST
        fmt = repr(formats).replace('"', "'")
        return f"coalesce(ing_ts_year_first({text_ref}), try_strptime({text_ref}, {fmt}))"
    return text_ref


def date_order_sql(text_refs: list[str], source: str) -> str:
    """One query counting, per date column, short dates that fit only month- or day-first."""
    parts = []
    for ref in text_refs:
        a = f"try_cast(regexp_extract({ref}, {_SHORT_DATE}, 1) AS INTEGER)"
        b = f"try_cast(regexp_extract({ref}, {_SHORT_DATE}, 2) AS INTEGER)"
        # Year-first values (most exports) are passed over before any regex runs.
        short = f"substr({ref}, 5, 1) NOT IN ('-', '/', '年')"
        parts.append(
            f"count(*) FILTER (WHERE {short} AND regexp_matches({ref}, {_SHORT_DATE})), "
            f"count(*) FILTER (WHERE {short} AND {a} <= 12 AND {b} > 12), "
            f"count(*) FILTER (WHERE {short} AND {a} > 12 AND {b} <= 12)"
        )
    return f"SELECT {', '.join(parts)} FROM {source}"


def decide_day_first(counts: tuple[int, int, int], given: bool | None) -> tuple[bool, bool]:
    """(day_first, ambiguous) for one column from (short dates, month-first only, day-first only).

    The whole column decides: more values that only fit day-first means day-first. When every
    value fits both, ``given`` (the page asked) decides, else month-first and it is ambiguous.
    """
    short, month_only, day_only = counts
    if short == 0:
        return False, False
    if day_only > month_only:
        return True, False
    if month_only > day_only:
        return False, False
    if given is not None:
        return bool(given), False
    return False, True
