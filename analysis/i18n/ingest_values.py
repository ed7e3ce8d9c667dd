"""Texts of the importer's value cleaning: values stored as NULL instead of rejecting the row.

The reasons for values that do not parse (not_a_date, not_a_number, …) are in
:mod:`analysis.i18n.ingest`; they now name warnings (the value is stored as empty) as well.
"""

TEXTS = {
    "ingest.reason.placeholder_nulled": {
        "zh": "占位值（如 -、--、null、N/A、0000-00-00、空），已存为空值",
        "en": "placeholder values (-, --, null, N/A, 0000-00-00, 空 …) stored as empty",
    },
    "ingest.reason.ambiguous_number": {
        "zh": "数字有歧义（如 1.299 可能是 1299 也可能是 1.299），没有猜测，已存为空值",
        "en": "ambiguous numbers (1.299 may be 1299 or 1.299): not guessed, stored as empty",
    },
    "ingest.bad_timezone": {
        "zh": "时区设置“{zone}”不是有效的时区，请在设置中改为如 Asia/Shanghai 的时区名后再导入。",
        "en": "The timezone setting \"{zone}\" is not a known time zone; set one such as Asia/Shanghai, then import again.",
    },
}
