"""评价情感 / Reviews page: every section for a viewer and an operator, English, an empty
store, figures equal to the analysis values, review text shown only as plain text, and the
operator's training and model switch."""

from __future__ import annotations

import datetime as dt
import os
import re

import duckdb
import pytest

from tests.pages.conftest import make_app, texts

PAGE = "pages/reviews.py"
WEEK = {"week": "2026-W47"}
SECTIONS = ("trend", "aspects", "newest", "mismatch", "model")
# Chinese labels of this page that must not appear in English.
ZH_LABELS = ("本周评价", "负面占比（估计）", "最新评价", "星级与文字不符", "自带模型", "差评方面")
CJK = re.compile(r"[\u4e00-\u9fff]")
HOSTILE = ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "[x](javascript:alert(3))")


def _week_summary(path, week="2026-W47"):
    from analysis import db
    from analysis.periods import parse_week
    from analysis.sentiment import reviews_summary

    p = parse_week(week)
    with db.connection(path) as con:
        return reviews_summary(con, p.start, p.end)


def _insert_reviews(path, rows):
    """rows: (review_key, rating, content, review_time)."""
    with duckdb.connect(str(path)) as con:
        con.executemany(
            "INSERT INTO reviews (shop, review_key, review_id, item_id, item_title, rating, content,"
            " review_time) VALUES ('天猫旗舰店', ?, ?, 'x1', '测试商品', ?, ?, ?)",
            [(k, k, r, c, t) for k, r, c, t in rows])


def _dataframe_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_summary_shares_by_hand():
    from analysis.sentiment.metrics import summary_shares

    got = summary_shares({"scored": 8, "negative": 2, "neutral": 1, "positive": 5})
    assert got == {"negative_share": 0.25, "neutral_share": 0.125, "positive_share": 0.625}
    none = summary_shares({"scored": 0, "negative": None, "neutral": None, "positive": None})
    assert none == {"negative_share": None, "neutral_share": None, "positive_share": None}


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_runs_for_viewer_and_operator(app_env, section):
    for role in ("viewer", "operator"):
        at = make_app(PAGE, role=role, params={**WEEK, "view": section}).run()
        assert not at.exception, (role, at.exception)
        shown = texts(at)
        assert "负面占比（估计）" in shown and "负面 < 0.40" in shown and "正面 > 0.60" in shown
        assert at.query_params["view"] in (section, [section])
        if section == "model":
            assert ("训练店铺模型" in [b.label for b in at.button]) == (role == "operator")
            assert ("只有运营可以训练和切换模型" in shown) == (role == "viewer")
        if section == "mismatch":
            assert "不是考核指标" in shown
        if section in ("aspects", "newest"):
            assert len(at.dataframe) >= 1


def test_headline_equals_reviews_summary(app_env):
    at = make_app(PAGE, role="viewer", params=WEEK).run()
    now = _week_summary(os.environ["INSIGHTS_DEMO_DB"])
    before = _week_summary(os.environ["INSIGHTS_DEMO_DB"], "2026-W46")
    assert now["count"] and now["negative"]  # the demo week has scored negatives
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["本周评价"] == f"{now['count']:,}"
    assert metrics["已评分"] == f"{now['scored']:,}"
    assert metrics["无文字"] == f"{now['no_text']:,}"
    assert metrics["负面占比（估计）"] == f"{now['negative'] / now['scored'] * 100:.1f}%"
    assert metrics["平均情感分（估计）"] == f"{now['mean_score']:.2f}"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["本周评价"] == f"{now['count'] - before['count']:+,}"


def test_english(app_env):
    for section in SECTIONS:
        at = make_app(PAGE, role="operator", lang="en", params={**WEEK, "view": section}).run()
        assert not at.exception
        shown = texts(at)
        assert "Reviews this week" in shown and "Negative share (estimate)" in shown
        for label in ZH_LABELS:
            assert label not in shown
        assert not CJK.search(shown), CJK.findall(shown)
    assert "Train the store model" in [b.label for b in at.button]


def test_review_text_is_plain_text_never_markup(app_env):
    late = dt.datetime(2026, 11, 21, 9, 0)
    _insert_reviews(os.environ["INSIGHTS_DEMO_DB"],
                    [(f"evil{i}", 1, text, late + dt.timedelta(minutes=i))
                     for i, text in enumerate(HOSTILE)])
    at = make_app(PAGE, role="viewer", params={**WEEK, "view": "newest"}).run()
    assert not at.exception
    table = _dataframe_with(at, "评价内容")
    # Newest first: the three inserted reviews, verbatim, at the top.
    assert table["评价内容"].tolist()[:3] == list(reversed(HOSTILE))
    markdown = "\n".join(str(m.value) for m in at.markdown)
    for text in HOSTILE:
        assert text not in markdown and "alert(" not in markdown


def test_empty_store_shows_what_to_upload(app_env):
    from analysis.db import open_db

    open_db(os.environ["INSIGHTS_DB"]).close()
    at = make_app(PAGE, role="operator", params=WEEK).run()
    assert not at.exception
    assert "评价导出" in texts(at)
    assert len(at.metric) == 0 and len(at.dataframe) == 0


def test_training_on_the_small_demo_is_refused_clearly(app_env):
    at = make_app(PAGE, role="operator", params={**WEEK, "view": "model"}).run()
    assert "还没有训练店铺模型" in texts(at)
    next(b for b in at.button if b.label == "训练店铺模型").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("评价不足以训练店铺模型" in e and "至少需要 200 条" in e for e in errors), errors


NEGATIVE = ("质量太差了", "物流太慢", "客服不理人", "做工粗糙", "有色差", "包装破损", "不推荐购买",
            "用了两天就坏了", "和图片不符", "退货很麻烦")


def test_operator_trains_and_switches_to_the_store_model(app_env):
    from analysis import db, settings
    from analysis.sentiment.training import store_model_metrics

    start = dt.datetime(2026, 6, 1)
    rows = [(f"neg{i}", 1 + i % 2, f"{NEGATIVE[i % 10]}，{NEGATIVE[(i * 3 + 1) % 10]}，第{i}次",
             start + dt.timedelta(hours=i)) for i in range(200)]
    _insert_reviews(os.environ["INSIGHTS_DEMO_DB"], rows)
    at = make_app(PAGE, role="operator", params={**WEEK, "view": "model"}).run()
    next(b for b in at.button if b.label == "训练店铺模型").click().run()
    assert not at.exception and not at.error
    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        m = store_model_metrics(con)
    assert m is not None and m["negative"] >= 200
    assert any("店铺模型已训练" in s.value for s in at.success)
    compare = _dataframe_with(at, "准确率")
    assert compare["准确率"].tolist() == [f"{m['stock']['accuracy'] * 100:.1f}%",
                                         f"{m['store']['accuracy'] * 100:.1f}%"]
    assert compare["AUC"].tolist() == [f"{m['stock']['auc']:.2f}", f"{m['store']['auc']:.2f}"]

    at.radio(key="model_pick").set_value("store").run()
    at.button(key="model_apply").click().run()
    assert not at.exception and not at.error
    assert any("已切换到店铺模型" in s.value for s in at.success)
    assert "当前模型：店铺模型（store）" in texts(at)
    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        assert settings.get(con, "sentiment.model") == "store"
        by = con.execute("SELECT updated_by FROM settings WHERE key = 'sentiment.model'").fetchone()
        assert by == ("operator",)
        unscored = con.execute("SELECT count(*) FROM review_sentiment WHERE sentiment IS NULL "
                               "AND NOT no_text").fetchone()[0]
    assert unscored == 0
