"""Erasing one buyer's personal data on request (PIPL): gone everywhere, figures unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis import db
from analysis.errors import UserError
from analysis.privacy import pseudonymise
from analysis.privacy_requests import erase_buyer
from analysis.summary import summary
from tests.analysis.test_parquet import assert_same_figures

# Values no demo buyer has, so finding one anywhere means erasure missed it.
NAME, PHONE, STREET = "测试冯某某", "13900007777", "仁和里路9号"
REVIEW_MARK, FOLLOWUP = "仁和里独特标记", "追评：仁和里独特标记用了一周还行"


def _insert_scores(con, texts_scores):
    con.executemany("INSERT INTO sentiment_scores VALUES ('stock', md5(?), ?, false, current_localtimestamp())",
                    [[t, s] for t, s in texts_scores])


@pytest.fixture
def small(con):
    """Two buyers in shop A; b1 also in shop B. Review texts scored by hand."""
    con.execute("""
        INSERT INTO orders (shop, order_id, customer_id, pay_time, paid_amount, buyer_name, phone, address, extra)
        VALUES ('A', 'o1', 'b1', TIMESTAMP '2026-11-17 10:00', 100, '张三', '13811112222', '北京市朝阳区某路1号', '{"备注": "13811112222"}'),
               ('A', 'o2', 'b1', TIMESTAMP '2026-11-18 10:00', 50, '张三', '13811112222', '北京市朝阳区某路1号', NULL),
               ('A', 'o3', 'b2', TIMESTAMP '2026-11-18 11:00', 70, '李四', '13933334444', '上海市某路2号', NULL),
               ('B', 'o4', 'b1', TIMESTAMP '2026-11-18 12:00', 30, '张三', '13811112222', '北京市朝阳区某路1号', NULL)""")
    con.execute("""
        INSERT INTO reviews (shop, review_key, order_id, customer_id, rating, content, review_time,
                             followup_content, seller_reply)
        VALUES ('A', 'r1', 'o1', 'b1', 5, '张三说很好', TIMESTAMP '2026-11-19 10:00', '追评也好', '谢谢'),
               ('A', 'r2', 'o3', 'b2', 1, '很差', TIMESTAMP '2026-11-19 11:00', NULL, NULL)""")
    con.execute("INSERT INTO contacts (shop, customer_id, source, buyer_name, phone) "
                "VALUES ('A', 'b1', 'member', '张三', '13811112222')")
    _insert_scores(con, [("张三说很好", 0.9), ("追评也好", 0.8), ("很差", 0.1)])
    return con


def _sentiments(con):
    return con.execute("SELECT review_key, sentiment, followup_sentiment, no_text FROM review_sentiment "
                       "ORDER BY review_key").fetchall()


def test_erase_counts_rows_and_keeps_scores(small):
    before = _sentiments(small)
    result = erase_buyer(small, "b1", shop="A", by="ops@example.com")
    assert result == {"customer_id": "b1", "shop": "A", "orders": 2, "order_items": 0, "contacts": 1,
                      "reviews": 1, "tickets": 0, "care_calls": 0}
    assert _sentiments(small) == before == [("r1", 0.9, 0.8, False), ("r2", 0.1, None, False)]
    assert small.execute("SELECT content, followup_content, seller_reply FROM reviews WHERE review_key = 'r1'"
                         ).fetchall() == [(None, None, "谢谢")]
    # b1 in shop B and b2 are untouched.
    assert small.execute("SELECT order_id, buyer_name, phone FROM orders WHERE buyer_name IS NOT NULL "
                         "ORDER BY order_id").fetchall() == [("o3", "李四", "13933334444"),
                                                             ("o4", "张三", "13811112222")]


def test_erasing_twice_keeps_one_hash_row(small):
    erase_buyer(small, "b1", shop="A")
    erase_buyer(small, "b1", shop="A")
    assert small.execute("SELECT count(*) FROM erased_reviews").fetchall() == [(1,)]
    assert small.execute("SELECT count(*) FROM review_sentiment").fetchall() == [(2,)]
    assert _sentiments(small)[0] == ("r1", 0.9, 0.8, False)


def test_unknown_or_blank_id_is_a_user_error(small):
    with pytest.raises(UserError) as err:
        erase_buyer(small, "nobody")
    assert err.value.key == "erase.not_found"
    with pytest.raises(UserError):
        erase_buyer(small, "  ")
    assert small.execute("SELECT count(*) FROM audit_log").fetchall() == [(0,)]


def test_pseudonymised_ids_are_found_by_the_raw_id(con):
    stored = pseudonymise("b9", "salt")
    con.execute("INSERT INTO orders (shop, order_id, customer_id, phone) VALUES ('A', 'o9', ?, '13800000000')",
                [stored])
    assert erase_buyer(con, "b9", salt="salt")["orders"] == 1
    assert con.execute("SELECT phone FROM orders").fetchall() == [(None,)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from analysis.demo import write_demo

    path = tmp_path_factory.mktemp("erase") / "demo.duckdb"
    write_demo(path, customers=300, seed=5, end=dt.date(2026, 11, 20))
    return path


def _buyer_with_most_texts_in_w47(con) -> str:
    return con.execute("""
        SELECT customer_id FROM reviews
        WHERE review_time >= TIMESTAMP '2026-11-16' AND content IS NOT NULL AND customer_id IS NOT NULL
        GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1""").fetchall()[0][0]


def _mark_buyer(con, cid: str) -> None:
    """Give the buyer values found nowhere else, texts with scores, and extras holding them."""
    extra = json.dumps({"收货人备注": f"{PHONE} {STREET}"}, ensure_ascii=False)
    con.execute("UPDATE orders SET buyer_name = ?, phone = ?, address = ?, extra = ? WHERE customer_id = ?",
                [NAME, PHONE, "浙江省杭州市" + STREET, extra, cid])
    con.execute("UPDATE contacts SET buyer_name = ?, phone = ?, extra = ? WHERE customer_id = ?",
                [NAME, PHONE, extra, cid])
    con.execute("UPDATE tickets SET extra = ? WHERE customer_id = ?", [extra, cid])
    con.execute("UPDATE reviews SET content = content || ?, followup_content = ? WHERE customer_id = ?",
                [REVIEW_MARK, FOLLOWUP, cid])
    texts = [r[0] for r in con.execute("SELECT content FROM reviews WHERE customer_id = ? AND content IS NOT NULL",
                                       [cid]).fetchall()]
    _insert_scores(con, [(t, 0.25) for t in texts] + [(FOLLOWUP, 0.7)])
    con.execute("INSERT INTO care_calls (shop, customer_id, note) SELECT shop, customer_id, ? FROM orders "
                "WHERE customer_id = ? LIMIT 1", [f"打了 {PHONE}", cid])


def _text_columns(con):
    return con.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND data_type IN ('VARCHAR', 'JSON') "
                       "AND table_name IN (SELECT table_name FROM information_schema.tables "
                       "WHERE table_type = 'BASE TABLE')").fetchall()


def test_demo_buyer_erased_everywhere_with_figures_unchanged(demo):
    with db.connection(demo) as con:
        cid = _buyer_with_most_texts_in_w47(con)
        _mark_buyer(con, cid)
        week_before, all_before = summary(con, "2026-W47"), summary(con)
        followups_before = con.execute("SELECT count(followup_sentiment), sum(followup_sentiment) "
                                       "FROM review_sentiment").fetchall()
        assert week_before["reviews"]["scored"] >= 2  # the buyer's texts count in the week
        result = erase_buyer(con, cid, by="ops@example.com")
        assert result["reviews"] >= 2 and result["orders"] >= 1

        for table, column in _text_columns(con):
            for needle in (NAME, PHONE, STREET, REVIEW_MARK):
                hits = con.execute("SELECT count(*) FROM query_table(?) "
                                   "WHERE contains(CAST(COLUMNS(?) AS VARCHAR), ?)",
                                   [table, column, needle]).fetchall()[0][0]
                assert hits == 0, (table, column, needle)
        assert_same_figures(summary(con, "2026-W47"), week_before)
        assert_same_figures(summary(con), all_before)
        assert con.execute("SELECT count(followup_sentiment), sum(followup_sentiment) "
                           "FROM review_sentiment").fetchall() == followups_before
        log = con.execute("SELECT actor, role, action, what, rows FROM audit_log WHERE action = 'erase'").fetchall()
    assert log == [("ops@example.com", "operator", "erase", cid, sum(
        v for k, v in result.items() if k not in ("customer_id", "shop")))]
