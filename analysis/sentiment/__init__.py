"""Review sentiment (docs/design.md "Metrics"): scorers, cache, store models, metrics.

Importing this package loads neither jieba, snownlp, scikit-learn nor pandas: each public
name is imported from its module on first use, so ``python -m analysis sentiment`` and the
pages' cold start pay only for what they call.
"""

from __future__ import annotations

import importlib

_PUBLIC = {
    "score_texts": "model",
    "is_no_text": "normalise",
    "text_status": "normalise",
    "score_reviews": "cache",
    "choose_model": "cache",
    "train_store_model": "cache",
    "model_overview": "overview",
    "model_changes": "metrics",
    "reviews_summary": "metrics",
    "weekly_bands": "metrics",
    "newest_reviews": "metrics",
    "mismatch_queue": "metrics",
    "aspect_counts": "aspects",
    "aspect_trend": "aspects",
    "per_item": "aspects",
    "negative_keywords": "aspects",
    "bands_figure": "figures",
    "aspects_figure": "figures",
    "aspect_trend_figure": "figures",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
