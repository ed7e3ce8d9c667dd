"""评价情感 / Reviews page: every section for a viewer and an operator, English, an empty
store, figures equal to the analysis values, review text shown only as plain text, each
shop's model with its figures, a store without ratings, the operator's training and model
switch, and the week a model changed marked on the trend."""

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
SHOPS = ("天猫旗舰店", "京东自营店")  # the demo's shop names are data, shown as they are
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
    assert metrics["非中文（未评分）"] == f"{now['not_chinese']:,}"
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
        for shop in SHOPS:
            shown = shown.replace(shop, "")
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
    from analysis import db
    from analysis.sentiment import model_overview

    at = make_app(PAGE, role="operator", params={**WEEK, "view": "model"}).run()
    shown = texts(at)
    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        overview = model_overview(con)
    # Each shop's count against the threshold, and the calibrated stock model it uses.
    for row in overview["shops"]:
        assert (f"{row['shop']}：有文字的 1–2 星 {row['negative']} 条、4–5 星 {row['positive']} 条，"
                "训练店铺模型每类至少需要 100 条") in shown
    shops = _dataframe_with(at, "模型编号")
    assert shops["模型编号"].tolist() == [r["model"] for r in overview["shops"]]
    assert set(shops["模型"]) == {"自带模型（stock）"}
    next(b for b in at.button if b.label == "训练店铺模型").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("评价不足以训练店铺模型" in e and "至少需要 100 条" in e for e in errors), errors


def test_a_store_without_ratings_says_it_uses_the_stock_model(app_env):
    from analysis.db import connection
    from analysis.sentiment import score_reviews

    with connection(os.environ["INSIGHTS_DB"]) as con:
        con.executemany(
            "INSERT INTO reviews (shop, review_key, content, review_time) VALUES (?, ?, ?, ?)",
            [("我的店", f"r{i}", text, dt.datetime(2026, 11, 17, 9, i))
             for i, text in enumerate(["质量很好", "物流太慢了", "Produto ótimo"])])
        score_reviews(con)
    at = make_app(PAGE, role="viewer", params={**WEEK, "view": "model"}).run()
    assert not at.exception
    shown = texts(at)
    assert "我的店：没有星级评价，使用自带模型及其语料校准" in shown
    assert "没有星级评价；自带模型用语料校准" in _dataframe_with(at, "原因")["原因"].tolist()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["非中文（未评分）"] == "1"


def test_without_the_model_cache_the_page_says_it_is_preparing_it(app_env, monkeypatch):
    monkeypatch.setenv("INSIGHTS_MODEL_CACHE", str(app_env / "no-cache-yet"))
    at = make_app(PAGE, role="viewer", params=WEEK).run()
    assert not at.exception
    assert "正在准备自带情感模型" in texts(at)


NEGATIVE = ("质量太差了", "物流太慢", "客服不理人", "做工粗糙", "有色差", "包装破损", "不推荐购买",
            "用了两天就坏了", "和图片不符", "退货很麻烦")


def test_operator_trains_and_switches_to_the_store_model(app_env):
    from analysis import db, settings
    from analysis.sentiment import model_overview

    start = dt.datetime(2026, 6, 1)
    rows = [(f"neg{i}", 1 + i % 2, f"{NEGATIVE[i % 10]}，{NEGATIVE[(i * 3 + 1) % 10]}，第{i}次",
             start + dt.timedelta(hours=i)) for i in range(200)]
    _insert_reviews(os.environ["INSIGHTS_DEMO_DB"], rows)
    at = make_app(PAGE, role="operator", params={**WEEK, "view": "model"}).run()
    next(b for b in at.button if b.label == "训练店铺模型").click().run()
    assert not at.exception and not at.error
    assert any("店铺模型已训练" in s.value for s in at.success)
    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        overview = model_overview(con)
    tmall = next(r for r in overview["shops"] if r["shop"] == "天猫旗舰店")
    m = tmall["figures"]
    assert tmall["has_store_model"] and m["negative"] >= 200
    # The first comparison is of the first shop's reviews: both models on its held-out part.
    first = next(r for r in overview["shops"] if r["figures"] is not None)["figures"]
    compare = _dataframe_with(at, "准确率")
    assert compare["模型"].tolist() == ["自带模型（stock）", "店铺模型（store）"]
    assert compare["准确率"].tolist() == [f"{first[k]['accuracy'] * 100:.1f}%"
                                         for k in ("stock", "store")]
    assert compare["AUC"].tolist() == [f"{first[k]['auc']:.3f}" for k in ("stock", "store")]
    assert f"留出集中 1–2 星的实际占比 {first['held_out_negative_share'] * 100:.1f}%" in texts(at)

    at.radio(key="model_pick").set_value("store").run()
    at.button(key="model_apply").click().run()
    assert not at.exception and not at.error
    assert any("已切换到固定用店铺模型" in s.value for s in at.success)
    assert "当前模型：店铺模型（store）" in texts(at)
    with db.connection(os.environ["INSIGHTS_DEMO_DB"]) as con:
        assert settings.get(con, "sentiment.model") == "store"
        by = con.execute("SELECT updated_by FROM settings WHERE key = 'sentiment.model'").fetchone()
        assert by == ("operator",)
        unscored = con.execute("SELECT count(*) FROM review_sentiment WHERE sentiment IS NULL "
                               "AND NOT no_text AND NOT not_chinese").fetchone()[0]
    assert unscored == 0

    # The switch rescored every week: the trend marks the week it happened in.
    at = make_app(PAGE, role="viewer", params={**WEEK, "view": "trend"}).run()
    assert not at.exception
    assert "虚线：更换情感模型的周（2026-W47）" in texts(at)
