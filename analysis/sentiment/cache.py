"""Scoring the database's reviews incrementally into ``sentiment_scores``, with each shop's
model.

The cache key is (model id, md5 of the raw text) — the same key the ``review_sentiment``
view joins on (schema.review_sentiment_sql) — so a text already scored by a model is never
scored by it again, whichever review, import or re-upload it comes from. Main texts and
追评 are separate texts with separate keys. The clauses of texts that may be complaints and
name an aspect (物流, 包装 …) are scored too, by the stock model under their own md5: the
aspect tables count an aspect only where the clause naming it reads as a complaint
(:mod:`analysis.sentiment.aspects`).

:func:`score_reviews` is the step that runs after every write of reviews (an import, the
``score`` command, the demo): it trains or calibrates the store's models where that is due
(:func:`analysis.sentiment.training.refresh_models`), scores what each shop's chosen model
has not scored, and only then points the shop at the model (``sentiment_active``), so the
pages use the previous model until the new one is complete.
"""

from __future__ import annotations

import time

from analysis import ladder_store, settings
from analysis.errors import UserError
from analysis.sentiment import parallel, registry, stock, training
from analysis.sentiment import model as models
from analysis.sentiment.aspects import clauses_sql, lexicon_params
from analysis.sentiment.normalise import NO_TEXT, NOT_CHINESE

CHUNK = 2000
BIG_CHUNK = 25_000

# Distinct texts (main review and 追评) of some shops that a model has not scored yet. An
# absent main text is the empty text, as in the view's md5(coalesce(content, '')).
UNSCORED_TEXTS_SQL = """
WITH picked AS (SELECT * FROM reviews WHERE list_contains($shops, coalesce(shop, ''))),
texts AS (
    SELECT md5(coalesce(content, '')) AS text_hash, coalesce(content, '') AS text FROM picked
    UNION ALL
    SELECT md5(followup_content), followup_content FROM picked
    WHERE followup_content IS NOT NULL
),
distinct_texts AS (
    SELECT text_hash, any_value(text) AS text FROM texts GROUP BY text_hash
)
SELECT t.text_hash, t.text
FROM distinct_texts t
ANTI JOIN (SELECT text_hash FROM sentiment_scores WHERE model = $model) s
       ON s.text_hash = t.text_hash
ORDER BY t.text_hash
"""

# The clauses naming an aspect, of texts that can make a negative review (1–2★, or no
# stars), not yet scored by the model.
UNSCORED_CLAUSES_SQL = f"""
WITH picked AS (
    SELECT content, followup_content FROM reviews
    WHERE list_contains($shops, coalesce(shop, '')) AND (rating IS NULL OR rating <= 2)
),
clauses AS (
    SELECT DISTINCT unnest({clauses_sql("content")}) AS clause FROM picked
    UNION
    SELECT DISTINCT unnest({clauses_sql("followup_content")}) FROM picked
),
named AS (
    SELECT clause FROM clauses
    WHERE list_bool_or(list_transform($keywords, lambda k: contains(clause, k)))
)
SELECT md5(clause) AS text_hash, clause
FROM named
ANTI JOIN (SELECT text_hash FROM sentiment_scores WHERE model = $model) s
       ON s.text_hash = md5(named.clause)
ORDER BY text_hash
"""

CACHED_COUNT_SQL = """
SELECT count(DISTINCT text_hash) FROM sentiment_scores
WHERE model = $model AND text_hash IN (
    SELECT md5(coalesce(content, '')) FROM reviews WHERE list_contains($shops, coalesce(shop, ''))
    UNION SELECT md5(followup_content) FROM reviews
    WHERE followup_content IS NOT NULL AND list_contains($shops, coalesce(shop, '')))
"""

INSERT_SCORES_SQL = """
INSERT INTO sentiment_scores (model, text_hash, score, no_text, scored_at)
SELECT $model, text_hash, score, no_text, current_localtimestamp()
FROM (SELECT unnest(CAST($hashes AS VARCHAR[])) AS text_hash,
             unnest(CAST($scores AS DOUBLE[])) AS score,
             unnest(CAST($no_text AS BOOLEAN[])) AS no_text)
"""


def active_model(con) -> str:
    """The operator's choice of model (setting ``sentiment.model``: auto, stock, store or
    snownlp)."""
    return str(settings.get(con, "sentiment.model"))


def _store(con, model_id: str, scorer, rows: list, progress, done: int, total: int) -> dict:
    """Score ``rows`` of (hash, text) and insert them; counts by outcome."""
    n = {"scored": 0, "no_text": 0, "not_chinese": 0}
    chunk = BIG_CHUNK if len(rows) >= parallel.MIN_BATCH else CHUNK
    for begin in range(0, len(rows), chunk):
        part = rows[begin:begin + chunk]
        statuses, scores = scorer.score_all([text for _, text in part])
        con.execute(INSERT_SCORES_SQL, {
            "model": model_id, "hashes": [h for h, _ in part], "scores": scores,
            "no_text": [s == NO_TEXT for s in statuses]})
        for s in statuses:
            key = "no_text" if s == NO_TEXT else "not_chinese" if s == NOT_CHINESE else "scored"
            n[key] += 1
        if progress is not None:
            progress(min((done + begin + len(part)) / total, 1.0),
                     f"{done + begin + len(part)}/{total}")
    return n


def _key(shop) -> str:
    # A review without a shop is grouped under '' (list_contains cannot look for NULL).
    return "" if shop is None else shop


def score_reviews(con, *, progress=None, refreshed: dict | None = None,
                  actor: str | None = None) -> dict:
    """Train what is due, score every review text each shop's model has not scored yet,
    then point each shop at its model.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Read-write.
    progress : callable(fraction, message), optional
        Called after each chunk of texts.
    refreshed : dict, optional
        A :func:`training.refresh_models` result already made (else made here).
    actor : str, optional
        Who asked (the audit log's line for a training).

    Returns
    -------
    dict
        ``{model, scored, cached, no_text, not_chinese, seconds}``: the model ids in use
        (comma-separated when shops differ), distinct texts (main and 追评) scored now,
        already in the cache, and found now to have nothing to score or not to be Chinese.
    """
    started = time.perf_counter()
    if refreshed is None:
        refreshed = training.refresh_models(con, actor=actor)
    choice = active_model(con)
    wanted = training.targets(con, refreshed, choice)
    by_model: dict[str, list] = {}
    for shop, (model_id, _reason) in wanted.items():
        by_model.setdefault(model_id, []).append(shop)
    jobs, cached = [], 0
    for model_id, shops in sorted(by_model.items()):
        params = {"model": model_id, "shops": [_key(s) for s in shops]}
        cached += con.execute(CACHED_COUNT_SQL, params).fetchone()[0]
        jobs.append((model_id, con.execute(UNSCORED_TEXTS_SQL, params).fetchall()))
    clause_model = stock.stock_id()
    clauses = con.execute(UNSCORED_CLAUSES_SQL, {
        "model": clause_model, "shops": [_key(s) for s in wanted],
        "keywords": lexicon_params()["keywords"]}).fetchall()
    # A clause that is a whole text (一句话的差评) of the same model is scored once.
    whole = {h for m, texts in jobs if m == clause_model for h, _ in texts}
    clauses = [c for c in clauses if c[0] not in whole]
    total = sum(len(t) for _, t in jobs) + len(clauses)
    counts = {"scored": 0, "no_text": 0, "not_chinese": 0}
    done = 0
    for model_id, texts in jobs:
        if texts:
            scorer = registry.load(con, model_id)
            for k, v in _store(con, model_id, scorer, texts, progress, done, total).items():
                counts[k] += v
            done += len(texts)
    if clauses:  # not review texts: not counted
        _store(con, clause_model, models.stock_scorer(), clauses, progress, done, total)
    if progress is not None and total == 0:
        progress(1.0, "0/0")
    changed = False
    for shop, (model_id, reason) in wanted.items():
        changed |= registry.activate(con, shop, model_id, choice=choice, reason=reason)
    if changed:
        # The stored ladder's stamp does not know which model a shop uses: rebuild it now.
        ladder_store.refresh(con)
    return {
        "model": ", ".join(sorted(by_model)) or None,
        "scored": counts["scored"],
        "cached": cached,
        "no_text": counts["no_text"],
        "not_chinese": counts["not_chinese"],
        "seconds": round(time.perf_counter() - started, 3),
    }


def choose_model(con, choice: str, *, by: str | None = None, progress=None) -> dict:
    """Set the ``sentiment.model`` choice (auto, stock, store, snownlp) and apply it: each
    shop's texts are scored with its model before the shop is pointed at it.

    Returns
    -------
    dict
        :func:`score_reviews`'s counts.
    """
    if choice not in (models.AUTO, *models.KINDS):
        raise ValueError(choice)
    settings.put(con, "sentiment.model", choice, by=by)
    return score_reviews(con, progress=progress, actor=by)


def train_store_model(con, *, out=None, actor: str | None = None) -> dict:
    """Train the store's models now (``train-sentiment``, the page's button), choose each
    shop's model again, and rescore what the choice changed.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Read-write.
    out : path-like, optional
        Also write the store model trained on all shops' reviews (else the only one) to
        exactly this file (``sentiment --model PATH`` reads it).
    actor : str, optional

    Returns
    -------
    dict
        The all-shops scope's figures at the top level (``model, negative, positive, train,
        held_out, held_out_negative_share, store {accuracy, auc, negative_share}, stock {…},
        winner``), ``shops`` (each trained scope's figures), ``out`` and ``rescored``.

    Raises
    ------
    UserError
        With only one class of rated reviews, or fewer than
        :data:`training.MIN_PER_CLASS` of either (in every shop and in all shops together).
    """
    df = training.labelled(con)
    n_neg, n_pos = int((~df["positive"]).sum()), int(df["positive"].sum())
    if len(df) and min(n_neg, n_pos) == 0:
        raise UserError("reviews.error.one_class", negative=n_neg, positive=n_pos)
    refreshed = training.refresh_models(con, force=True, actor=actor)
    if not refreshed["plan"]["store"]:
        raise UserError("reviews.error.too_few_labels", negative=n_neg, positive=n_pos,
                        minimum=training.MIN_PER_CLASS)
    run = score_reviews(con, refreshed=refreshed)
    scopes = refreshed["scopes"]
    top_scope = None if None in refreshed["plan"]["store"] else refreshed["plan"]["store"][0]
    top = scopes[top_scope]
    result = {"model": top["store"], **{k: top["metrics"][k] for k in (
        "negative", "positive", "train", "held_out", "held_out_negative_share", "store",
        "stock", "winner")},
        "shops": {training.scope_label(s): scopes[s]["metrics"]
                  for s in refreshed["plan"]["store"]},
        "out": None, "rescored": run["scored"]}
    if out is not None:
        scorer = registry.load(con, top["store"])
        with open(out, "wb") as f:
            f.write(scorer.payload())
        result["out"] = str(out)
    return result
