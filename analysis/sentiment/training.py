"""The store model: snownlp's Bayes model retrained on the store's own starred reviews."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pandas as pd

from analysis import settings
from analysis.errors import UserError
from analysis.sentiment import cache
from analysis.sentiment import model as models
from analysis.sentiment.normalise import normalise, nothing_to_score

HOLDOUT = 0.2
DEFAULT_SEED = 7

# 1–2★ negative, 4–5★ positive; 3★ and reviews without a rating say nothing either way.
LABELLED_REVIEWS_SQL = """
SELECT content, rating >= 4 AS positive
FROM reviews
WHERE rating IN (1, 2, 4, 5) AND content IS NOT NULL
ORDER BY md5(coalesce(review_key, '') || content)
"""


def auc(labels, scores) -> float | None:
    """Area under the ROC curve (Mann–Whitney, ties counted half); None without both classes.

    Parameters
    ----------
    labels : array-like of bool
        True for the positive class.
    scores : array-like of float
    """
    y = np.asarray(labels, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pd.Series(np.asarray(scores, dtype=float)).rank(method="average").to_numpy()
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def accuracy(labels, scores, threshold: float = 0.5) -> float | None:
    """Share of texts whose score is on the side of ``threshold`` their label says."""
    y = np.asarray(labels, dtype=bool)
    if len(y) == 0:
        return None
    return float(((np.asarray(scores, dtype=float) > threshold) == y).mean())


def labelled_texts(con) -> list[tuple[list[str], bool]]:
    """(words, positive) for every starred review with text to learn from."""
    out = []
    for content, positive in con.execute(LABELLED_REVIEWS_SQL).fetchall():
        text = normalise(content)
        if nothing_to_score(text):
            continue
        out.append((models.cut(text, normalised=True), bool(positive)))
    return out


def evaluate(bayes: models.BayesModel, rows: list[tuple[list[str], bool]], *,
             negative_below: float = 0.4) -> dict:
    """Held-out accuracy, AUC and share in the negative band of a model on
    (words, positive) rows."""
    labels = [p for _, p in rows]
    scores = [bayes.classify_words(words) for words, _ in rows]
    negative = sum(s < negative_below for s in scores) / len(scores) if scores else None
    return {"accuracy": accuracy(labels, scores), "auc": auc(labels, scores),
            "negative_share": negative}


def fit(rows: list[tuple[list[str], bool]], *, bias: float = 0.0,
        name: str = models.STORE) -> models.BayesModel:
    """A Bayes model trained on (words, positive) rows."""
    neg = [w for w, p in rows if not p]
    pos = [w for w, p in rows if p]
    return models.train(neg, pos, name=name, bias=bias)


def fit_calibrated(rows: list[tuple[list[str], bool]], *, negative_below: float = 0.4,
                   seed: int = DEFAULT_SEED) -> models.BayesModel:
    """A Bayes model on all ``rows`` whose negative band (score < ``negative_below``)
    holds the labelled share of negatives: the log-odds bias is read off a model trained
    on 80 % of the rows and applied to the other 20 % (ranking, hence AUC, is unchanged)."""
    sub, cal = split(rows, seed=seed)
    probe = fit(sub)
    odds = sorted(probe.log_odds(words) for words, _ in cal)
    k = sum(not p for _, p in cal)
    if k == 0:
        cut_at = odds[0] - 1
    elif k == len(odds):
        cut_at = odds[-1] + 1
    else:
        cut_at = (odds[k - 1] + odds[k]) / 2
    bias = math.log(negative_below / (1 - negative_below)) - cut_at
    return fit(rows, bias=bias)


def split(rows: list, *, seed: int, holdout: float = HOLDOUT) -> tuple[list, list]:
    """(train, held out): ``holdout`` of each class held out, chosen by ``seed``."""
    rng = random.Random(seed)
    train, test = [], []
    for label in (False, True):
        part = [r for r in rows if r[1] == label]
        rng.shuffle(part)
        k = round(len(part) * holdout)
        test.extend(part[:k])
        train.extend(part[k:])
    return train, test


def train_store_model(con, *, out=None, min_per_class: int = 200,
                      seed: int = DEFAULT_SEED) -> dict:
    """Train the store model on 1–2★ (negative) vs 4–5★ (positive) reviews and store it.

    Placeholders, default reviews, texts with nothing to score and 3★ are left out; 20 %
    of each class is held out and both the new and the stock model are measured on it.
    The stored model is the one measured (trained on the other 80 %). Scores cached for an
    earlier store model are dropped, and rescored at once when the store model is active.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Read-write.
    out : path-like, optional
        Also write the model to exactly this file (``sentiment --model PATH`` reads it).
    min_per_class : int
        Fewest reviews of each class to train on.
    seed : int
        Chooses the held-out reviews.

    Returns
    -------
    dict
        ``{model, negative, positive, train, held_out, held_out_negative_share,
        store {accuracy, auc, negative_share}, stock {…}, bias, out, rescored}``:
        ``negative_share`` is the held-out share scored below the negative threshold,
        to compare with ``held_out_negative_share`` (their 1–2★ share).

    Raises
    ------
    UserError
        With fewer than ``min_per_class`` reviews of either class.
    """
    rows = labelled_texts(con)
    n_neg = sum(not p for _, p in rows)
    n_pos = len(rows) - n_neg
    if min(n_neg, n_pos) < min_per_class:
        raise UserError("reviews.error.too_few_labels", negative=n_neg, positive=n_pos,
                        minimum=min_per_class)
    train, test = split(rows, seed=seed)
    result = {
        "model": models.STORE,
        "negative": n_neg,
        "positive": n_pos,
        "train": len(train),
        "held_out": len(test),
    }
    negative_below = float(settings.get(con, "sentiment.negative_below"))
    bayes = fit_calibrated(train, negative_below=negative_below, seed=seed)
    result["held_out_negative_share"] = sum(not p for _, p in test) / len(test)
    result["store"] = evaluate(bayes, test, negative_below=negative_below)
    result["stock"] = evaluate(models.stock_model(), test, negative_below=negative_below)
    result["bias"] = bayes.bias
    bayes.metrics = dict(result)
    payload = bayes.payload()
    con.execute("DELETE FROM sentiment_models WHERE model = ?", [models.STORE])
    con.execute(
        "INSERT INTO sentiment_models VALUES (?, current_localtimestamp(), ?, ?)",
        [models.STORE, payload, json.dumps(bayes.metrics)],
    )
    cache.forget_scores(con, models.STORE)
    result["out"] = None
    if out is not None:
        with open(out, "wb") as f:
            f.write(payload)
        result["out"] = str(out)
    result["rescored"] = None
    if cache.active_model(con) == models.STORE:
        result["rescored"] = cache.score_reviews(con, model=models.STORE)["scored"]
    return result


def store_model_metrics(con) -> dict | None:
    """The figures measured when the store model was trained (None before any training)."""
    row = con.execute(
        "SELECT metrics, trained_at FROM sentiment_models WHERE model = ? "
        "ORDER BY trained_at DESC LIMIT 1", [models.STORE]
    ).fetchall()
    if not row:
        return None
    return {**json.loads(row[0][0]), "trained_at": row[0][1]}
