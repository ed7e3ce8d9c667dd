"""What negative reviews complain about: an aspect lexicon, keywords and the items behind it.

A negative review is the shared macro ``is_negative_review`` (rating <= 2, or with no rating
a score below the negative threshold, by the shop's calibrated model). Its main text and 追评
are cut into clauses (at punctuation and at 但是, 不过, 就是 …), and an aspect counts only
where a clause naming it reads as a complaint: "安装师傅很专业，但是有划痕" is a quality
complaint, not an installation one, and a 1★ review that reads "真的超级喜欢，质量非常好"
(stars clicked wrong) names no aspect at all.

A clause is a complaint when the stock model with its corpus calibration gives it less than
:data:`CLAUSE_NEGATIVE_BELOW`: more likely negative than positive, on a corpus with as much
of each. Not the shop's model: a store model learns whole reviews (on the demo it leans on
closers such as 差评！ and gave 90 % of complaint clauses a high score), and a store's
calibration puts the cut where its whole reviews' 1–2★ share is, which short clauses do not
reach. On the demo's 1–2★ reviews, whose clauses are known complaint or praise phrases, this
rule found 100 % of the complaint clauses at 97–99 % precision; the shop's model below its
threshold found 11–17 %. The clauses' scores are in the same cache as the texts'
(:mod:`analysis.sentiment.cache` scores them), so the aspect tables stay plain SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

from analysis import periods
from analysis.sentiment.metrics import (
    PERIOD_FILTER, none_for_missing, period_params, run, week_window,
)
from analysis.sentiment.normalise import is_no_text
from analysis.sentiment.stock import stock_id

# aspect key (translated in analysis/i18n/reviews.py) -> words that mark it. Ordered: the
# order breaks ties in the tables.
ASPECTS: dict[str, tuple[str, ...]] = {
    "logistics": ("物流", "快递", "发货", "送货", "配送", "到货", "派送", "运输", "送达"),
    "packaging": ("包装", "盒子", "箱子", "破损", "压坏", "压扁", "漏了", "泡沫"),
    "quality": ("质量", "坏了", "瑕疵", "劣质", "次品", "假货", "毛病", "故障", "不能用",
                "有问题", "划痕"),
    "workmanship": ("做工", "线头", "粗糙", "走线", "开胶", "掉色", "起球", "开线"),
    "size_colour": ("尺码", "尺寸", "偏大", "偏小", "码数", "色差", "颜色", "不合身"),
    "service": ("客服", "售后", "态度", "退货", "退款", "换货", "不理", "回复"),
    "price": ("价格", "太贵", "降价", "差价", "价钱", "性价比"),
    "installation": ("安装", "师傅", "上门"),
    "description": ("描述不符", "与描述", "不符", "图片不", "和图片", "实物"),
}


# Where a clause ends: punctuation, whitespace, and the words that turn praise into a
# complaint. A code constant, inlined in SQL.
CLAUSE_BREAKS = r"[，,。.!！?？;；~～、…\s]+|但是|可是|不过|然而|只是|就是|唯一不足的是|但"


def clauses_sql(column: str) -> str:
    """SQL: the list of a text column's clauses, trimmed, empty ones dropped (``column`` is
    code text). The scorer scores exactly these strings, under their md5."""
    return (f"list_filter(list_transform(regexp_split_to_array({column}, '{CLAUSE_BREAKS}'), "
            "lambda x: trim(x)), lambda x: x <> '')")


def lexicon_params() -> dict:
    """The lexicon as two parallel lists, ``aspects`` and ``keywords``, and the clause
    scores to read (SQL parameters)."""
    pairs = [(a, w) for a, words in ASPECTS.items() for w in words]
    return {"aspects": [a for a, _ in pairs], "keywords": [w for _, w in pairs],
            "clause_model": stock_id(), "clause_below": CLAUSE_NEGATIVE_BELOW}


CLAUSE_NEGATIVE_BELOW = 0.5

# (review, aspect) pairs for negative reviews in the period, one row per pair: the aspect is
# named in a clause of the main text or 追评 that reads as a complaint; ``example`` is the
# text of that clause (the main text when both have one).
NEGATIVE_ASPECT_CTE = f"""
neg AS (
    SELECT shop, review_key, review_time, item_id, item_title, content, followup_content
    FROM review_sentiment
    WHERE {PERIOD_FILTER} AND is_negative_review(rating, sentiment, $neg)
),
parts AS (
    SELECT neg.*, 0 AS part, unnest({clauses_sql("content")}) AS clause FROM neg
    UNION ALL
    SELECT neg.*, 1 AS part, unnest({clauses_sql("followup_content")}) AS clause FROM neg
),
lex AS (SELECT unnest($aspects) AS aspect, unnest($keywords) AS keyword),
hits AS (
    SELECT p.shop, p.review_key, p.review_time, p.item_id, p.item_title, lex.aspect,
           arg_min(CASE p.part WHEN 0 THEN p.content ELSE p.followup_content END, p.part)
               AS example
    FROM parts p
    JOIN lex ON contains(p.clause, lex.keyword)
    JOIN sentiment_scores s ON s.model = $clause_model AND s.text_hash = md5(p.clause)
    WHERE s.score < $clause_below
    GROUP BY ALL
)
"""

ASPECT_COUNTS_SQL = f"""
WITH {NEGATIVE_ASPECT_CTE}
SELECT aspect, count(*) AS reviews,
       list(example ORDER BY review_time DESC NULLS LAST, review_key)[1:3] AS examples,
       (SELECT count(*) FROM neg) AS negative_reviews
FROM hits GROUP BY aspect
"""

ASPECT_WEEKLY_SQL = f"""
WITH {NEGATIVE_ASPECT_CTE}
SELECT iso_week_label(review_time) AS week, aspect, count(*) AS reviews
FROM hits GROUP BY ALL
"""

NEGATIVE_COUNT_SQL = f"""
SELECT count(*) FROM review_sentiment
WHERE {PERIOD_FILTER} AND is_negative_review(rating, sentiment, $neg)
"""

PER_ITEM_SQL = f"""
WITH {NEGATIVE_ASPECT_CTE},
items AS (
    SELECT coalesce(item_id, item_title) AS item, any_value(item_title) AS item_title,
           count(*) AS reviews,
           count(*) FILTER (WHERE is_negative_review(rating, sentiment, $neg)) AS negative
    FROM review_sentiment WHERE {PERIOD_FILTER}
    GROUP BY ALL
),
item_aspects AS (
    SELECT coalesce(item_id, item_title) AS item, aspect, count(*) AS n FROM hits GROUP BY ALL
),
tops AS (
    SELECT item, list(aspect ORDER BY n DESC, aspect)[1:3] AS top_aspects
    FROM item_aspects GROUP BY item
)
SELECT items.item, items.item_title, items.reviews, items.negative,
       items.negative / items.reviews AS negative_share,
       coalesce(tops.top_aspects, []) AS top_aspects
FROM items LEFT JOIN tops ON tops.item IS NOT DISTINCT FROM items.item
ORDER BY items.negative DESC, negative_share DESC, items.item
"""

# The texts of negative reviews that are negative themselves (main text or 追评 scored
# below the threshold): keywords come from complaints, not from praise under one star.
NEGATIVE_TEXTS_SQL = f"""
SELECT concat_ws(' ', CASE WHEN sentiment < $neg THEN content END,
                      CASE WHEN followup_sentiment < $neg THEN followup_content END) AS text
FROM review_sentiment
WHERE {PERIOD_FILTER} AND is_negative_review(rating, sentiment, $neg)
  AND (sentiment < $neg OR followup_sentiment < $neg)
ORDER BY review_time DESC, review_key
"""

# Keywords are extracted from at most this many of the newest negative texts: a week's
# worth at a large store, and a long period stays as quick as a week (extraction grows with
# the text; the keyword counts still cover every negative review).
KEYWORD_TEXTS = 2000


def aspect_counts(con, start: dt.datetime | None, end: dt.datetime | None, *,
                  shop: str | None = None) -> pd.DataFrame:
    """Negative reviews in [start, end) per aspect, most mentioned first.

    Returns
    -------
    pandas.DataFrame
        ``aspect, reviews, share, examples``: one row per aspect of :data:`ASPECTS` (0 when
        none mention it); ``share`` of all negative reviews in the period (None when there
        are none; a review may name several aspects); ``examples`` the three newest texts.
    """
    params = {**period_params(con, start, end, shop), **lexicon_params()}
    got = run(con, ASPECT_COUNTS_SQL, params).df().set_index("aspect")
    total = run(con, NEGATIVE_COUNT_SQL, period_params(con, start, end, shop)).fetchone()[0]
    rows = []
    for aspect in ASPECTS:
        n = int(got.loc[aspect, "reviews"]) if aspect in got.index else 0
        examples = list(got.loc[aspect, "examples"]) if aspect in got.index else []
        rows.append({"aspect": aspect, "reviews": n,
                     "share": n / total if total else None, "examples": examples})
    df = none_for_missing(pd.DataFrame(rows, columns=["aspect", "reviews", "share", "examples"]),
                          ["share"])
    return df.sort_values("reviews", ascending=False, kind="stable").reset_index(drop=True)


def aspect_trend(con, *, shop: str | None = None, weeks: int = 12,
                 end: dt.datetime | None = None) -> pd.DataFrame:
    """Negative reviews per ISO week and aspect (every week × aspect, zeros included).

    Returns
    -------
    pandas.DataFrame
        ``week, aspect, reviews`` in week order.
    """
    labels = week_window(con, shop=shop, weeks=weeks, end=end)
    if not labels:
        return pd.DataFrame(columns=["week", "aspect", "reviews"])
    start = periods.parse_week(labels[0]).start
    stop = periods.parse_week(labels[-1]).end
    params = {**period_params(con, start, stop, shop), **lexicon_params()}
    got = run(con, ASPECT_WEEKLY_SQL, params).df()
    counts = {(w, a): int(n) for w, a, n in got[["week", "aspect", "reviews"]].itertuples(
        index=False)}
    rows = [{"week": w, "aspect": a, "reviews": counts.get((w, a), 0)}
            for w in labels for a in ASPECTS]
    return pd.DataFrame(rows, columns=["week", "aspect", "reviews"])


def per_item(con, start: dt.datetime | None, end: dt.datetime | None, *,
             shop: str | None = None) -> pd.DataFrame:
    """Per item (item id, else title): reviews, negative reviews, their share and the
    aspects its negative reviews name most, the items with most negative reviews first.

    Returns
    -------
    pandas.DataFrame
        ``item, item_title, reviews, negative, negative_share, top_aspects`` (a list of up
        to three aspect keys).
    """
    params = {**period_params(con, start, end, shop), **lexicon_params()}
    return run(con, PER_ITEM_SQL, params).df()


def negative_keywords(con, start: dt.datetime | None, end: dt.datetime | None, *,
                      shop: str | None = None, top: int = 20,
                      max_texts: int = KEYWORD_TEXTS) -> pd.DataFrame:
    """The words that stand out in negative reviews (jieba.analyse TF-IDF over the newest
    ``max_texts`` negative texts of negative reviews), with how many of those texts contain
    each.

    jieba's dictionary loads once per process (about a second); later calls cost
    milliseconds.

    Returns
    -------
    pandas.DataFrame
        ``keyword, weight, reviews``, highest weight first; empty without negative texts.
    """
    rows = run(con, NEGATIVE_TEXTS_SQL, period_params(con, start, end, shop)).fetchall()
    texts = [text for (text,) in rows if not is_no_text(text)]
    if not texts:
        return pd.DataFrame(columns=["keyword", "weight", "reviews"])
    from jieba import analyse  # loaded only here: its dictionary costs a second

    tags = analyse.extract_tags("\n".join(texts[:max_texts]), topK=top, withWeight=True)
    contains = Counter()
    for kw, _ in tags:
        contains[kw] = sum(kw in t for t in texts)
    return pd.DataFrame([{"keyword": kw, "weight": w, "reviews": contains[kw]}
                         for kw, w in tags], columns=["keyword", "weight", "reviews"])
