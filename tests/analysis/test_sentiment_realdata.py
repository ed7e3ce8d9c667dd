"""Regression on real takeaway reviews (waimai_10k, not in snownlp's training data)."""

from __future__ import annotations

import pandas as pd
from analysis.sentiment import model as models
from analysis.sentiment.training import auc, fit_calibrated

SAMPLE = 2000
SEED = 20261116


def test_jieba_path_keeps_snownlp_auc_and_store_model_beats_stock(realdata):
    from snownlp import SnowNLP

    df = pd.read_csv(realdata / "waimai_10k.csv", dtype={"review": str})
    sample = df.sample(SAMPLE, random_state=SEED)
    rest = df.drop(sample.index)
    labels = (sample["label"] == 1).tolist()
    texts = sample["review"].tolist()
    slow = [SnowNLP(t).sentiments for t in texts]  # the slow path, once
    fast = models.score_texts(texts)
    assert sum(s is None for s in fast) == 0  # every sampled text has wording
    slow_auc, fast_auc = auc(labels, slow), auc(labels, fast)
    assert abs(fast_auc - slow_auc) <= 0.02, (fast_auc, slow_auc)

    rows = [(models.cut(t), lab == 1) for t, lab in zip(rest["review"], rest["label"])]
    store = fit_calibrated(rows, negative_below=0.4)
    scores = [store.score(t) for t in texts]
    store_auc = auc(labels, scores)
    print(f"AUC snownlp {slow_auc:.4f}, jieba path {fast_auc:.4f}, store {store_auc:.4f}")
    assert store_auc > fast_auc + 0.03, (store_auc, fast_auc)
    # Its negative band estimates the sample's share of negative reviews to 5 points.
    negative_share = sum(s < 0.4 for s in scores) / len(scores)
    true_share = labels.count(False) / len(labels)
    assert abs(negative_share - true_share) <= 0.05, (negative_share, true_share)
