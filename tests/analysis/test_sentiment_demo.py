"""On the demo, whose generator knows how each text was written (analysis.demo_texts): the
mismatch queue and the aspect examples hold no text written as praise, with the stock
model calibrated on the demo (the small demo) and with the store model it trains (the
default-sized one)."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import demo_texts as T
from analysis.db import connection
from analysis.sentiment import aspect_counts, mismatch_queue, registry


@pytest.fixture(scope="module")
def big_demo(tmp_path_factory):
    """The demo at its default size: enough 1–2★ reviews for a store model."""
    from analysis.demo import write_demo

    path = tmp_path_factory.mktemp("demo3000") / "demo.duckdb"
    write_demo(path, customers=3000, seed=7, end=dt.date(2026, 11, 20))
    with connection(path) as con:
        yield con


def test_written_polarity_by_hand():
    assert T.written_polarity("质量非常好，物超所值，推荐购买。") == T.PRAISE
    assert T.written_polarity("好评") == T.PRAISE
    assert T.written_polarity("物流太慢了，等了一个星期才到，差评！") == T.COMPLAINT
    assert T.written_polarity("质量很好，用料扎实，不过说好的优惠没有用上。") == T.MIXED
    assert T.written_polarity("此用户未及时填写评价内容") == T.NEITHER


def _queue_texts(con):
    q = mismatch_queue(con, None, None)
    return [(k, f if k == "followup_negative" else c)
            for k, c, f in q[["kind", "content", "followup_content"]].itertuples(index=False)]


def _check(con):
    queue = _queue_texts(con)
    praise = [(k, text) for k, text in queue if T.written_polarity(text) == T.PRAISE]
    assert praise == []
    # The queue is not empty: five stars over a complaint are there.
    assert any(k == "five_star_low" and T.written_polarity(t) == T.COMPLAINT for k, t in queue)
    aspects = aspect_counts(con, None, None)
    examples = [(a, text) for a, ex in zip(aspects["aspect"], aspects["examples"]) for text in ex]
    assert examples and [e for e in examples if T.written_polarity(e[1]) == T.PRAISE] == []
    assert (aspects["reviews"] > 0).sum() >= 6  # complaints are found, not just praise left out
    return queue, examples


def test_small_demo_with_the_calibrated_stock_model(demo_con):
    kinds = set(registry.active_table(demo_con)["kind"])
    assert kinds == {"stock"}
    _check(demo_con)


def test_default_demo_with_its_store_model(big_demo):
    kinds = set(registry.active_table(big_demo)["kind"])
    assert "store" in kinds
    _check(big_demo)
