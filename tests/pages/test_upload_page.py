"""The upload page: a GB18030 export with guarded 19-digit ids, a column mapped by hand,
the report, a re-upload, and deleting the import."""

from __future__ import annotations

import os

import duckdb

from tests.pages.conftest import make_app, texts

ORDER_IDS = ["4012345678901234567", "4012345678901234568", "4012345678901234569"]


def gb18030_orders() -> bytes:
    rows = ["订单编号,买家会员名,买家实际支付金额,订单付款时间,宝贝标题,自定义备注"]
    for i, oid in enumerate(ORDER_IDS):
        rows.append(f'="{oid}",买家{i},"1,299.00",2026/11/{i + 2} 13:05,真丝连衣裙,备注{i}')
    return ("\r\n".join(rows) + "\r\n").encode("gb18030")


def _upload(at, data: bytes, name: str = "订单报表.csv"):
    at.file_uploader[0].set_value((name, data, "text/csv"))
    return at.run()


def test_upload_map_import_report_and_delete(app_env):
    at = make_app("pages/upload.py", role="operator").run()
    assert not at.exception
    assert at.selectbox(key="upload_kind").value == "orders"
    _upload(at, gb18030_orders())
    assert not at.exception
    assert "gb18030" in texts(at)
    # The unknown 自定义备注 column is mapped by hand to the item id.
    remark = next(s for s in at.selectbox if s.label == "自定义备注")
    remark.set_value("item_id")
    at.run()
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["读取行"] == "3" and shown["新增"] == "3" and shown["拒收"] == "0"
    with duckdb.connect(os.environ["INSIGHTS_DB"], read_only=True) as con:
        got = con.execute("SELECT order_id, item_id, paid_amount FROM orders ORDER BY order_id").fetchall()
    assert [g[0] for g in got] == ORDER_IDS
    assert [g[1] for g in got] == ["备注0", "备注1", "备注2"]
    assert float(got[0][2]) == 1299.0
    # The uploader was emptied; the same file again is a no-op that says so.
    assert at.file_uploader[0].value is None
    _upload(at, gb18030_orders())
    next(b for b in at.button if b.label == "导入").click().run()
    assert "之前已经导入过" in texts(at)
    # Delete the import: its rows go.
    next(b for b in at.button if b.label == "删除").click().run()
    assert not at.exception
    with duckdb.connect(os.environ["INSIGHTS_DB"], read_only=True) as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 0


def test_bad_file_gets_a_clear_message(app_env):
    at = make_app("pages/upload.py", role="operator", lang="en").run()
    _upload(at, b"", "empty.csv")
    assert not at.exception
    assert at.error and "empty" in at.error[0].value.lower()
    assert not os.path.exists(os.environ["INSIGHTS_DB"])


def test_a_second_writer_waits_with_a_message(app_env):
    """Two operators importing at once: the second waits for the first, then lands."""
    import threading

    from pages._ui import state

    state._write_lock.acquire()
    threading.Timer(1.5, state._write_lock.release).start()
    at = make_app("pages/upload.py", role="operator").run()
    _upload(at, gb18030_orders())
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["新增"] == "3"


def test_a_review_upload_is_scored_and_the_stored_tables_follow(app_env, monkeypatch):
    from analysis import ladder_store
    from analysis.db import connection

    refreshes = []
    real = ladder_store.refresh
    monkeypatch.setattr(ladder_store, "refresh", lambda con, *a, **k: refreshes.append(1) or real(con, *a, **k))
    rows = ["订单编号,买家会员名,评价内容,评分,评价时间",
            "9001,tb_a,质量很好，物流也快,5,2026-11-17 10:00:00",
            "9002,tb_b,包装破损，客服不理人,1,2026-11-18 11:00:00"]
    at = make_app("pages/upload.py", role="operator").run()
    at.selectbox(key="upload_kind").set_value("reviews").run()
    _upload(at, ("\n".join(rows) + "\n").encode("utf-8"), "评价.csv")
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception, at.exception
    assert refreshes == [1]  # one write: import and scoring, then one rebuild
    with connection(os.environ["INSIGHTS_DB"], read_only=True) as con:
        scored = con.execute("SELECT count(sentiment) FROM review_sentiment").fetchone()[0]
        assert scored == 2
        assert ladder_store.is_current(con)
        assert con.execute("SELECT count(*) FROM review_paths").fetchone()[0] == 1  # the 1-star


def test_preview_warns_and_lists_what_each_page_gets(app_env):
    """An order export with no buyer column: it imports, and the page says what it lacks."""
    data = "订单编号,买家实际支付金额,订单付款时间,确认收货时间\n1001,10,2026-11-02 10:00,2026-11-05 10:00\n"
    at = make_app("pages/upload.py", role="operator").run()
    _upload(at, data.encode("utf-8"))
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "没有买家 ID 列" in warnings and "确认收货时间" in warnings
    shown = texts(at)
    assert "⚠ 客户分层：需要买家 ID" in shown and "✓ 销售额与订单数" in shown
    # Targets are in the user's language, the required one marked.
    key = next(s for s in at.selectbox if s.label == "订单编号")
    assert key.format_func(key.value) == "订单号 · order_id *"


def test_a_failed_first_import_leaves_no_store_behind(app_env, monkeypatch):
    from analysis import ingest

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "import_bytes", broken)
    at = make_app("pages/upload.py", role="operator").run()
    _upload(at, gb18030_orders())
    next(b for b in at.button if b.label == "导入").click().run()
    assert not os.path.exists(os.environ["INSIGHTS_DB"])


def test_rejections_grouped_by_reason(app_env):
    data = "订单编号,实付金额\n1001,10\n,20\n,30\n1.03531E+12,5\n"
    at = make_app("pages/upload.py", role="operator", lang="en").run()
    _upload(at, data.encode("utf-8"))
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    grouped = next(d.value for d in at.dataframe if "Count" in d.value.columns)
    assert list(grouped["Count"]) == [2, 1]
    assert list(grouped["Lines (first 5)"]) == ["3, 4", "5"]


def test_several_shops_and_no_shop_column_the_page_asks(app_env):
    from analysis.db import connection
    from analysis.ingest import import_bytes

    with connection(os.environ["INSIGHTS_DB"]) as con:
        for shop, oid in (("A店", "1"), ("B店", "2")):
            import_bytes(con, f"订单编号,实付金额,店铺名称\n{oid},10,{shop}\n".encode(), f"{shop}.csv",
                         "orders")
    at = make_app("pages/upload.py", role="operator").run()
    at.selectbox(key="upload_kind").set_value("reviews").run()
    _upload(at, "订单编号,评价内容\n3,好\n".encode("utf-8"), "评价.csv")
    assert not at.exception
    assert any("A店、B店" in i.value for i in at.info)
