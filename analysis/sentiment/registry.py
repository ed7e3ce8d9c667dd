"""The models a database keeps and which one each shop's figures use.

``sentiment_models`` keeps each store model (its weights) and each store calibration of the
stock model (three numbers and the id of the stock build), with the figures measured when
it was made; the stock model with its corpus calibration and snownlp's model need no row
(they are rebuilt from the packages). ``sentiment_active`` says, per shop, which model id
the ``review_sentiment`` view joins: a new row is written only after every text of the
shop has that model's score, so the pages never see a model half scored.
"""

from __future__ import annotations

import json

import pandas as pd

from analysis.errors import UserError
from analysis.sentiment import bayes, stock
from analysis.sentiment import model as models

INSERT_MODEL_SQL = """
INSERT INTO sentiment_models (model, trained_at, payload, metrics, kind, scope)
SELECT $model, current_localtimestamp(), $payload, $metrics, $kind, $scope
WHERE NOT EXISTS (SELECT 1 FROM sentiment_models WHERE model = $model)
"""

MODEL_ROW_SQL = """
SELECT payload, kind, trained_at FROM sentiment_models WHERE model = $model
ORDER BY trained_at DESC LIMIT 1
"""

# The newest model of a kind made from a scope's reviews (NULL scope: all shops together).
LATEST_OF_SCOPE_SQL = """
SELECT model FROM sentiment_models
WHERE kind = $kind AND scope IS NOT DISTINCT FROM CAST($scope AS VARCHAR)
ORDER BY trained_at DESC, model LIMIT 1
"""

LATEST_STORE_SQL = """
SELECT model FROM sentiment_models WHERE kind = 'store'
ORDER BY scope IS NOT NULL, trained_at DESC, model LIMIT 1
"""

ACTIVE_SQL = """
SELECT shop, arg_max(model, seq) AS model, arg_max(kind, seq) AS kind,
       arg_max(activated_at, seq) AS activated_at
FROM sentiment_active GROUP BY shop ORDER BY shop
"""

HISTORY_SQL = """
SELECT seq, shop, model, kind, choice, reason, activated_at, data_week
FROM sentiment_active
WHERE CAST($shop AS VARCHAR) IS NULL OR shop = CAST($shop AS VARCHAR)
ORDER BY seq
"""

INSERT_ACTIVE_SQL = """
INSERT INTO sentiment_active
SELECT coalesce((SELECT max(seq) FROM sentiment_active), 0) + 1, $shop, $model, $kind,
       $choice, $reason, current_localtimestamp(),
       (SELECT iso_week_label(max(review_time)) FROM reviews
        WHERE shop IS NOT DISTINCT FROM CAST($shop AS VARCHAR))
"""


def save(con, scorer: models.NgramScorer, *, scope: str | None, metrics: dict) -> str:
    """Keep a store model or a store calibration of the stock model (once per id).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Read-write.
    scorer : NgramScorer
    scope : str or None
        The shop whose reviews made it; None for all shops together.
    metrics : dict
        What was measured (shown on the 模型 section).

    Returns
    -------
    str
        The model id.
    """
    scorer.metrics = metrics
    con.execute(INSERT_MODEL_SQL, {
        "model": scorer.id, "payload": scorer.payload(with_weights=scorer.kind == models.STORE),
        "metrics": json.dumps(metrics, ensure_ascii=False, default=str), "kind": scorer.kind,
        "scope": scope})
    return scorer.id


def load(con, model_id: str) -> models.Scorer:
    """The scorer of a model id: the stock model with its corpus calibration and snownlp's
    model from the packages, any other from the database.

    Raises
    ------
    UserError
        ``reviews.error.no_store_model`` when the database does not have it.
    """
    if model_id == stock.stock_id():
        return models.stock_scorer()
    if model_id == bayes.snownlp_id():
        return models.snownlp_scorer()
    row = con.execute(MODEL_ROW_SQL, {"model": model_id}).fetchone()
    if row is None or row[1] not in models.KINDS:
        raise UserError("reviews.error.no_store_model")
    return models.from_payload(bytes(row[0]), name=model_id)


def latest(con, kind: str, scope: str | None) -> str | None:
    """The newest model id of ``kind`` made from ``scope``'s reviews, if any."""
    row = con.execute(LATEST_OF_SCOPE_SQL, {"kind": kind, "scope": scope}).fetchone()
    return row[0] if row else None


def latest_store(con) -> models.Scorer:
    """The store model last trained on all the database's reviews (else on one shop's):
    what ``sentiment --model store`` reads.

    Raises
    ------
    UserError
        When none has been trained.
    """
    row = con.execute(LATEST_STORE_SQL).fetchone()
    if row is None:
        raise UserError("reviews.error.no_store_model")
    return load(con, row[0])


def active(con) -> dict:
    """shop -> the model id its figures use (shops that have one)."""
    return {shop: m for shop, m, _kind, _at in con.execute(ACTIVE_SQL).fetchall()}


def active_table(con) -> pd.DataFrame:
    """``shop, model, kind, activated_at``: each shop's model now."""
    return con.execute(ACTIVE_SQL).df()


def history(con, shop: str | None = None) -> pd.DataFrame:
    """Every change of model, oldest first: ``seq, shop, model, kind, choice, reason,
    activated_at, data_week`` (``data_week``: the ISO week of the shop's latest review at
    the change, where the trend charts mark it)."""
    return con.execute(HISTORY_SQL, {"shop": shop}).df()


def activate(con, shop: str | None, model_id: str, *, choice: str, reason: str) -> bool:
    """Make ``model_id`` the model of ``shop`` (its scores must be in the cache already);
    whether anything changed."""
    if active(con).get(shop) == model_id:
        return False
    con.execute(INSERT_ACTIVE_SQL, {"shop": shop, "model": model_id,
                                    "kind": model_id.split("-")[0], "choice": choice,
                                    "reason": reason})
    return True


def scorer_for(con, spec: str, *, shop: str | None = None) -> models.Scorer:
    """The scorer ``store`` (:func:`latest_store`), ``auto`` (the model ``shop`` uses; without
    a shop, the one most shops use; the stock model before any was chosen) or a model id
    names in this database."""
    if spec == models.STORE:
        return latest_store(con)
    if spec == models.AUTO:
        now = active(con)
        if shop is not None and shop in now:
            return load(con, now[shop])
        if not now:
            return models.stock_scorer()
        # The model most shops use (ties: the lowest id, so the answer never wavers).
        ids = sorted(now.values())
        return load(con, max(ids, key=ids.count))
    return load(con, spec)


def metrics_of(con, model_id: str) -> dict | None:
    """The figures kept with a model (None for the package models)."""
    row = con.execute("SELECT metrics, trained_at FROM sentiment_models WHERE model = ? "
                      "ORDER BY trained_at DESC LIMIT 1", [model_id]).fetchone()
    if row is None:
        return None
    return {**json.loads(row[0]), "trained_at": row[1]}
