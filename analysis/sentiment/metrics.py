"""Review sentiment figures: summary, weekly bands, the newest reviews, the mismatch queue.

Every query reads the ``review_sentiment`` view (reviews joined to the cached scores of the
model each shop uses). Bands: negative < ``sentiment.negative_below``, positive >
``sentiment.positive_above``, neutral in between, on the calibrated scale; a text with no
score (no text, or not Chinese) is in no band. Band shares are estimates of a model, and
pages label them so.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from analysis import periods, settings

# Reviews in [start, end) of one shop or all; NULL bounds mean no bound. Shared by the
# queries here (a code constant, never user input).
PERIOD_FILTER = """
    (CAST($start AS TIMESTAMP) IS NULL OR review_time >= CAST($start AS TIMESTAMP))
    AND (CAST($end AS TIMESTAMP) IS NULL OR review_time < CAST($end AS TIMESTAMP))
    AND (CAST($shop AS VARCHAR) IS NULL OR shop = CAST($shop AS VARCHAR))
"""

# The same counts for one period and per week, so a week's row always equals the summary.
BAND_COUNTS = """
       count(*) AS count,
       count(sentiment) AS scored,
       count(*) FILTER (WHERE no_text) AS no_text,
       count(*) FILTER (WHERE not_chinese) AS not_chinese,
       count(*) FILTER (WHERE sentiment < $neg) AS negative,
       count(*) FILTER (WHERE sentiment >= $neg AND sentiment <= $pos) AS neutral,
       count(*) FILTER (WHERE sentiment > $pos) AS positive,
       avg(sentiment) AS mean_score
"""

SUMMARY_SQL = f"""
SELECT {BAND_COUNTS}
FROM review_sentiment
WHERE {PERIOD_FILTER}
"""

WEEKLY_SQL = f"""
SELECT iso_week_label(review_time) AS week, {BAND_COUNTS}
FROM review_sentiment
WHERE {PERIOD_FILTER}
GROUP BY week
"""

LATEST_REVIEW_SQL = """
SELECT max(review_time) FROM reviews
WHERE CAST($shop AS VARCHAR) IS NULL OR shop = CAST($shop AS VARCHAR)
"""

NEWEST_SQL = f"""
SELECT review_time, shop, item_id, item_title, rating, content, sentiment,
       CASE WHEN sentiment < $neg THEN 'negative' WHEN sentiment > $pos THEN 'positive'
            WHEN sentiment IS NOT NULL THEN 'neutral' END AS band,
       no_text, followup_content, followup_sentiment, followup_time, seller_reply
FROM review_sentiment
WHERE {PERIOD_FILTER}
ORDER BY review_time DESC NULLS LAST, review_key
LIMIT $limit
"""

# A queue to read, not a KPI: 5★ with a low score, 1–2★ with a high score, and 追评
# negative on a review that was not negative.
MISMATCH_SQL = f"""
WITH r AS (SELECT * FROM review_sentiment WHERE {PERIOD_FILTER})
SELECT * FROM (
    SELECT 'five_star_low' AS kind, * FROM r WHERE rating = 5 AND sentiment < $neg
    UNION ALL BY NAME
    SELECT 'low_star_high' AS kind, * FROM r WHERE rating <= 2 AND sentiment > $pos
    UNION ALL BY NAME
    SELECT 'followup_negative' AS kind, * FROM r
    WHERE followup_sentiment < $neg AND NOT is_negative_review(rating, sentiment, $neg)
)
ORDER BY review_time DESC NULLS LAST, kind, review_key
"""
MISMATCH_COLUMNS = [
    "kind", "review_time", "shop", "review_key", "item_id", "item_title", "rating",
    "sentiment", "content", "followup_sentiment", "followup_content", "followup_time",
]
# Columns that may have no value in a row: None there, never NaN/NaT.
NEWEST_OPTIONAL = ["sentiment", "band", "followup_content", "followup_sentiment",
                   "followup_time", "seller_reply"]
MISMATCH_OPTIONAL = ["sentiment", "followup_sentiment", "followup_content", "followup_time"]


def thresholds(con) -> tuple[float, float]:
    """(negative_below, positive_above) from the settings."""
    return (float(settings.get(con, "sentiment.negative_below")),
            float(settings.get(con, "sentiment.positive_above")))


def run(con, sql: str, params: dict):
    """Execute ``sql`` with the subset of ``params`` it names (DuckDB refuses extras)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return con.execute(sql, {k: v for k, v in params.items() if k in used})


def period_params(con, start, end, shop) -> dict:
    neg, pos = thresholds(con)
    return {"start": start, "end": end, "shop": shop, "neg": neg, "pos": pos}


def reviews_summary(con, start: dt.datetime | None, end: dt.datetime | None, *,
                    shop: str | None = None) -> dict:
    """``summary --json``'s ``reviews`` object for reviews timed in [start, end).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    start, end : datetime or None
        Half-open period of review time; None = unbounded.
    shop : str, optional

    Returns
    -------
    dict
        ``{count, scored, no_text, not_chinese, negative, neutral, positive, mean_score}``:
        reviews, reviews whose main text has a score, reviews with nothing to score, reviews
        not scored because their text is not Chinese, scored main texts per band, their
        mean positive probability. Bands and mean are None with no score.
    """
    row = run(con, SUMMARY_SQL, period_params(con, start, end, shop)).fetchone()
    count, scored, no_text, not_chinese, negative, neutral, positive, mean_score = row
    if scored == 0:
        negative = neutral = positive = mean_score = None
    return {"count": count, "scored": scored, "no_text": no_text, "not_chinese": not_chinese,
            "negative": negative, "neutral": neutral, "positive": positive,
            "mean_score": mean_score}


def week_window(con, *, shop=None, weeks: int = 26, end: dt.datetime | None = None
                ) -> list[str]:
    """The ``weeks`` ISO week labels ending with the week of ``end`` (default: the week of
    the latest review); empty when there are no reviews and no ``end``."""
    if end is None:
        latest = run(con, LATEST_REVIEW_SQL, {"shop": shop}).fetchone()[0]
        if latest is None:
            return []
        last = periods.week_of(latest)
    else:
        last = periods.week_of(end - dt.timedelta(microseconds=1))
    return [periods.shift_week(last, -k) for k in range(weeks - 1, -1, -1)]


def none_for_missing(df: pd.DataFrame, cols) -> pd.DataFrame:
    """``cols`` as objects with None (not NaN) where there is no data: pages show "—"."""
    for c in cols:
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


def _share(part, whole):
    return None if not whole else part / whole


def weekly_bands(con, *, shop: str | None = None, weeks: int = 26,
                 end: dt.datetime | None = None) -> pd.DataFrame:
    """Reviews per ISO week and their sentiment bands, one row per week (weeks without
    reviews included, with zero counts and no shares).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    shop : str, optional
    weeks : int
        How many weeks, ending with the week before ``end``.
    end : datetime, optional
        Exclusive end; default: just after the latest review.

    Returns
    -------
    pandas.DataFrame
        ``week, count, scored, negative, neutral, positive, negative_share,
        neutral_share, positive_share, mean_score``; shares are of scored texts.
    """
    labels = week_window(con, shop=shop, weeks=weeks, end=end)
    cols = ["week", "count", "scored", "negative", "neutral", "positive",
            "negative_share", "neutral_share", "positive_share", "mean_score"]
    if not labels:
        return pd.DataFrame(columns=cols)
    start = periods.parse_week(labels[0]).start
    stop = periods.parse_week(labels[-1]).end
    got = run(con, WEEKLY_SQL, period_params(con, start, stop, shop)).df().set_index("week")
    rows = []
    for label in labels:
        if label in got.index:
            g = got.loc[label]
            n = {k: int(g[k]) for k in ("count", "scored", "negative", "neutral", "positive")}
            mean = None if pd.isna(g["mean_score"]) else float(g["mean_score"])
        else:
            n = dict.fromkeys(("count", "scored", "negative", "neutral", "positive"), 0)
            mean = None
        rows.append({"week": label, **n,
                     **{f"{b}_share": _share(n[b], n["scored"])
                        for b in ("negative", "neutral", "positive")},
                     "mean_score": mean})
    return none_for_missing(pd.DataFrame(rows, columns=cols), cols[6:])


def newest_reviews(con, *, shop: str | None = None, limit: int | None = 50,
                   start: dt.datetime | None = None, end: dt.datetime | None = None
                   ) -> pd.DataFrame:
    """The newest reviews first (by review time), with their scores and bands.

    Parameters
    ----------
    limit : int or None
        At most this many reviews; None = every review in [start, end).

    Returns
    -------
    pandas.DataFrame
        ``review_time, shop, item_id, item_title, rating, content, sentiment, band,
        no_text, followup_content, followup_sentiment, followup_time, seller_reply``.
        Texts are raw: show them as plain text, never Markdown or HTML. Missing scores,
        bands, 追评 and replies are None (pages show them empty), not NaN.
    """
    # DuckDB reads LIMIT NULL as no limit.
    params = {**period_params(con, start, end, shop),
              "limit": None if limit is None else int(limit)}
    return none_for_missing(run(con, NEWEST_SQL, params).df(), NEWEST_OPTIONAL)


def mismatch_queue(con, start: dt.datetime | None, end: dt.datetime | None, *,
                   shop: str | None = None) -> pd.DataFrame:
    """Reviews whose stars and text disagree, newest first: ``five_star_low`` (5★, score
    below the negative threshold), ``low_star_high`` (1–2★, score above the positive
    threshold), ``followup_negative`` (a negative 追评 on a review that was not negative).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MISMATCH_COLUMNS`.
    """
    df = run(con, MISMATCH_SQL, period_params(con, start, end, shop)).df()
    return none_for_missing(df[MISMATCH_COLUMNS].reset_index(drop=True), MISMATCH_OPTIONAL)


def summary_shares(summary: dict) -> dict:
    """Band shares of scored texts from a :func:`reviews_summary` dict.

    Returns
    -------
    dict
        ``{negative_share, neutral_share, positive_share}``; None without scored texts.
    """
    return {f"{b}_share": _share(summary[b], summary["scored"])
            for b in ("negative", "neutral", "positive")}


CHANGES_SQL = """
SELECT data_week AS week, shop, model, kind, activated_at
FROM sentiment_active
WHERE (CAST($shop AS VARCHAR) IS NULL OR shop = CAST($shop AS VARCHAR))
  AND list_contains($weeks, data_week)
  -- The first model a shop ever had is no change.
  AND seq > (SELECT min(seq) FROM sentiment_active a WHERE a.shop IS NOT DISTINCT FROM
                                                          sentiment_active.shop)
ORDER BY seq
"""


def model_changes(con, weeks: list[str], *, shop: str | None = None) -> pd.DataFrame:
    """The weeks among ``weeks`` in which a shop changed model (a change rescores every past
    week with the new model, so a trend drawn before it differs from one drawn after).

    Parameters
    ----------
    weeks : list of str
        ISO week labels shown (e.g. :func:`weekly_bands`'s ``week``).
    shop : str, optional

    Returns
    -------
    pandas.DataFrame
        ``week, shop, model, kind, activated_at``, oldest change first; ``week`` is the
        week of the shop's latest review when the change was made.
    """
    return run(con, CHANGES_SQL, {"shop": shop, "weeks": list(weeks)}).df()
