"""Texts of the summary command and the overview's plain-words lines."""

TEXTS = {
    "summary.bad_week": {"zh": "不是 ISO 周（应为 2026-W47 这样的格式）：{week}",
                         "en": "Not an ISO week (expected like 2026-W47): {week}"},
    "summary.no_db": {"zh": "找不到数据库：{path}", "en": "No database at {path}"},
}
