"""Texts of the importer: errors, CLI lines and rejection / warning reasons."""

TEXTS = {
    "ingest.empty_file": {"zh": "文件是空的：{file}", "en": "The file is empty: {file}"},
    "ingest.header_only": {"zh": "文件只有表头，没有数据行。", "en": "The file has a header but no data rows."},
    "ingest.binary_file": {
        "zh": "无法读取 {file}：不是 CSV 或 .xlsx 文本文件（可能是二进制文件）。",
        "en": "Cannot read {file}: it is not a CSV or .xlsx file (it looks binary).",
    },
    "ingest.xls_unsupported": {
        "zh": "{file} 是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。",
        "en": "{file} is an old .xls workbook; save it as .xlsx or CSV in Excel and import that.",
    },
    "ingest.bad_xlsx": {"zh": "无法打开这个 .xlsx 文件（{detail}）。", "en": "Cannot open this .xlsx file ({detail})."},
    "ingest.unknown_kind": {"zh": "未知的数据类型：{kind}", "en": "Unknown kind: {kind}"},
    "ingest.unknown_column": {
        "zh": "{kind} 没有列 {column}；可用的列：{allowed}",
        "en": "{kind} has no column {column}; columns: {allowed}",
    },
    "ingest.map_source_missing": {
        "zh": "文件中没有列“{source}”；文件的列：{headers}",
        "en": "The file has no column \"{source}\"; its columns: {headers}",
    },
    "ingest.no_key": {
        "zh": "没有可作为 {kind} 主键的列（需要：{required}）。是否选错了数据类型？文件的列：{headers}。请在列映射中指定哪一列是主键（命令行：--map 列名=字段）。",
        "en": "No column can be the key of {kind} (needs: {required}). Wrong kind chosen? The file's columns: {headers}. Choose the key column in the column mapping (command line: --map HEADER=column).",
    },
    "ingest.pseudonym_salt_missing": {
        "zh": "已开启“客户编号假名化”，但没有设置盐值：请在 secrets 的 [access] pseudonym_salt 或环境变量 {env} 中设置后再导入。",
        "en": "Pseudonymising customer ids is on but no salt is set: set [access] pseudonym_salt in the secrets or the environment variable {env}, then import again.",
    },
    "ingest.no_such_import": {"zh": "没有编号为 {import_id} 的导入。", "en": "There is no import {import_id}."},
    "ingest.already_deleted": {"zh": "导入 {import_id} 已被删除。", "en": "Import {import_id} was already deleted."},
    "ingest.cli.already": {
        "zh": "{file} 已导入过，未做任何改动（{rows} 行）。",
        "en": "{file} was imported before; nothing changed ({rows} rows).",
    },
    "ingest.cli.summary": {
        "zh": "{file} → {kind}（{encoding}）：读取 {rows_read} 行，新增 {inserted}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}，跳过 {skipped}。",
        "en": "{file} → {kind} ({encoding}): read {rows_read}, inserted {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}, skipped {skipped}.",
    },
    "ingest.cli.warning": {"zh": "提示：列 {column}：{reason}（{count} 行）", "en": "warning: column {column}: {reason} ({count} rows)"},
    "ingest.cli.rejection": {
        "zh": "拒绝：第 {line} 行，列 {column}，值 {value!r}：{reason}",
        "en": "rejected: line {line}, column {column}, value {value!r}: {reason}",
    },
    # Reasons, as codes in the JSON report and as text on the page.
    "ingest.reason.not_a_number": {"zh": "不是数字", "en": "not a number"},
    "ingest.reason.not_an_integer": {"zh": "不是整数", "en": "not a whole number"},
    "ingest.reason.not_a_rating": {"zh": "不是 1–5 星或好评/中评/差评", "en": "not a 1–5 rating or 好评/中评/差评"},
    "ingest.reason.not_a_boolean": {"zh": "不是 是/否", "en": "not yes/no"},
    "ingest.reason.not_a_date": {"zh": "不是日期时间", "en": "not a date"},
    "ingest.reason.damaged_id": {"zh": "编号已被 Excel 损坏（科学计数法）", "en": "id damaged by Excel (scientific notation)"},
    "ingest.reason.masked_id": {"zh": "编号被打码", "en": "masked id"},
    "ingest.reason.missing_key": {"zh": "缺少主键", "en": "missing key"},
    "ingest.reason.malformed_row": {"zh": "列数不对", "en": "wrong number of fields"},
    "ingest.reason.float_id_fixed": {"zh": "编号是浮点写法（如 17850.0），已存为整数", "en": "id written as a float (17850.0), stored as 17850"},
    "ingest.reason.damaged_id_nulled": {"zh": "编号已损坏，已置空，不参与客户分层", "en": "damaged ids stored as empty, kept out of the ladder"},
    "ingest.reason.masked_id_nulled": {"zh": "编号被打码，已置空", "en": "masked ids stored as empty"},
    "ingest.reason.ambiguous_dates_month_first": {
        "zh": "日期既可按日/月也可按月/日理解，已按月/日（美式）读取",
        "en": "dates fit both day-first and month-first; read as month-first",
    },
    "ingest.reason.rejections_truncated": {"zh": "拒绝行太多，只列出前 1000 行", "en": "too many rejections; only the first 1000 are listed"},
}
