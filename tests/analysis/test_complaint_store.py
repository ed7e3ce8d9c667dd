"""The stored bad-review paths and refunded orders give the live answers, and are never used
once stale."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pytest

from analysis import bad_reviews, care, complaints, db, ladder_store

WEEK = (dt.datetime(2026, 11, 16), dt.datetime(2026, 11, 23))


def answers(con) -> dict:
    """Every reader of the stored tables, over all data and over one week."""
    out = {}
    for name, (start, end) in {"all": (None, None), "week": WEEK}.items():
        out[f"paths {name}"] = bad_reviews.bad_review_paths(con, start, end)
        out[f"by week {name}"] = bad_reviews.paths_by_week(con, start, end)
        out[f"no contact {name}"] = bad_reviews.no_contact_reviews(con, start, end)
        out[f"reply {name}"] = bad_reviews.seller_reply_stats(con, start, end)
        out[f"items {name}"] = bad_reviews.no_contact_items(con, start, end)
        for by in ("week", "item"):
            out[f"refund {by} {name}"] = complaints.refund_rate(con, start, end, by=by)
    out["call effect"] = care.call_effect(con)
    return out


def test_stored_answers_equal_live_answers_on_the_demo(demo_con):
    assert ladder_store.is_current(demo_con)  # the demo is made with it
    assert demo_con.execute("SELECT count(*) FROM review_paths").fetchone()[0] > 0
    assert demo_con.execute("SELECT count(*) FROM order_refunds").fetchone()[0] > 0
    stored = answers(demo_con)
    ladder_store.clear(demo_con)
    assert not ladder_store.is_current(demo_con)
    live = answers(demo_con)
    assert stored["paths all"]["no_contact"] > 0 and len(stored["no contact all"]) > 0
    assert stored["refund week all"]["refunded_orders"].sum() > 0
    for key, value in stored.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, live[key], check_dtype=False, obj=key)
        else:
            assert value == live[key], key


def test_a_review_written_past_the_refresh_is_classified_live(demo_con):
    before = bad_reviews.bad_review_paths(demo_con, None, None)
    demo_con.execute(
        "INSERT INTO reviews (shop, review_key, order_id, customer_id, rating, content, "
        "review_time) VALUES ('默认店铺', 'new', 'no-such-order', 'nobody', 1, '差', ?)",
        [dt.datetime(2026, 11, 20, 10)])
    assert not ladder_store.is_current(demo_con)
    after = bad_reviews.bad_review_paths(demo_con, None, None)
    assert after["no_contact"] == before["no_contact"] + 1
    assert ladder_store.refresh_if_stale(demo_con) is True
    assert bad_reviews.bad_review_paths(demo_con, None, None) == after


def test_a_wider_window_than_stored_is_computed_live(demo_con):
    wide = {"complaints.path_window_days": 90}
    assert not ladder_store.is_current(demo_con, wide)
    stored = bad_reviews.bad_review_paths(demo_con, None, None)
    live = bad_reviews.bad_review_paths(demo_con, None, None, settings=wide)
    assert live["no_contact"] <= stored["no_contact"]
    assert sum(live.values()) == sum(stored.values())


def test_a_database_from_the_previous_version_is_rebuilt_when_opened(tmp_path, demo_db):
    path = tmp_path / "old.duckdb"
    shutil.copy(demo_db, path)
    with db.connection(path) as c:
        # As the previous version left it: a ladder, no complaint tables, its stamp.
        c.execute("DELETE FROM review_paths")
        c.execute("DELETE FROM order_refunds")
        old = json.loads(c.execute("SELECT stamp FROM ladder_grid").fetchone()[0])
        del old["version"], old["path_window_days"]
        c.execute("UPDATE ladder_grid SET stamp = ?", [json.dumps(old)])
    with db.connection(path, read_only=True) as c:  # a read-only open changes nothing
        assert c.execute("SELECT count(*) FROM review_paths").fetchone()[0] == 0
        assert not ladder_store.is_current(c)
    with db.connection(path) as c:
        assert ladder_store.is_current(c)
        assert c.execute("SELECT count(*) FROM review_paths").fetchone()[0] > 0
        assert ladder_store.build_if_missing(c) is False  # once only
