"""Scoring the database incrementally, the cache, and the store model."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import settings
from analysis.errors import UserError
from analysis.sentiment import model as models
from analysis.sentiment import score_reviews, score_texts, train_store_model

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 11, 16, 10, 0)

INSERT_REVIEW = """
INSERT INTO reviews (shop, review_key, rating, content, review_time, followup_content)
VALUES (?, ?, ?, ?, ?, ?)
"""


def add_reviews(con, rows, shop="默认店铺"):
    """rows: (key, rating, content, followup)."""
    for i, (key, rating, content, followup) in enumerate(rows):
        con.execute(INSERT_REVIEW, [shop, key, rating, content, T0 + dt.timedelta(hours=i),
                                    followup])


def test_score_reviews_scores_once_then_only_what_is_new(con):
    add_reviews(con, [
        ("r1", 5, "质量很好，物流很快", None),
        ("r2", 1, "太差了，坏了", "用了一周又坏了"),
        ("r3", 5, "此用户没有填写评论!", None),
        ("r4", 5, None, None),
        ("r5", 4, "质量很好，物流很快", None),  # same text as r1: one cache entry
    ])
    calls = []
    first = score_reviews(con, progress=lambda f, m: calls.append(f))
    # Texts: r1/r5 text, r2 text, r2 追评 scored; placeholder and the empty text are no text.
    assert (first["model"], first["scored"], first["no_text"], first["cached"]) == (
        "stock", 3, 2, 0)
    assert calls[-1] == 1.0
    second = score_reviews(con)
    assert (second["scored"], second["no_text"], second["cached"]) == (0, 0, 5)
    view = dict(con.execute(
        "SELECT review_key, sentiment FROM review_sentiment").fetchall())
    assert view["r1"] == view["r5"] == score_texts(["质量很好，物流很快"])[0]
    assert view["r3"] is None and view["r4"] is None
    no_text = dict(con.execute("SELECT review_key, no_text FROM review_sentiment").fetchall())
    assert no_text == {"r1": False, "r2": False, "r3": True, "r4": True, "r5": False}
    follow = con.execute(
        "SELECT followup_sentiment FROM review_sentiment WHERE review_key = 'r2'").fetchone()[0]
    assert follow == score_texts(["用了一周又坏了"])[0]

    add_reviews(con, [("r6", 2, "包装破损", None), ("r7", 5, "质量很好，物流很快", None)])
    third = score_reviews(con)
    assert (third["scored"], third["no_text"], third["cached"]) == (1, 0, 5)
    assert con.execute("SELECT count(*) FROM sentiment_scores").fetchone()[0] == 6


def _labelled(n_neg, n_pos):
    neg_words = ["太差了", "质量不好", "坏了", "物流慢", "不推荐"]
    pos_words = ["很好", "满意", "物流快", "推荐购买", "好评"]
    rows = [(f"n{i}", 1 + i % 2, f"{neg_words[i % 5]}，{neg_words[(i + 2) % 5]}", None)
            for i in range(n_neg)]
    rows += [(f"p{i}", 4 + i % 2, f"{pos_words[i % 5]}，{pos_words[(i + 1) % 5]}", None)
             for i in range(n_pos)]
    rows += [("m1", 3, "一般般", None), ("d1", 5, "系统默认好评", None)]
    return rows


def test_training_below_the_minimum_is_refused(con):
    add_reviews(con, _labelled(199, 400))
    with pytest.raises(UserError) as err:
        train_store_model(con)
    assert err.value.key == "reviews.error.too_few_labels"
    assert err.value.params == {"negative": 199, "positive": 400, "minimum": 200}
    assert con.execute("SELECT count(*) FROM sentiment_models").fetchone()[0] == 0


def test_store_model_is_trained_stored_and_used(con, tmp_path):
    add_reviews(con, _labelled(200, 300))
    out = tmp_path / "store.model"
    result = train_store_model(con, out=out)
    # 3★ and the default review left out; 20 % of each class held out.
    assert (result["negative"], result["positive"]) == (200, 300)
    assert (result["train"], result["held_out"]) == (400, 100)
    assert result["store"]["accuracy"] == 1.0
    assert out.is_file() and result["out"] == str(out)  # that exact path, no ".3"
    from_file = models.load_file(out)
    stored = models.load_store(con)
    assert stored.classes == from_file.classes
    assert score_texts(["质量不好"], model=from_file) == score_texts(
        ["质量不好"], model="store", con=con)
    assert score_texts(["好评"], model=from_file)[0] > 0.5  # the stock trap, fixed

    settings.put(con, "sentiment.model", "store")
    run = score_reviews(con)
    assert (run["model"], run["scored"], run["no_text"]) == ("store", 11, 1)  # distinct texts
    # Retraining drops the old store scores and rescores because store is active.
    again = train_store_model(con, seed=3)
    assert again["rescored"] == 11
    assert con.execute("SELECT count(*) FROM sentiment_scores WHERE model = 'store'"
                       ).fetchone()[0] == 12


def test_cli_score_and_train(db_file, tmp_path):
    from analysis.db import connection

    with connection(db_file) as c:
        add_reviews(c, _labelled(200, 200))
    env_args = ["--db", str(db_file)]
    run = subprocess.run([sys.executable, "-m", "analysis", "score", *env_args, "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert set(got) == {"model", "scored", "cached", "no_text", "seconds"}
    assert (got["model"], got["scored"], got["no_text"], got["cached"]) == ("stock", 11, 1, 0)
    out = tmp_path / "m.bin"
    run = subprocess.run([sys.executable, "-m", "analysis", "train-sentiment", *env_args,
                          "--out", str(out), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert (got["negative"], got["positive"], got["held_out"]) == (200, 200, 80)
    assert out.is_file()
    run = subprocess.run([sys.executable, "-m", "analysis", "sentiment", "--model", "store",
                          *env_args], input="好评\n", capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert float(run.stdout) == score_texts(["好评"], model=models.load_file(out))[0]
    run = subprocess.run([sys.executable, "-m", "analysis", "train-sentiment", "--db",
                          str(tmp_path / "empty.duckdb")], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert run.returncode == 2 and "Not enough reviews" in run.stderr
