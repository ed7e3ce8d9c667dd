"""Scoring the database's reviews incrementally into ``sentiment_scores``.

The cache key is (model id, md5 of the raw text) — the same key the ``review_sentiment``
view joins on (schema.REVIEW_SENTIMENT_VIEW) — so a text already scored by a model is never
scored by it again, whichever review, import or re-upload it comes from. Main texts and
追评 are separate texts with separate keys.
"""

from __future__ import annotations

import time

from analysis import settings
from analysis.sentiment import model as models

CHUNK = 2000

# Distinct texts (main review and 追评) that the model has not scored yet. An absent main
# text is the empty text, as in the view's md5(coalesce(content, '')).
UNSCORED_TEXTS_SQL = """
WITH texts AS (
    SELECT md5(coalesce(content, '')) AS text_hash, coalesce(content, '') AS text FROM reviews
    UNION ALL
    SELECT md5(followup_content), followup_content FROM reviews
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

CACHED_COUNT_SQL = """
SELECT count(DISTINCT text_hash) FROM sentiment_scores
WHERE model = $model AND text_hash IN (
    SELECT md5(coalesce(content, '')) FROM reviews
    UNION SELECT md5(followup_content) FROM reviews WHERE followup_content IS NOT NULL)
"""

INSERT_SCORES_SQL = """
INSERT INTO sentiment_scores (model, text_hash, score, no_text, scored_at)
SELECT $model, text_hash, score, score IS NULL, current_localtimestamp()
FROM (SELECT unnest(CAST($hashes AS VARCHAR[])) AS text_hash,
             unnest(CAST($scores AS DOUBLE[])) AS score)
"""


def active_model(con) -> str:
    """The model id the pages use (setting ``sentiment.model``)."""
    return str(settings.get(con, "sentiment.model"))


def score_reviews(con, *, model: str | None = None, progress=None) -> dict:
    """Score every review text the model has not scored yet and store the scores.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Read-write.
    model : {"stock", "store"}, optional
        Default: the active model (setting ``sentiment.model``).
    progress : callable(fraction, message), optional
        Called after each chunk of texts.

    Returns
    -------
    dict
        ``{model, scored, cached, no_text, seconds}``: distinct texts (main and 追评)
        scored now, already in the cache, and found to have nothing to score now.
    """
    started = time.perf_counter()
    model_id = model or active_model(con)
    cached = con.execute(CACHED_COUNT_SQL, {"model": model_id}).fetchone()[0]
    todo = con.execute(UNSCORED_TEXTS_SQL, {"model": model_id}).fetchall()
    scored = no_text = 0
    if todo:
        bayes = models.resolve(model_id, con)
        for begin in range(0, len(todo), CHUNK):
            part = todo[begin:begin + CHUNK]
            scores = [bayes.score(text) for _, text in part]
            con.execute(INSERT_SCORES_SQL, {
                "model": model_id, "hashes": [h for h, _ in part], "scores": scores})
            missing = sum(s is None for s in scores)
            no_text += missing
            scored += len(scores) - missing
            if progress is not None:
                done = begin + len(part)
                progress(done / len(todo), f"{done}/{len(todo)}")
    elif progress is not None:
        progress(1.0, "0/0")
    return {
        "model": model_id,
        "scored": scored,
        "cached": cached,
        "no_text": no_text,
        "seconds": round(time.perf_counter() - started, 3),
    }


def forget_scores(con, model_id: str) -> int:
    """Drop a model's cached scores (after it was retrained); returns how many."""
    n = con.execute(
        "SELECT count(*) FROM sentiment_scores WHERE model = ?", [model_id]
    ).fetchone()[0]
    con.execute("DELETE FROM sentiment_scores WHERE model = ?", [model_id])
    return n
