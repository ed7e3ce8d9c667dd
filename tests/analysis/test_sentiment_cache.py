"""Scoring the database incrementally, and the store models: trained automatically after
scoring, chosen per shop on held-out reviews, pinned by operators, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import settings
from analysis.errors import UserError
from analysis.sentiment import (
    choose_model, model_changes, score_reviews, score_texts, train_store_model,
)
from analysis.sentiment import model as models
from analysis.sentiment import registry, stock, training

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 11, 16, 10, 0)

INSERT_REVIEW = """
INSERT INTO reviews (shop, review_key, rating, content, review_time, followup_content)
VALUES (?, ?, ?, ?, ?, ?)
"""


def add_reviews(con, rows, shop="默认店铺", start=T0):
    """rows: (key, rating, content, followup)."""
    for i, (key, rating, content, followup) in enumerate(rows):
        con.execute(INSERT_REVIEW, [shop, key, rating, content,
                                    start + dt.timedelta(hours=i), followup])


def test_score_reviews_scores_once_then_only_what_is_new(con):
    add_reviews(con, [
        ("r1", 5, "质量很好，物流很快", None),
        ("r2", 1, "太差了，坏了", "用了一周又坏了"),
        ("r3", 5, "此用户没有填写评论!", None),
        ("r4", 5, None, None),
        ("r5", 4, "质量很好，物流很快", None),  # same text as r1: one cache entry
        ("r6", 5, "Produto ótimo, recomendo", None),
    ])
    calls = []
    first = score_reviews(con, progress=lambda f, m: calls.append(f))
    # Texts: r1/r5 text, r2 text, r2 追评 scored; placeholder and the empty text are no
    # text; the Portuguese text is not scored. Too few ratings: the stock model.
    assert (first["model"], first["scored"], first["no_text"], first["not_chinese"],
            first["cached"]) == (stock.stock_id(), 3, 2, 1, 0)
    assert calls[-1] == 1.0
    second = score_reviews(con)
    assert (second["scored"], second["no_text"], second["not_chinese"], second["cached"]) == (
        0, 0, 0, 6)
    view = dict(con.execute("SELECT review_key, sentiment FROM review_sentiment").fetchall())
    assert view["r1"] == view["r5"] == score_texts(["质量很好，物流很快"])[0]
    assert view["r3"] is None and view["r4"] is None and view["r6"] is None
    flags = {k: (n, c) for k, n, c in con.execute(
        "SELECT review_key, no_text, not_chinese FROM review_sentiment").fetchall()}
    assert flags == {"r1": (False, False), "r2": (False, False), "r3": (True, False),
                     "r4": (True, False), "r5": (False, False), "r6": (False, True)}
    follow = con.execute(
        "SELECT followup_sentiment FROM review_sentiment WHERE review_key = 'r2'").fetchone()[0]
    assert follow == score_texts(["用了一周又坏了"])[0]

    add_reviews(con, [("r7", 2, "包装破损", None), ("r8", 5, "质量很好，物流很快", None)])
    third = score_reviews(con)
    assert (third["scored"], third["no_text"], third["cached"]) == (1, 0, 6)
    # One row per text and model, clauses of complaints included ("坏了" names quality).
    dupes = con.execute("SELECT count(*) - count(DISTINCT (model, text_hash)) "
                        "FROM sentiment_scores").fetchone()[0]
    assert dupes == 0
    clause = con.execute("SELECT score FROM sentiment_scores WHERE text_hash = md5('坏了')"
                         ).fetchone()[0]
    assert clause == score_texts(["坏了"])[0]


def _standard(n_neg, n_pos, prefix=""):
    """Reviews both models read perfectly: plain complaints under 1–2★, praise under 4–5★."""
    neg_words = ["太差了", "质量不好", "坏了", "物流慢", "不推荐"]
    pos_words = ["很好", "满意", "物流快", "推荐购买", "好评"]
    rows = [(f"{prefix}n{i}", 1 + i % 2, f"{neg_words[i % 5]}，{neg_words[(i + 2) % 5]}，第{i}单",
             None) for i in range(n_neg)]
    rows += [(f"{prefix}p{i}", 4 + i % 2, f"{pos_words[i % 5]}，{pos_words[(i + 1) % 5]}，第{i}单",
              None) for i in range(n_pos)]
    rows += [(f"{prefix}m1", 3, "一般般", None), (f"{prefix}d1", 5, "系统默认好评", None)]
    return rows


def _emoji(n_neg, n_pos, prefix=""):
    """Reviews only this store's own stars explain: the same neutral words, 👎 or 👍."""
    filler = ["收到了", "东西到了", "今天拿到", "包裹已签收", "第二次买"]
    rows = [(f"{prefix}n{i}", 1, f"{filler[i % 5]}👎第{i}单", None) for i in range(n_neg)]
    rows += [(f"{prefix}p{i}", 5, f"{filler[i % 5]}👍第{i}单", None) for i in range(n_pos)]
    return rows


def test_too_few_ratings_keep_the_stock_model(con):
    add_reviews(con, _standard(20, 60))
    run = score_reviews(con)
    assert run["model"] == stock.stock_id()
    assert con.execute("SELECT count(*) FROM sentiment_models").fetchone()[0] == 0
    assert registry.history(con)["reason"].tolist() == ["too_few"]


def test_enough_to_calibrate_but_not_to_train(con):
    add_reviews(con, _standard(40, 120))
    run = score_reviews(con)
    # Calibrated on the store's ratings: a model of its own id, no store model.
    assert run["model"].startswith(stock.stock_id() + "-")
    kinds = con.execute("SELECT kind, scope FROM sentiment_models").fetchall()
    assert kinds == [("stock", None)]
    m = registry.metrics_of(con, run["model"])
    assert (m["negative"], m["positive"], m["store"]) == (40, 120, None)
    assert m["train"] + m["held_out"] == 160


def test_store_model_is_trained_automatically_and_used_when_better(con, tmp_path):
    add_reviews(con, _emoji(150, 450))
    run = score_reviews(con)
    assert run["model"].startswith("store-")
    m = registry.metrics_of(con, run["model"])
    assert (m["negative"], m["positive"], m["winner"]) == (150, 450, "store")
    assert m["store"]["auc"] > m["stock"]["auc"]
    # The held-out fifth is chosen by the text's md5, so it is the same every time.
    df = training.labelled(con)
    assert m["held_out"] == int(df["held_out"].sum())
    assert abs(m["store"]["negative_share"] - m["held_out_negative_share"]) < 0.03
    got = con.execute("SELECT avg(sentiment) FILTER (WHERE rating = 1), "
                      "avg(sentiment) FILTER (WHERE rating = 5), any_value(sentiment_model) "
                      "FROM review_sentiment").fetchone()
    assert got[0] < 0.4 < got[1] and got[2] == run["model"]
    logged = con.execute("SELECT actor, what, \"rows\" FROM audit_log "
                         "WHERE action = 'sentiment_model'").fetchall()
    assert logged == [("system", "*", 600)]
    # The same reviews again: nothing is due, nothing is trained or switched.
    again = score_reviews(con)
    assert (again["model"], again["scored"]) == (run["model"], 0)
    assert len(registry.history(con)) == 1


def test_stock_model_is_kept_when_the_store_model_is_no_better(con):
    add_reviews(con, _standard(120, 300))
    run = score_reviews(con)
    kinds = sorted(k for (k,) in con.execute("SELECT kind FROM sentiment_models").fetchall())
    assert kinds == ["stock", "store"]  # trained and measured ...
    assert run["model"].startswith(stock.stock_id())  # ... but the stock model stays
    m = registry.metrics_of(con, run["model"])
    assert m["winner"] == "stock" and m["store"]["auc"] <= m["stock"]["auc"]
    assert registry.history(con)["reason"].tolist() == ["stock_better"]


def test_one_class_only_is_refused_clearly(con):
    add_reviews(con, [(f"p{i}", 5, f"很好，第{i}单", None) for i in range(300)])
    with pytest.raises(UserError) as err:
        train_store_model(con)
    assert err.value.key == "reviews.error.one_class"
    assert err.value.params == {"negative": 0, "positive": 300}
    assert score_reviews(con)["model"] == stock.stock_id()


def test_training_below_the_minimum_is_refused(con):
    add_reviews(con, _standard(99, 400))
    with pytest.raises(UserError) as err:
        train_store_model(con)
    assert err.value.key == "reviews.error.too_few_labels"
    assert err.value.params == {"negative": 99, "positive": 400, "minimum": 100}
    assert con.execute("SELECT count(*) FROM sentiment_models WHERE kind = 'store'"
                       ).fetchone()[0] == 0


def test_retrained_only_when_the_ratings_changed_by_a_quarter(con):
    add_reviews(con, _emoji(150, 450))
    first = score_reviews(con)["model"]
    add_reviews(con, _emoji(10, 40, prefix="b"), start=T0 + dt.timedelta(days=7))
    assert score_reviews(con)["model"] == first  # 50 more of 600: not due
    add_reviews(con, _emoji(50, 150, prefix="c"), start=T0 + dt.timedelta(days=14))
    second = score_reviews(con)
    assert second["model"] != first and second["model"].startswith("store-")
    # A new id: the old scores are kept, never reused; every text has the new model's.
    assert con.execute("SELECT count(*) FROM review_sentiment WHERE sentiment IS NULL"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(DISTINCT model) FROM sentiment_scores WHERE model "
                       "LIKE 'store-%'").fetchone()[0] == 2
    hist = registry.history(con)
    assert hist["model"].tolist() == [first, second["model"]]
    # Marked in the week of the latest review when it changed: 200 hourly reviews from
    # Monday 30 November end on Tuesday 8 December, week 50.
    changes = model_changes(con, ["2026-W48", "2026-W49", "2026-W50"])
    assert changes["week"].tolist() == ["2026-W50"]
    assert model_changes(con, ["2026-W48", "2026-W49"]).empty


def test_operators_pin_a_model(con):
    add_reviews(con, _emoji(150, 450))
    auto = score_reviews(con)["model"]
    pinned = choose_model(con, "stock", by="ops")
    assert pinned["model"].startswith(stock.stock_id() + "-")  # calibrated on the store
    assert settings.get(con, "sentiment.model") == "stock"
    assert registry.history(con)["reason"].tolist()[-1] == "pinned"
    assert choose_model(con, "snownlp")["model"] == models.snownlp_scorer().id
    assert choose_model(con, "store")["model"] == auto
    assert choose_model(con, "auto")["model"] == auto
    with pytest.raises(ValueError):
        choose_model(con, "best")


def test_store_pinned_without_a_store_model_uses_the_stock_model(con):
    add_reviews(con, _standard(10, 20))
    got = choose_model(con, "store")
    assert got["model"] == stock.stock_id()
    assert registry.history(con)["reason"].tolist() == ["no_store_model"]


def test_plan_by_hand():
    counts = {None: (260, 900), "A": (200, 600), "B": (40, 200), "C": (20, 100)}
    p = training.plan(counts, ["A", "B", "C", "D"])
    # A trains its own; B, C and D (no ratings) use the model of all shops together.
    assert p["store"] == ["A", None]
    assert p["model_scope"] == {"A": "A", "B": None, "C": None, "D": None}
    assert p["calibration_scope"] == p["model_scope"] and p["calibration"] == []
    few = training.plan({None: (60, 300), "A": (40, 200), "B": (20, 100)}, ["A", "B"])
    # Nobody can train: A calibrates on its own ratings, B on everyone's.
    assert (few["store"], few["model_scope"]) == ([], {})
    assert few["calibration"] == ["A", None]
    assert few["calibration_scope"] == {"A": "A", "B": None}
    one = training.plan({None: (150, 500), "A": (150, 500)}, ["A", "B"])
    # One shop with ratings: its reviews are all the reviews, one model for both shops.
    assert one["store"] == [None] and one["model_scope"] == {"A": None, "B": None}
    none = training.plan({None: (0, 0)}, ["A"])
    assert none == {"store": [], "calibration": [], "model_scope": {}, "calibration_scope": {}}


def test_shops_get_their_own_models(con):
    add_reviews(con, _emoji(150, 450, prefix="a"), shop="店A")
    add_reviews(con, _standard(40, 100, prefix="b"), shop="店B")
    score_reviews(con)
    now = registry.active(con)
    assert now["店A"].startswith("store-")
    scopes = dict(con.execute("SELECT model, scope FROM sentiment_models").fetchall())
    assert scopes[now["店A"]] == "店A"
    # 店B has too few to train: the model of both shops' reviews, if it beat the stock
    # model there, else the stock model calibrated on both shops.
    assert scopes[now["店B"]] is None


def test_cli_score_and_train(db_file, tmp_path):
    from analysis.db import connection

    with connection(db_file) as c:
        add_reviews(c, _emoji(150, 150))
    env_args = ["--db", str(db_file)]
    run = subprocess.run([sys.executable, "-m", "analysis", "score", *env_args, "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert set(got) == {"model", "scored", "cached", "no_text", "not_chinese", "seconds"}
    assert (got["scored"], got["no_text"], got["not_chinese"], got["cached"]) == (300, 0, 0, 0)
    assert got["model"].startswith("store-")
    out = tmp_path / "m.bin"
    run = subprocess.run([sys.executable, "-m", "analysis", "train-sentiment", *env_args,
                          "--out", str(out), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert (got["negative"], got["positive"], got["winner"]) == (150, 150, "store")
    assert got["train"] + got["held_out"] == 300 and got["out"] == str(out)
    assert got["store"]["auc"] > got["stock"]["auc"]
    run = subprocess.run([sys.executable, "-m", "analysis", "sentiment", "--model", "store",
                          *env_args], input="收到了👎\n", capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert float(run.stdout) == models.load_file(out).score("收到了👎") < 0.4
    run = subprocess.run([sys.executable, "-m", "analysis", "train-sentiment", "--db",
                          str(tmp_path / "empty.duckdb")], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 2 and "Not enough reviews" in run.stderr
