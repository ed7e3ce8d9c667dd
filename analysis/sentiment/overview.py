"""What the 模型 section shows: per shop, the model its figures use and why, how many rated
reviews it has against the thresholds, and both models' figures on its held-out reviews."""

from __future__ import annotations

import datetime as dt

from analysis import settings
from analysis.sentiment import registry, stock, training

CORPUS = "corpus"


def _stock_built_at() -> dt.datetime | None:
    path = stock.cache_path()
    return dt.datetime.fromtimestamp(path.stat().st_mtime) if path.is_file() else None


def model_overview(con) -> dict:
    """The models of the store, shop by shop.

    Returns
    -------
    dict
        ``choice`` (setting ``sentiment.model``), ``min_per_class`` and
        ``min_calibration_per_class`` (the thresholds), ``stock_built_at`` (when this
        machine built the stock model; None before), and ``shops``: one dict per shop with
        ``shop, model, kind, reason, activated_at`` (None before its reviews were first
        scored), ``negative, positive`` (its 1–2★ and 4–5★ reviews with Chinese text),
        ``scope`` (whose reviews its figures come from: the shop, None for all shops, or
        ``corpus``), ``figures`` (what :func:`training.train_scope` measured there, with
        ``trained_at``; None for the corpus) and ``has_store_model``.
    """
    counts = training.class_counts(training.labelled(con))
    shops = [r[0] for r in con.execute(training.SHOPS_SQL).fetchall()]
    p = training.plan(counts, shops)
    now = {r["shop"]: r for r in registry.active_table(con).to_dict("records")}
    reasons = {}
    for r in registry.history(con).to_dict("records"):
        reasons[r["shop"]] = r["reason"]
    rows = []
    for shop in shops:
        scope = p["model_scope"].get(shop, p["calibration_scope"].get(shop, CORPUS))
        figures = None
        if scope != CORPUS:
            model_id = registry.latest(con, "stock", scope)
            figures = registry.metrics_of(con, model_id) if model_id else None
        act = now.get(shop, {})
        rows.append({
            "shop": shop, "model": act.get("model"), "kind": act.get("kind"),
            "reason": reasons.get(shop), "activated_at": act.get("activated_at"),
            "negative": counts.get(shop, (0, 0))[0], "positive": counts.get(shop, (0, 0))[1],
            "scope": scope, "figures": figures,
            "has_store_model": shop in p["model_scope"],
        })
    return {"choice": str(settings.get(con, "sentiment.model")),
            "min_per_class": training.MIN_PER_CLASS,
            "min_calibration_per_class": training.MIN_CALIBRATION_PER_CLASS,
            "stock_built_at": _stock_built_at(), "shops": rows}
