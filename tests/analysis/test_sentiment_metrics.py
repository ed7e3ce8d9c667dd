"""Sentiment figures against hand-computed answers on a handful of reviews whose scores are
written straight into the cache (texts under the model id ``stock``, which a database with
no model chosen per shop uses; clauses under the stock model's id, which the aspect tables
read)."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.sentiment import (
    aspect_counts, aspect_trend, mismatch_queue, negative_keywords, newest_reviews, per_item,
    reviews_summary, weekly_bands,
)
from analysis.sentiment.stock import stock_id
from analysis.sentiment.figures import aspect_trend_figure, aspects_figure, bands_figure

A, B = "店A", "店B"
W47 = (dt.datetime(2026, 11, 16), dt.datetime(2026, 11, 23))

# key, shop, rating, content, time, item_id, item_title, score, followup, followup score
REVIEWS = [
    ("k1", A, 5, "质量很好", "2026-11-16 10:00", "i1", "杯子", 0.9, None, None),
    ("k2", A, 1, "物流太慢，包装破损", "2026-11-17 09:00", "i1", "杯子", 0.1, None, None),
    ("k3", A, 5, "一般，质量差", "2026-11-18 09:00", "i2", "碗", 0.3, None, None),
    ("k4", A, 2, "客服态度好", "2026-11-19 09:00", "i2", "碗", 0.8, None, None),
    ("k5", A, 5, "此用户没有填写评论!", "2026-11-20 09:00", "i1", "杯子", None, None, None),
    ("k6", A, 4, "还行", "2026-11-24 09:00", "i1", "杯子", 0.5, "用了三天质量就坏了", 0.2),
    ("k7", B, None, "太差了", "2026-11-17 12:00", "i3", "盆", 0.2, None, None),
    ("k8", A, 5, "不错", "2026-11-21 09:00", "i1", "杯子", "unscored", None, None),
]
# Clauses of the texts that can be complaints and name an aspect, with their scores: k4's
# 2★ text praises the service, so it names no aspect.
CLAUSES = [("物流太慢", 0.1), ("包装破损", 0.05), ("客服态度好", 0.9)]


@pytest.fixture
def db(con):
    for key, shop, rating, content, ts, item, title, score, follow, fscore in REVIEWS:
        con.execute(
            "INSERT INTO reviews (shop, review_key, rating, content, review_time, item_id, "
            "item_title, followup_content) VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?)",
            [shop, key, rating, content, ts, item, title, follow])
        texts = [] if score == "unscored" else [(content, score)]
        if follow is not None:
            texts.append((follow, fscore))
        for text, value in texts:
            con.execute("INSERT INTO sentiment_scores VALUES ('stock', md5(?), ?, ?, "
                        "current_localtimestamp())", [text, value, value is None])
    for text, value in CLAUSES:
        con.execute("INSERT INTO sentiment_scores VALUES (?, md5(?), ?, false, "
                    "current_localtimestamp())", [stock_id(), text, value])
    return con


def test_reviews_summary_by_hand(db):
    assert reviews_summary(db, *W47, shop=A) == {
        "count": 6, "scored": 4, "no_text": 1, "not_chinese": 0, "negative": 2, "neutral": 0,
        "positive": 2, "mean_score": pytest.approx(0.525)}
    assert reviews_summary(db, None, None) == {
        "count": 8, "scored": 6, "no_text": 1, "not_chinese": 0, "negative": 3, "neutral": 1,
        "positive": 2, "mean_score": pytest.approx(2.8 / 6)}


def test_reviews_summary_period_is_half_open_and_empty_is_none(db):
    at_k2 = dt.datetime(2026, 11, 17, 9, 0)
    assert reviews_summary(db, at_k2, at_k2 + dt.timedelta(minutes=1), shop=A)["count"] == 1
    assert reviews_summary(db, W47[0], at_k2, shop=A)["count"] == 1  # k1 only
    assert reviews_summary(db, dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 8)) == {
        "count": 0, "scored": 0, "no_text": 0, "not_chinese": 0, "negative": None,
        "neutral": None, "positive": None, "mean_score": None}


def test_threshold_settings_move_the_bands(db):
    from analysis import settings

    settings.put(db, "sentiment.negative_below", 0.25)
    settings.put(db, "sentiment.positive_above", 0.85)
    got = reviews_summary(db, *W47, shop=A)
    # 0.1 negative; 0.3 and 0.8 neutral; 0.9 positive.
    assert (got["negative"], got["neutral"], got["positive"]) == (1, 2, 1)


def test_weekly_bands_by_hand(db):
    df = weekly_bands(db, shop=A, weeks=3)
    assert df["week"].tolist() == ["2026-W46", "2026-W47", "2026-W48"]
    assert df["count"].tolist() == [0, 6, 1]
    assert df["scored"].tolist() == [0, 4, 1]
    assert df["negative"].tolist() == [0, 2, 0]
    assert df["neutral"].tolist() == [0, 0, 1]
    assert df["positive"].tolist() == [0, 2, 0]
    assert df["negative_share"].tolist() == [None, 0.5, 0.0]
    assert df["neutral_share"].tolist() == [None, 0.0, 1.0]
    assert df["mean_score"].tolist()[0] is None
    assert df["mean_score"].tolist()[1:] == pytest.approx([0.525, 0.5])
    fig = bands_figure(df, "en")
    assert [tr.name for tr in fig.data] == ["Negative", "Neutral", "Positive"]
    assert list(fig.data[0].y) == [None, 0.5, 0.0]
    assert "estimate" in fig.layout.title.text


def test_aspect_counts_by_hand(db):
    df = aspect_counts(db, *W47, shop=A)
    # Negative reviews of 店A in W47: k2 (1★: 物流, 包装/破损, both clauses negative) and
    # k4 (2★, but its only clause praises 客服: no aspect). Shares are of both.
    top = df.head(2)
    assert top["aspect"].tolist() == ["logistics", "packaging"]
    assert top["reviews"].tolist() == [1, 1]
    assert top["share"].tolist() == [0.5, 0.5]
    assert top["examples"].tolist()[0] == ["物流太慢，包装破损"]
    assert df["reviews"].iloc[2:].tolist() == [0] * 7
    empty = aspect_counts(db, dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2))
    assert empty["reviews"].sum() == 0 and empty["share"].isna().all()
    fig = aspects_figure(df, "zh")
    assert list(fig.data[0].y)[-1] == "物流/快递/发货"


def test_aspect_trend_by_hand(db):
    df = aspect_trend(db, shop=A, weeks=2)
    assert len(df) == 2 * 9
    w47 = df[df["week"] == "2026-W47"].set_index("aspect")["reviews"]
    assert (w47["logistics"], w47["packaging"], w47["service"], w47["quality"]) == (1, 1, 0, 0)
    assert df[df["week"] == "2026-W48"]["reviews"].sum() == 0
    assert len(aspect_trend_figure(df, "en").data) == 9


def test_per_item_by_hand(db):
    df = per_item(db, None, None, shop=A)
    assert df["item"].tolist() == ["i2", "i1"]
    assert df["reviews"].tolist() == [2, 5]
    assert df["negative"].tolist() == [1, 1]
    assert df["negative_share"].tolist() == [0.5, 0.2]
    assert [list(x) for x in df["top_aspects"]] == [[], ["logistics", "packaging"]]


def test_mismatch_queue_by_hand(db):
    df = mismatch_queue(db, None, None, shop=A)
    assert df["review_key"].tolist() == ["k6", "k4", "k3"]
    assert df["kind"].tolist() == ["followup_negative", "low_star_high", "five_star_low"]
    assert df.loc[0, "followup_content"] == "用了三天质量就坏了"


def test_newest_reviews_first(db):
    df = newest_reviews(db, shop=A, limit=3)
    assert df["content"].tolist() == ["还行", "不错", "此用户没有填写评论!"]
    assert [b if isinstance(b, str) else None for b in df["band"]] == ["neutral", None, None]
    assert df["no_text"].tolist() == [False, False, True]


def test_negative_keywords_count_reviews(db):
    df = negative_keywords(db, None, None, shop=A, top=10)
    counts = dict(zip(df["keyword"], df["reviews"]))
    # k2's complaint is read; k4's 2★ praise (scored 0.8) is not a negative text.
    assert counts["破损"] == 1 and "客服" not in counts
    assert negative_keywords(db, dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2)).empty


def test_aspects_come_from_negative_clauses_only(con):
    # A 1★ review praising the installer but complaining of a scratch, a 1★ review whose
    # text is all praise (stars clicked wrong), and a 2★ one whose 追评 complains.
    rows = [("m1", 1, "安装师傅很专业，但是有划痕", None),
            ("m2", 1, "真的超级喜欢，质量非常好", None),
            ("m3", 2, "还行", "用了一周物流信息都没更新")]
    for key, rating, content, follow in rows:
        con.execute("INSERT INTO reviews (shop, review_key, rating, content, review_time, "
                    "followup_content) VALUES ('店A', ?, ?, ?, TIMESTAMP '2026-11-17 09:00', ?)",
                    [key, rating, content, follow])
    clauses = [("安装师傅很专业", 0.8), ("有划痕", 0.1), ("真的超级喜欢", 0.95),
               ("质量非常好", 0.9), ("用了一周物流信息都没更新", 0.2)]
    for text, value in clauses:
        con.execute("INSERT INTO sentiment_scores VALUES (?, md5(?), ?, false, now())",
                    [stock_id(), text, value])
    df = aspect_counts(con, *W47).set_index("aspect")
    assert df.loc["quality", "reviews"] == 1 and df.loc["installation", "reviews"] == 0
    assert df.loc["logistics", "reviews"] == 1
    assert df.loc["quality", "examples"] == ["安装师傅很专业，但是有划痕"]
    assert df.loc["logistics", "examples"] == ["用了一周物流信息都没更新"]  # the 追评 named it
    assert df.loc["quality", "share"] == pytest.approx(1 / 3)  # of all three 1–2★ reviews
