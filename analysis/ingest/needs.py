"""What each page needs from a file, and what a preview should warn about before importing.

An operator sees, before pressing 导入, which figures the file can feed: an order export
with no buyer column imports fine but leaves the ladder empty, and saying so up front
beats an all-zero overview.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.ingest.aliases import REQUIRED
from analysis.ingest.history import CONFIRMATION_WORDS

# kind -> [(need, groups)]: the need is met when each group has one of its columns mapped.
NEEDS: dict[str, list[tuple[str, tuple[tuple[str, ...], ...]]]] = {
    "orders": [
        ("sales", (("paid_amount",), ("pay_time", "order_time"))),
        ("ladder", (("customer_id",), ("pay_time", "order_time"))),
        ("high_end", (("unit_price", "paid_amount"),)),
        ("call_list", (("signed_time",), ("customer_id",), ("phone",))),
        ("thank_you", (("pay_time",), ("ship_time",))),
    ],
    "order_items": [("high_end", (("unit_price",),))],
    "reviews": [
        ("sentiment", (("content",),)),
        ("stars_check", (("rating",), ("content",))),
        ("reviewer", (("customer_id", "order_id"),)),
        ("review_weeks", (("review_time",),)),
    ],
    "tickets": [
        ("complaint_speed", (("opened_at",), ("resolved_at", "status"))),
        ("first_response", (("opened_at",), ("first_response_at",))),
        ("review_paths", (("customer_id", "order_id"), ("opened_at",))),
    ],
    "contacts": [("lower_rungs", (("customer_id",),))],
}

_CJK = re.compile(r"[\u4e00-\u9fff]")


def required_columns(kind: str) -> set[str]:
    """Canonical columns that can meet the kind's key requirement (marked as required)."""
    return {c for group in REQUIRED[kind] for c in group}


def checklist(kind: str, mapping: dict[str, str]) -> list[dict]:
    """Each need of ``kind`` as {need, ok, missing}; ``missing`` lists the unmet groups, each
    a list of the canonical columns any one of which would meet it."""
    mapped = set(mapping.values())
    out = []
    for need, groups in NEEDS[kind]:
        missing = [list(g) for g in groups if not mapped & set(g)]
        out.append({"need": need, "ok": not missing, "missing": missing})
    return out


def preview_warnings(kind: str, mapping: dict[str, str], sample: pd.DataFrame) -> list[dict]:
    """Warnings a preview shows: {reason, column}.

    ``no_buyer`` (orders, reviews, tickets without a buyer column), ``no_rating`` (reviews),
    ``not_chinese`` (most sampled review texts have no Chinese characters), and
    ``signed_is_confirmation`` (the delivery time is the confirmation time).
    """
    source_of = {c: s for s, c in mapping.items()}
    out = []
    if kind in ("orders", "reviews", "tickets") and "customer_id" not in source_of:
        out.append({"reason": "no_buyer", "column": None})
    if kind == "reviews" and "rating" not in source_of:
        out.append({"reason": "no_rating", "column": None})
    if kind == "reviews" and "content" in source_of and source_of["content"] in sample:
        texts = [t for t in sample[source_of["content"]].dropna().astype(str) if t.strip()]
        if texts and sum(1 for t in texts if not _CJK.search(t)) * 2 > len(texts):
            out.append({"reason": "not_chinese", "column": source_of["content"]})
    if kind == "orders" and "signed_time" in source_of \
            and any(w in source_of["signed_time"] for w in CONFIRMATION_WORDS):
        out.append({"reason": "signed_is_confirmation", "column": source_of["signed_time"]})
    return out


def group_rejections(rejections: list[dict]) -> pd.DataFrame:
    """Rejections grouped by reason and column: reason, column, count, first lines."""
    if not rejections:
        return pd.DataFrame(columns=["reason", "column", "count", "lines"])
    df = pd.DataFrame(rejections)
    df["reason"] = df["reason"].astype(str).str.split(":").str[0]
    df["column"] = df["column"].fillna("")
    grouped = (df.groupby(["reason", "column"], sort=False)
               .agg(count=("reason", "size"),
                    lines=("line", lambda s: ", ".join(str(v) for v in s.dropna().head(5))))
               .reset_index().sort_values("count", ascending=False, kind="stable"))
    return grouped.reset_index(drop=True)
