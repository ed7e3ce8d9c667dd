"""Store models from the store's own stars, trained and chosen automatically.

After an import or ``score`` (:func:`analysis.sentiment.cache.score_reviews`), each shop's
rated reviews with Chinese text are read: 1–2★ negative, 4–5★ positive (3★, placeholders
and other languages left out). One text in five (by the md5 of the text, so a text repeated
in many reviews is never on both sides, and a review keeps its side as the store grows) is
held out; the rest trains and calibrates.

- With at least :data:`MIN_PER_CLASS` reviews of each class, a store model is trained on
  the shop's reviews (on all shops' together for a shop with fewer, when the pool has
  enough). The threshold comes from the learning curve of ``bench/sentiment.py --curve``
  (store vs stock AUC on 876–2,409 held-out waimai reviews, 8 draws per size): at 10 %
  negatives the store model was better in 25 % of draws trained on 20 negatives, 50 % on
  30, 100 % from 49 (+0.02 AUC) and 79 (+0.05); at 67 % negatives, 88 % with 34 of the
  minority class and 100 % from 67. 100 of each class leaves 80 to train on and 20 to hold
  out, past the point where a store model reliably wins, with a held-out part that can
  tell; the held-out comparison still decides.
- It is the average of :data:`FOLDS` models each fitted without one fold of the training
  reviews, and is calibrated on the scores each review got from the model that did not see
  it (:func:`analysis.sentiment.ngram.cross_fit`); the stock model is calibrated on its
  scores of the same reviews. Both are measured on the held-out fifth, and the store model
  is used only when its AUC there is higher.
- With at least :data:`MIN_CALIBRATION_PER_CLASS` of each class but too few to train, the
  stock model is calibrated on the shop's (else all shops') ratings; with fewer, it keeps
  its corpus calibration.

A scope is trained again only when its rated reviews changed by :data:`RETRAIN_CHANGE` or
more since its last training (or the stock model changed), so a nightly import does not
retrain, rescore and redraw the trend every night.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

import numpy as np
import pandas as pd

from analysis import settings
from analysis.sentiment import calibration, ngram, parallel, registry, stock
from analysis.sentiment import model as models
from analysis.sentiment.normalise import CHINESE, normalise, status_of_normalised

MIN_PER_CLASS = 100
# The anchor is a quantile at the share of 1–2★: from 30 negatives (300 reviews at a 10 %
# share) its sampling error is under two points, which the three-point target allows.
MIN_CALIBRATION_PER_CLASS = 30
RETRAIN_CHANGE = 0.25
HOLD_OUT_EVERY = 5
FOLDS = 5
# The negative threshold every calibration is anchored on: the setting moves the band on
# one fixed scale instead of re-anchoring it (which would make the setting do nothing).
ANCHOR = stock.DEFAULT_THRESHOLD
log = logging.getLogger(__name__)

# 1–2★ negative, 4–5★ positive; 3★ and reviews without a rating say nothing either way.
LABELLED_REVIEWS_SQL = """
SELECT shop, content, rating >= 4 AS positive
FROM reviews
WHERE rating IN (1, 2, 4, 5) AND content IS NOT NULL
ORDER BY shop, md5(content), review_key
"""

SHOPS_SQL = "SELECT DISTINCT shop FROM reviews ORDER BY shop"

AUDIT_SQL = """
INSERT INTO audit_log VALUES (current_localtimestamp(), $actor, NULL, 'sentiment_model',
                              $what, $rows, $detail)
"""


def labelled(con) -> pd.DataFrame:
    """Every rated review with Chinese text to learn from.

    Returns
    -------
    pandas.DataFrame
        ``shop, text`` (normalised), ``positive`` (4–5★), ``group`` (md5 of the text, as
        an integer) and ``held_out`` (one group in :data:`HOLD_OUT_EVERY`).
    """
    rows = con.execute(LABELLED_REVIEWS_SQL).fetchall()
    return frame([r[0] for r in rows], [r[1] for r in rows], [bool(r[2]) for r in rows])


def frame(shops: list, texts: list[str | None], positive: list[bool]) -> pd.DataFrame:
    """:func:`labelled`'s rows from raw texts and labels: texts normalised, those with
    nothing to score or not in Chinese left out, groups and the held-out fifth assigned.

    Parameters
    ----------
    shops, texts, positive : list
        One entry per review.

    Returns
    -------
    pandas.DataFrame
        ``shop, text, positive, group, held_out``.
    """
    rows = []
    for shop, content, label in zip(shops, texts, positive):
        text = normalise(content)
        if status_of_normalised(text) == CHINESE:
            rows.append((shop, text, bool(label)))
    df = pd.DataFrame(rows, columns=["shop", "text", "positive"])
    df["group"] = [int(hashlib.md5(t.encode()).hexdigest()[:12], 16) for t in df["text"]]
    df["held_out"] = df["group"] % HOLD_OUT_EVERY == 0
    return df


def class_counts(df: pd.DataFrame) -> dict:
    """shop -> (negative, positive) reviews; key None: all shops together."""
    out = {None: (int((~df["positive"]).sum()), int(df["positive"].sum()))}
    for shop, part in df.groupby("shop", sort=True, dropna=False):
        out[shop] = (int((~part["positive"]).sum()), int(part["positive"].sum()))
    return out


def plan(counts: dict, shops: list) -> dict:
    """What to make from which reviews.

    Parameters
    ----------
    counts : dict
        :func:`class_counts`.
    shops : list
        Every shop with reviews.

    Returns
    -------
    dict
        ``{"store": [scopes], "calibration": [scopes], "model_scope": {shop: scope},
        "calibration_scope": {shop: scope}}``: a scope is a shop, or None for all shops
        together; a shop missing from ``model_scope`` has no store model to use, one
        missing from ``calibration_scope`` keeps the stock model's corpus calibration.
    """
    def enough(scope, minimum):
        return min(counts.get(scope, (0, 0))) >= minimum

    rated = [s for s in shops if s in counts and sum(counts[s])]
    # One shop with ratings: its reviews are all the reviews; they serve every shop.
    own = [s for s in rated if len(rated) > 1]
    store = [s for s in own if enough(s, MIN_PER_CLASS)]
    model_scope = {s: s for s in store}
    if enough(None, MIN_PER_CLASS) and any(s not in model_scope for s in shops):
        store.append(None)
        model_scope.update({s: None for s in shops if s not in model_scope})
    cal = [s for s in own if s not in model_scope and enough(s, MIN_CALIBRATION_PER_CLASS)]
    calibration_scope = {**{s: s for s in cal}, **model_scope}
    if (None not in store and enough(None, MIN_CALIBRATION_PER_CLASS)
            and any(s not in calibration_scope for s in shops)):
        cal.append(None)
        calibration_scope.update({s: None for s in shops if s not in calibration_scope})
    return {"store": store, "calibration": cal, "model_scope": model_scope,
            "calibration_scope": calibration_scope}


def evaluate(raw, prob, positive, *, negative_below: float) -> dict:
    """Held-out figures of one model: ``auc`` (None without both classes), ``accuracy``
    (probability above 0.5 for 4–5★, below for 1–2★) and ``negative_share`` (share below
    the negative threshold, to compare with the share of 1–2★)."""
    from sklearn.metrics import roc_auc_score  # lazy: scikit-learn takes seconds to import

    y = np.asarray(positive, dtype=bool)
    if len(y) == 0:
        return {"auc": None, "accuracy": None, "negative_share": None}
    prob = np.asarray(prob, dtype=float)
    auc = float(roc_auc_score(y, raw)) if 0 < y.sum() < len(y) else None
    return {"auc": auc, "accuracy": float(((prob > 0.5) == y).mean()),
            "negative_share": float((prob < negative_below).mean())}


def scope_label(scope) -> str:
    """How a scope is written in a model's ``calibrated_on``: the shop, or ``*`` for all."""
    return "*" if scope is None else str(scope)


def train_scope(df: pd.DataFrame, scope, *, store: bool, negative_below: float) -> dict:
    """Calibrate the stock model, and with ``store`` train a store model, on one scope's
    rated reviews; measure both on its held-out fifth.

    Parameters
    ----------
    df : pandas.DataFrame
        :func:`labelled` rows of the scope.
    scope : str or None
    store : bool
    negative_below : float
        The threshold the held-out negative share is read at.

    Returns
    -------
    dict
        ``metrics`` (what :func:`registry.save` keeps), ``stock`` and ``store`` scorers
        (``store`` None without training).
    """
    started = time.perf_counter()
    y = df["positive"].to_numpy(dtype=bool)
    held = df["held_out"].to_numpy(dtype=bool)
    train = ~held
    counts = parallel.hashed(df["text"].tolist())
    base = models.stock_scorer()
    raw_stock = base.model.raw_hashed(counts)
    stock_scorer = base.recalibrated(
        calibration.fit_anchored(raw_stock[train], y[train], threshold=ANCHOR),
        scope_label(scope))
    figures = {"stock": evaluate(raw_stock[held],
                                 stock_scorer.calibration.probability(raw_stock[held]),
                                 y[held], negative_below=negative_below),
               "store": None}
    store_scorer = None
    if store:
        groups = df["group"].to_numpy()[train]
        fitted, oof = ngram.cross_fit(counts[train], y[train], groups, folds=FOLDS)
        store_scorer = models.NgramScorer(
            models.STORE, fitted, calibration.fit_anchored(oof, y[train], threshold=ANCHOR),
            calibrated_on=scope_label(scope))
        raw = fitted.raw_hashed(counts[held])
        figures["store"] = evaluate(raw, store_scorer.calibration.probability(raw), y[held],
                                    negative_below=negative_below)
    better = (figures["store"] is not None and figures["store"]["auc"] is not None
              and figures["stock"]["auc"] is not None
              and figures["store"]["auc"] > figures["stock"]["auc"])
    metrics = {
        "scope": scope, "negative": int((~y).sum()), "positive": int(y.sum()),
        "train": int(train.sum()), "held_out": int(held.sum()),
        "held_out_negative_share": float((~y[held]).mean()) if held.any() else None,
        **figures, "winner": models.STORE if better else models.STOCK,
        "negative_below": negative_below, "stock_model": stock.stock_id(),
        "seconds": round(time.perf_counter() - started, 2),
    }
    return {"metrics": metrics, "stock": stock_scorer, "store": store_scorer}


def _previous(con, scope) -> dict | None:
    model_id = registry.latest(con, models.STOCK, scope)
    return None if model_id is None else registry.metrics_of(con, model_id)


def _is_current(prev: dict | None, n_rated: int, want_store: bool) -> bool:
    if prev is None or prev.get("stock_model") != stock.stock_id():
        return False
    if (prev.get("store") is not None) != want_store:
        return False
    before = prev["negative"] + prev["positive"]
    return abs(n_rated - before) < RETRAIN_CHANGE * before


def _log(con, result: dict, actor: str | None) -> None:
    """Every training in the process log; a store model also in the audit log (who trained
    what on how many reviews, and what it measured), as a calibration changes no model."""
    m = result["metrics"]
    n = m["negative"] + m["positive"]
    log.info("sentiment %s of %s on %d rated reviews: stock AUC %s, store AUC %s, using %s",
             "store model" if m["store"] else "stock calibration", scope_label(m["scope"]), n,
             m["stock"]["auc"], (m["store"] or {}).get("auc"), m["winner"])
    if m["store"] is not None:
        con.execute(AUDIT_SQL, {"actor": actor or "system", "rows": n,
                                "what": scope_label(m["scope"]),
                                "detail": json.dumps(m, ensure_ascii=False, default=str)})


def refresh_models(con, *, force: bool = False, actor: str | None = None,
                   progress=None) -> dict:
    """Train or calibrate what the store's ratings allow, where it is due, and keep it.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Read-write.
    force : bool
        Train every scope again, due or not (``train-sentiment``, the page's button).
    actor : str, optional
        Who asked, for the audit log (default ``system``).
    progress : callable(fraction, message), optional

    Returns
    -------
    dict
        ``{"plan": plan(...), "counts": class_counts(...), "trained": [metrics, …],
        "scopes": {scope: {"metrics", "stock", "store"}}}``: ``stock``/``store`` are model
        ids (``store`` None when the scope has no store model).
    """
    df = labelled(con)
    shops = [r[0] for r in con.execute(SHOPS_SQL).fetchall()]
    counts = class_counts(df)
    p = plan(counts, shops)
    negative_below = float(settings.get(con, "sentiment.negative_below"))
    todo = [(s, True) for s in p["store"]] + [(s, False) for s in p["calibration"]]
    scopes, trained = {}, []
    for i, (scope, want_store) in enumerate(todo):
        part = df if scope is None else df[df["shop"] == scope]
        prev = _previous(con, scope)
        if not force and _is_current(prev, len(part), want_store):
            scopes[scope] = {"metrics": prev, "stock": registry.latest(con, models.STOCK, scope),
                             "store": registry.latest(con, models.STORE, scope)
                             if want_store else None}
            continue
        if progress is not None:
            progress(i / len(todo), scope_label(scope))
        result = train_scope(part, scope, store=want_store, negative_below=negative_below)
        stock_id = registry.save(con, result["stock"], scope=scope, metrics=result["metrics"])
        store_id = (registry.save(con, result["store"], scope=scope, metrics=result["metrics"])
                    if result["store"] is not None else None)
        _log(con, result, actor)
        scopes[scope] = {"metrics": result["metrics"], "stock": stock_id, "store": store_id}
        trained.append(result["metrics"])
    return {"plan": p, "counts": counts, "trained": trained, "scopes": scopes}


def targets(con, refreshed: dict, choice: str) -> dict:
    """shop -> (model id, reason) each shop should use under the ``sentiment.model`` choice.

    Reasons: ``store_better``, ``stock_better`` (the held-out comparison decided),
    ``too_few`` (no store model for the shop), ``pinned`` (an operator's choice), and
    ``no_store_model`` (``store`` pinned where there is none: the stock model instead).
    """
    p, scopes = refreshed["plan"], refreshed["scopes"]
    out = {}
    for shop in [r[0] for r in con.execute(SHOPS_SQL).fetchall()]:
        # A shop missing from a plan's map has no such scope (None is a scope: all shops).
        stock_id = (scopes[p["calibration_scope"][shop]]["stock"]
                    if shop in p["calibration_scope"] else stock.stock_id())
        entry = scopes[p["model_scope"][shop]] if shop in p["model_scope"] else None
        store_id = entry["store"] if entry else None
        if choice == models.SNOWNLP:
            out[shop] = (models.snownlp_scorer().id, "pinned")
        elif choice == models.STOCK:
            out[shop] = (stock_id, "pinned")
        elif choice == models.STORE:
            out[shop] = (store_id, "pinned") if store_id else (stock_id, "no_store_model")
        elif store_id is None:
            out[shop] = (stock_id, "too_few")
        elif entry["metrics"]["winner"] == models.STORE:
            out[shop] = (store_id, "store_better")
        else:
            out[shop] = (stock_id, "stock_better")
    return out
