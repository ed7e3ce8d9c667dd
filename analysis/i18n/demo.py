"""Texts of the demo-data generator (``python -m analysis demo``)."""

TEXTS = {
    "demo.bad_end": {
        "zh": "结束日期应为 YYYY-MM-DD 格式，例如 2026-11-30，而不是 {value}。",
        "en": "The end date must look like YYYY-MM-DD, e.g. 2026-11-30, not {value}.",
    },
    "demo.customers_range": {
        "zh": "演示顾客数应在 {low} 到 {high} 之间，而不是 {value}。",
        "en": "The number of demo customers must be between {low} and {high}, not {value}.",
    },
}
