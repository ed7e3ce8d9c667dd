"""Value cleaning as DuckDB SQL: Excel guards, currency signs, ids, ratings, booleans, dates.

Everything runs in SQL over text columns so a million rows never pass through a Python loop.
Expressions are built only from the constants below and code-generated column names (c0, c1,
…); no header or value from a file is ever formatted into SQL. The one setting in them, the
store's time zone, is checked against DuckDB's list of zones before it is (see ``install``).

Speed: a value the plain cast or a switch of equalities takes costs nothing more; the regexes,
lists and rewrites below run only for the few values that fail it (``coalesce`` and ``CASE``
evaluate their later arms for the rows left over, nothing else).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from analysis import schema, settings
from analysis.errors import UserError

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
# Two-digit years first: %Y would read 11/02/26 as the year 26 (%y never takes four digits).
MONTH_FIRST = [f"%m{s}%d{s}{y}{t}" for y in ("%y", "%Y") for s in "/-." for t in _TIMES]
DAY_FIRST = [f"%d{s}%m{s}{y}{t}" for y in ("%y", "%Y") for s in "/-." for t in _TIMES]
# Year-first with 上午/下午 (rewritten to AM/PM first, see ing_ts_ampm_text).
YEAR_FIRST_AMPM = [f"%Y{a}%m{b}%d{c} %I:%M{sec} %p" for a, b, c in
                   (("-", "-", ""), ("/", "/", ""), (".", ".", ""), ("年", "月", "日"))
                   for sec in (":%S", "")]
# 26-11-02: the Chinese short form, two-digit year first (never day- or month-first).
SHORT_YEAR_FIRST = ["%y-%m-%d %H:%M:%S", "%y-%m-%d %H:%M", "%y-%m-%d"]
# Excel serial dates (days since 1899-12-30) read only in this range (1954-10-03 … 2119-01-11).
SERIAL_RANGE = (20000, 80000)

# Values that mean "nothing": stored as NULL (and counted) in every column but the key.
PLACEHOLDERS = ("-", "--", "—", "——", "null", "NULL", "Null", "None", "none", "N/A", "n/a",
                "0000-00-00", "0000-00-00 00:00:00", "空")
# 无 is a placeholder only where a type is expected (in a text it is a word: 无异味).
TYPED_PLACEHOLDERS = PLACEHOLDERS + ("无",)

# Ratings in words; numbers (5, 5.0, 5星, 5分, 五星), ★★★★☆ and these are read.
RATING_WORDS = {
    5: ("好评", "满意", "非常满意", "很满意", "系统默认好评", "默认好评"),
    3: ("中评", "一般"),
    1: ("差评", "不满意", "非常不满意", "很不满意"),
}
DEFAULT_REVIEWS = ("系统默认好评", "默认好评")
# 是否小二介入 / 客服介入状态 and other yes/no columns (compared in lower case).
TRUE_WORDS = ("是", "y", "yes", "true", "1", "有", "已介入", "小二已介入", "客服已介入", "介入",
              "介入中", "小二介入中", "客服介入中", "需要", "需介入", "已重开", "重开")
FALSE_WORDS = ("否", "n", "no", "false", "0", "无", "未", "没有", "未介入", "小二未介入",
               "客服未介入", "不需要", "无需介入", "不介入", "未重开")

DEFAULT_ZONE = str(settings.DEFAULTS["timezone"])
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*")

# Unicode space separators (what DuckDB's trim() strips) plus tab, LF and CR.
_SPACES = [0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000, 9, 10, 13]
_WS = "'" + "".join(chr(c) for c in _SPACES) + "'"
# Spaces above ASCII, as comparisons: DuckDB turns a long IN list into a
# hash join per use, which cost more than the rest of the cleaning together.
_NOT_HIGH_SPACE = ("o <> 160 AND o <> 5760 AND (o < 8192 OR o > 8202) AND o <> 8239 "
                   "AND o <> 8287 AND o <> 12288")
_LOW_OK = "o BETWEEN 0 AND 31 AND o <> 9 AND o <> 10 AND o <> 13"


def _one_of(expr: str, values, then: str = "true", otherwise: str = "false") -> str:
    """``then`` when ``expr`` is one of the constant strings ``values``, else ``otherwise``.

    A switch of equalities: an IN list or list_contains() of constants would become a hash
    join of every row (DuckDB rewrites them so), however few rows reach the test.
    """
    assert not any("'" in v for v in values)
    whens = " ".join(f"WHEN '{v}' THEN {then}" for v in values)
    return f"CASE {expr} {whens} ELSE {otherwise} END"


def _placeholder_macro(name: str, values) -> str:
    # A list compared only for values as short as a placeholder (byte length, known without
    # reading the text: most values are longer) or as long as 0000-00-00 (00:00:00).
    short = [v for v in values if len(v.encode()) <= 6]
    long = [v for v in values if v not in short]
    assert all(v.isascii() for v in long)
    return (f"CREATE OR REPLACE TEMP MACRO {name}(t) AS CASE "
            f"WHEN strlen(t) <= {max(len(v.encode()) for v in short)} THEN {_one_of('t', short)} "
            f"WHEN {' OR '.join(f'strlen(t) = {n}' for n in sorted({len(v) for v in long}))} "
            f"THEN {_one_of('t', long)} ELSE false END")


def _rating_words() -> str:
    return " ".join(f"WHEN '{w}' THEN {n}" for n, words in RATING_WORDS.items() for w in words)


# US thousands ("1,299.00"): the only grouping a comma may be; anything else with a comma is
# read by ing_amount_slow, which takes the European forms or nothing.
_US_GROUPED = "'[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?'"
_PLAIN_NUMBER = "'[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)'"
# 1.299 is 1299 with European grouping or 1.299 with three decimals (which DECIMAL(18,2)
# cannot hold): never guessed.
AMBIGUOUS_NUMBER = "'[+-]?[1-9][0-9]{0,2}\\.[0-9]{3}'"
_EUROPEAN = ("'[+-]?([0-9]{1,3}(\\.[0-9]{3})+,[0-9]+|[0-9]{1,3}(\\.[0-9]{3}){2,}|"
             "[0-9]+,[0-9]{1,2})'")
_FULL_WIDTH = ("'０１２３４５６７８９．，－−（）＋'", "'0123456789.,--()+'")


def macros(zone: str = DEFAULT_ZONE) -> list[str]:
    """The cleaning macros, the store's time zone ``zone`` (checked by :func:`install`) in
    the date ones."""
    assert _ZONE_NAME.fullmatch(zone)
    tz = f"'{zone}'"
    return [
        # Excel's ="…" guard and a leading ' or tab keep digits as text; both are removed, and so is
        # whitespace (Unicode spaces, tab, CR, LF) at either end, and every NUL character.
        "CREATE OR REPLACE TEMP MACRO ing_text_slow(s) AS nullif(trim(regexp_replace("
        "regexp_replace(trim(replace(s, chr(0), ''), " + _WS + "), '^=\"(.*)\"$', '\\1', 's'), "
        "'^[''\\t]+', ''), " + _WS + "), '')",
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
        "ing_plain_last(ord(substr(s, -1))) AND NOT contains(s, chr(0)) THEN s "
        "ELSE ing_text_slow(s) END",
        # Placeholders (-, null, 0000-00-00, 空 …) of cleaned text: NULL in every column but the
        # key. ing_placeholder_typed adds 无, a placeholder only where a type is expected.
        _placeholder_macro("ing_placeholder", PLACEHOLDERS),
        _placeholder_macro("ing_placeholder_typed", TYPED_PLACEHOLDERS),
        # 'float' for 17850.0, 'damaged' for 1.03531E+12 and for 16 digits or more with .0 (a
        # double keeps 15 to 17: the digits were lost on the way), 'masked' for t***3, else NULL.
        "CREATE OR REPLACE TEMP MACRO ing_id_state(t) AS CASE "
        "WHEN t IS NULL OR NOT (contains(t, '.') OR contains(t, '*') OR contains(t, '+')) "
        "THEN NULL "
        "WHEN regexp_full_match(t, '-?[0-9]{16,}\\.0+') THEN 'damaged' "
        "WHEN regexp_full_match(t, '-?[0-9]+\\.0+') THEN 'float' "
        "WHEN regexp_full_match(t, '[0-9]+(\\.[0-9]+)?[eE][+-]?[0-9]+') THEN 'damaged' "
        "WHEN contains(t, '*') THEN 'masked' END",
        # Full-width digits and signs, currency, spaces; then (39.00) and 39.00- are negative;
        # then one of three readings that cannot be mistaken: plain, US-grouped, European
        # (1.299,00, 1 299,00, 12,50). Anything else (1,2,3, 1.299) is NULL, never a guess.
        "CREATE OR REPLACE TEMP MACRO ing_amount_norm(t) AS regexp_replace(translate(t, "
        + ", ".join(_FULL_WIDTH) + "), "
        "'[¥￥元\\s\\x{a0}\\x{202f}\\x{2009}\\x{3000}]|RMB|CNY', '', 'g')",
        "CREATE OR REPLACE TEMP MACRO ing_amount_unsigned(u) AS CASE "
        "WHEN regexp_full_match(u, " + AMBIGUOUS_NUMBER + ") THEN NULL "
        "WHEN regexp_full_match(u, " + _PLAIN_NUMBER + ") OR regexp_full_match(u, " + _US_GROUPED
        + ") THEN try_cast(replace(u, ',', '') AS DECIMAL(18,2)) "
        "WHEN regexp_full_match(u, " + _EUROPEAN + ") "
        "THEN try_cast(replace(replace(u, '.', ''), ',', '.') AS DECIMAL(18,2)) END",
        "CREATE OR REPLACE TEMP MACRO ing_amount_slow(t) AS list_transform([ing_amount_norm(t)], "
        "lambda n: CASE WHEN n GLOB '(*)' THEN -ing_amount_unsigned(substr(n, 2, length(n) - 2)) "
        "WHEN n GLOB '?*-' AND NOT n GLOB '[+-]*' "
        "THEN -ing_amount_unsigned(substr(n, 1, length(n) - 1)) "
        "ELSE ing_amount_unsigned(n) END)[1]",
        # Plain numbers cast at once; "1,299.00" after one regex proves the commas group
        # thousands (1.299,00 or 12,5 would lose their decimals). The rest, and three decimals
        # (1.299, maybe European), go to ing_amount_slow.
        "CREATE OR REPLACE TEMP MACRO ing_amount(t) AS coalesce(CASE WHEN NOT contains(t, ',') "
        "AND NOT (strlen(t) > 4 AND strpos(t, '.') = strlen(t) - 3) "
        "THEN try_cast(t AS DECIMAL(18,2)) "
        "WHEN regexp_full_match(t, " + _US_GROUPED + ") "
        "THEN try_cast(replace(t, ',', '') AS DECIMAL(18,2)) END, "
        "CASE WHEN t IS NOT NULL THEN ing_amount_slow(t) END)",
        "CREATE OR REPLACE TEMP MACRO ing_int(t) AS CASE WHEN try_cast(t AS DOUBLE) = "
        "round(try_cast(t AS DOUBLE)) AND abs(try_cast(t AS DOUBLE)) < 2147483647 "
        "THEN CAST(try_cast(t AS DOUBLE) AS INTEGER) END",
        "CREATE OR REPLACE TEMP MACRO ing_rating_number(d) AS CASE WHEN d BETWEEN 1 AND 5 "
        "AND d = round(d) THEN CAST(d AS INTEGER) END",
        "CREATE OR REPLACE TEMP MACRO ing_rating_slow(t) AS CASE t " + _rating_words() + " ELSE "
        "CASE WHEN regexp_full_match(t, '[★☆]{1,5}') "
        "THEN nullif(length(t) - length(replace(t, '★', '')), 0) "
        "ELSE ing_rating_number(try_cast(translate(regexp_replace(t, '\\s*(颗星|星|分)$', ''), "
        "'一二两三四五１２３４５', '12234512345') AS DOUBLE)) END END",
        # 1–5 and 好评/中评/差评 in one switch; the rest (5.0, 5星, 五星, ★★★★☆, 满意 …) after.
        "CREATE OR REPLACE TEMP MACRO ing_rating(t) AS CASE t WHEN '5' THEN 5 WHEN '4' THEN 4 "
        "WHEN '3' THEN 3 WHEN '2' THEN 2 WHEN '1' THEN 1 WHEN '好评' THEN 5 WHEN '中评' THEN 3 "
        "WHEN '差评' THEN 1 ELSE ing_rating_slow(t) END",
        # The platform's automatic review (no rating given by the buyer, counted as 好评).
        "CREATE OR REPLACE TEMP MACRO ing_default_review(t) AS CASE WHEN t IS NOT NULL THEN "
        + _one_of("t", DEFAULT_REVIEWS) + " END",
        # 小二已介入 / 客服介入中: someone intervenes; 未介入 / 无需介入 / 不需要: nobody.
        "CREATE OR REPLACE TEMP MACRO ing_bool_slow(t) AS CASE lower(t) "
        + " ".join([f"WHEN '{w}' THEN true" for w in TRUE_WORDS]
                   + [f"WHEN '{w}' THEN false" for w in FALSE_WORDS])
        + " ELSE CASE WHEN contains(t, '介入') THEN NOT regexp_matches(t, '[未无不没否]') END END",
        "CREATE OR REPLACE TEMP MACRO ing_bool(t) AS CASE t WHEN '是' THEN true WHEN '否' THEN false "
        "ELSE ing_bool_slow(t) END",
        # Z, UTC or an offset after the time (position 17 on: never inside the date). Only values
        # longer than 2026-11-02 13:05:00 (or 2026-11-02T05:05Z) can have one.
        "CREATE OR REPLACE TEMP MACRO ing_ts_zoned(t) AS CASE WHEN strlen(t) > 19 THEN "
        "ends_with(t, 'Z') OR contains(substr(t, 17), '+') OR contains(substr(t, 17), '-') "
        "OR ends_with(t, 'UTC') WHEN strlen(t) = 17 THEN ends_with(t, 'Z') ELSE false END",
        # Digits only: 20261102, 202611021305, 20261102130500; epoch seconds (10 digits) and
        # milliseconds (13), instants converted to the store's local time.
        "CREATE OR REPLACE TEMP MACRO ing_ts_digits(t) AS CASE WHEN NOT t GLOB '*[!0-9]*' THEN "
        "CASE strlen(t) WHEN 8 THEN try_strptime(t, '%Y%m%d') "
        "WHEN 12 THEN try_strptime(t, '%Y%m%d%H%M') WHEN 14 THEN try_strptime(t, '%Y%m%d%H%M%S') "
        f"WHEN 10 THEN timezone({tz}, timezone('UTC', "
        "make_timestamp(CAST(t AS BIGINT) * 1000000))) "
        f"WHEN 13 THEN timezone({tz}, timezone('UTC', make_timestamp(CAST(t AS BIGINT) * 1000))) "
        "END END",
        # 上午/凌晨/早上 h:mm → h:mm AM, 下午/中午/晚上 → PM (下午1:05 = 13:05, 上午12:05 = 00:05);
        # NULL without them.
        "CREATE OR REPLACE TEMP MACRO ing_ts_ampm_text(t) AS CASE WHEN regexp_matches(t, "
        "'上午|下午|中午|晚上|凌晨|早上') THEN regexp_replace(regexp_replace(t, "
        "'\\s*(上午|凌晨|早上)\\s*([0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)', ' \\2 AM'), "
        "'\\s*(下午|中午|晚上)\\s*([0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)', ' \\2 PM') END",
        # Four leading digits, tested with GLOB (half the cost of a regex per value): without
        # them the cast would read 11-02-26 as the year 11. A value with a zone (Z, +08:00) is
        # converted to the store's local time; the cast would drop the zone. 26-11-02 is the
        # short form with the year first.
        "CREATE OR REPLACE TEMP MACRO ing_ts_year_first(t) AS CASE WHEN t GLOB "
        "'[0-9][0-9][0-9][0-9]*' THEN CASE WHEN ing_ts_zoned(t) "
        f"THEN timezone({tz}, try_cast(t AS TIMESTAMPTZ)) "
        "ELSE coalesce(try_cast(t AS TIMESTAMP), try_strptime(t, "
        + repr(YEAR_FIRST).replace('"', "'") + "), ing_ts_digits(t), try_strptime("
        "ing_ts_ampm_text(t), " + repr(YEAR_FIRST_AMPM).replace('"', "'") + ")) END "
        "WHEN t GLOB '[0-9][0-9]-[0-9]*' THEN try_strptime(t, "
        + repr(SHORT_YEAR_FIRST).replace('"', "'") + ") END",
        # An Excel serial date (46328 or 46328.5443), for a column of them (stage.decide_dates).
        "CREATE OR REPLACE TEMP MACRO ing_ts_serial_like(t) AS t GLOB '[0-9][0-9][0-9][0-9][0-9]*' "
        "AND regexp_full_match(t, '[0-9]{5}(\\.[0-9]+)?') AND try_cast(t AS DOUBLE) BETWEEN "
        f"{SERIAL_RANGE[0]} AND {SERIAL_RANGE[1]}",
        "CREATE OR REPLACE TEMP MACRO ing_ts_serial(t) AS CASE WHEN ing_ts_serial_like(t) THEN "
        "TIMESTAMP '1899-12-30' + to_seconds(CAST(round(CAST(t AS DOUBLE) * 86400) AS BIGINT)) END",
    ]


class DateOrder(NamedTuple):
    """How a date column's values that are not year-first are read."""

    day_first: bool
    serial: bool = False


MACROS = macros()

# One pass over every date column: how many short dates fit only one day order.
_SHORT_DATE = "'^([0-9]{1,2})[/.\\-]([0-9]{1,2})[/.\\-][0-9]{2,4}'"
# 26-11-02 (two-digit year first) takes no part in that vote.
_SHORT_YEAR = "'^[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}([ T]|$)'"


def checked_zone(con, zone: str | None) -> str:
    """``zone`` (the ``timezone`` setting; the default when None) once DuckDB knows it.

    Raises
    ------
    UserError
        A zone name DuckDB does not know: dates with a zone could not be converted.
    """
    zone = DEFAULT_ZONE if zone is None else str(zone).strip()
    if not _ZONE_NAME.fullmatch(zone) or not con.execute(
            "SELECT count(*) FROM pg_timezone_names() WHERE name = ?", [zone]).fetchone()[0]:
        raise UserError("ingest.bad_timezone", zone=zone)
    return zone


def install(con, zone: str | None = None) -> None:
    """Define the cleaning macros on ``con`` (temporary: nothing is written).

    ``zone`` is the store's time zone, by default its ``timezone`` setting (Asia/Shanghai on
    a connection without settings): dates with a zone and epoch numbers are converted to it
    and stored as local time.
    """
    if zone is None:
        import duckdb

        try:
            zone = settings.get(con, "timezone")
        except duckdb.CatalogException:  # no settings table: a scratch connection
            zone = DEFAULT_ZONE
    for sql in macros(checked_zone(con, zone)):
        con.execute(sql)


def text_sql(raw: str, first: str, last: str) -> str:
    """``ing_text`` of the column ``raw`` whose first and last code points (``ord``) are
    already the columns ``first`` and ``last`` (so they are computed once per value).

    A NUL inside the value is not looked for here: a file holding one has them removed from
    every value before (:func:`stage.typed_sql`), the rest never pay for the search.
    """
    return (f"CASE WHEN ing_plain_first({first}) AND ing_plain_last({last}) THEN {raw} "
            f"ELSE ing_text_slow({raw}) END")


def placeholder_sql(text: str, first: str | None = None) -> str:
    """``ing_placeholder(text)``; with ``first``, the first code point of the value before
    cleaning, tested only when that could start a placeholder or the value was cleaned
    (a few integer comparisons pass over every other value)."""
    if first is None:
        return f"ing_placeholder({text})"
    starts = " OR ".join(f"{first} = {o}" for o in sorted({ord(v[0]) for v in PLACEHOLDERS}))
    return (f"CASE WHEN {starts} OR NOT ing_plain_first({first}) "
            f"THEN ing_placeholder({text}) ELSE false END")


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


def typed_expr(column: str, text_ref: str, *, day_first: bool | None = None,
               serial: bool = False) -> str:
    """SQL turning the cleaned text ``text_ref`` into ``column``'s type (NULL if it fails).

    For dates, ``day_first`` orders the dates that are not year-first and ``serial`` reads
    Excel serial numbers (46328 = 2026-11-02), for a column decided to hold them.
    """
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
        serial_sql = f"ing_ts_serial({text_ref}), " if serial else ""
        return (f"coalesce(ing_ts_year_first({text_ref}), {serial_sql}try_strptime({text_ref}, "
                f"{fmt}), try_strptime(ing_ts_ampm_text({text_ref}), {fmt}))")
    return text_ref


def _order_parts(ref: str) -> list[str]:
    a = f"try_cast(regexp_extract({ref}, {_SHORT_DATE}, 1) AS INTEGER)"
    b = f"try_cast(regexp_extract({ref}, {_SHORT_DATE}, 2) AS INTEGER)"
    # Year-first values (most exports) are passed over before any regex runs.
    short = (f"substr({ref}, 5, 1) NOT IN ('-', '/', '年') AND regexp_matches({ref}, "
             f"{_SHORT_DATE}) AND NOT regexp_matches({ref}, {_SHORT_YEAR})")
    return [f"count(*) FILTER (WHERE {short})",
            f"count(*) FILTER (WHERE {short} AND {a} <= 12 AND {b} > 12)",
            f"count(*) FILTER (WHERE {short} AND {a} > 12 AND {b} <= 12)"]


def date_order_sql(text_refs: list[str], source: str) -> str:
    """One query counting, per date column, short dates that fit only month- or day-first."""
    parts = [p for ref in text_refs for p in _order_parts(ref)]
    return f"SELECT {', '.join(parts)} FROM {source}"


def date_profile_sql(columns: list[tuple[str, str]], source: str) -> str:
    """:func:`date_order_sql` plus, per (pending text, typed value) column pair, the values
    that look like Excel serial dates and the values that are not placeholders: five counts
    a column."""
    parts = []
    for ref, typed in columns:
        parts += _order_parts(ref)
        parts += [f"count(*) FILTER (WHERE ing_ts_serial_like({ref}))",
                  f"count({typed}) + count(*) FILTER (WHERE {ref} IS NOT NULL "
                  f"AND NOT ing_placeholder_typed({ref}))"]
    return f"SELECT {', '.join(parts)} FROM {source}"


def decide_serial(serial_like: int, values: int) -> bool:
    """Whether a date column holds Excel serial dates: at least half of its values (not
    counting placeholders) look like one. Elsewhere a number is not read as a date."""
    return serial_like > 0 and 2 * serial_like >= values


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
