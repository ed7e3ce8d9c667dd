"""Platform profiles: every export laid out as the platform writes it imports with no --map.

Each fixture is written here from a real header row (tests/analysis/export_layouts.py) and
values in the platform's own conventions (tab-guarded ids, ``-`` for empty cells, GBK files,
sub-order rows); the expected rows are worked out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from analysis.ingest import delete_import, import_bytes, profiles
from tests.analysis import export_layouts as L

T = dt.datetime


def export(headers, rows, *, blank="", encoding="utf-8-sig", delimiter=",", above=()):
    """A CSV as the platform writes it: every header present, cells not given are ``blank``."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in above:
        w.writerow(line)
    w.writerow(headers)
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        w.writerow([row.get(h, blank) for h in headers])
    return out.getvalue().encode(encoding)


def identity(r):
    assert r["rows_read"] == r["inserted"] + r["updated"] + r["unchanged"] + r["rejected"]


DY1, DY2 = "6917926768823643751", "6917926768823643760"


def _douyin_rows(price_col):
    main = {"主订单编号": "\t" + DY1, "选购商品": "加厚羊毛大衣", "商品ID": "\t3501", "商品数量": "1",
            price_col: "899.00", "订单应付金额": "899.00", "订单提交时间": "2026-11-01 10:00:00",
            "支付完成时间": "2026-11-01 10:01:30", "订单状态": "已发货", "发货时间": "2026-11-02 09:00:00",
            "收件人": "张**", "收件人手机号": "138****5678", "省": "浙江省", "市": "杭州市",
            "详细地址": "##密文", "订单完成时间": "-"}
    gift = {**main, "子订单编号": "\t" + DY1 + "1", "选购商品": "赠品", "商品ID": "\t3502",
            price_col: "0.00", "订单应付金额": "0.00", "发货时间": "-"}
    main["子订单编号"] = "\t" + DY1
    second = {**main, "主订单编号": "\t" + DY2, "子订单编号": "\t" + DY2, "商品数量": "2",
              price_col: "899.00", "订单应付金额": "1798.00", "订单状态": "已完成",
              "订单完成时间": "2026-11-05 20:00:00"}
    return [main, gift, second]


@pytest.mark.parametrize("layout, price_col", [(L.DOUYIN_A, "商品金额"), (L.DOUYIN_B, "商品单价")])
def test_douyin_sub_orders_make_one_order_with_summed_amount(con, layout, price_col):
    r = import_bytes(con, export(layout, _douyin_rows(price_col), blank="-"), "订单导出.csv",
                     "orders")
    identity(r)
    assert r["platform"] == "douyin" and r["rejected"] == 0
    assert (r["rows_read"], r["inserted"], r["updated"]) == (3, 3, 0)
    assert r["tables"]["orders"]["inserted"] == 2 and r["tables"]["order_items"]["inserted"] == 3
    rows = con.execute("SELECT order_id, paid_amount, quantity, status, pay_time, ship_time, "
                       "signed_time FROM orders ORDER BY order_id").fetchall()
    assert rows == [
        (DY1, Decimal("899.00"), 2, "已发货", T(2026, 11, 1, 10, 1, 30), T(2026, 11, 2, 9), None),
        (DY2, Decimal("1798.00"), 2, "已完成", T(2026, 11, 1, 10, 1, 30), T(2026, 11, 2, 9),
         T(2026, 11, 5, 20)),
    ]
    items = con.execute("SELECT order_id, line, item_id, item_title, quantity FROM order_items "
                        "ORDER BY order_id, line").fetchall()
    assert items == [(DY1, 1, "3501", "加厚羊毛大衣", 1), (DY1, 2, "3502", "赠品", 1),
                     (DY2, 1, "3501", "加厚羊毛大衣", 2)]
    again = import_bytes(con, export(layout, _douyin_rows(price_col), blank="-") + b"\r\n",
                         "订单导出 (1).csv", "orders")
    assert (again["unchanged"], again["inserted"], again["updated"]) == (3, 0, 0)


def test_tmall_2021_order_list_is_not_douyin(con):
    headers = L.TAOBAO_2018 + ["主订单编号"]
    row = {"订单编号": "1850000000000000001", "买家会员名": "tb_小王", "买家实际支付金额": "128.00",
           "总金额": "138.00", "订单状态": "交易成功", "订单创建时间": "2026-11-01 10:00:00",
           "订单付款时间": "2026-11-01 10:02:00", "宝贝标题": "真丝围巾", "宝贝总数量": "1",
           "店铺名称": "丝语旗舰店", "确认收货时间": "2026-11-06 12:00:00",
           "主订单编号": "1850000000000000001"}
    r = import_bytes(con, export(headers, [row], encoding="gb18030"), "ExportOrderList.csv",
                     "orders")
    assert r["platform"] in ("taobao", "tmall") and r["mapping"]["订单编号"] == "order_id"
    assert "主订单编号" not in r["mapping"]
    assert con.execute("SELECT order_id, customer_id, shop, paid_amount, signed_time "
                       "FROM orders").fetchall() == [
        ("1850000000000000001", "tb_小王", "丝语旗舰店", Decimal("128.00"), T(2026, 11, 6, 12))]


def test_tmall_sub_order_report_folds_lines_into_orders(con):
    rows = [{"子订单编号": "2001", "主订单编号": "2000", "商品标题": "真丝围巾", "商品价格": "128.00",
             "购买数量": "1", "买家实付金额": "120.00", "订单状态": "交易成功", "商品ID": "66001",
             "订单创建时间": "2026-11-01 10:00:00", "订单付款时间": "2026-11-01 10:02:00",
             "退款金额": "0"},
            {"子订单编号": "2002", "主订单编号": "2000", "商品标题": "礼盒", "商品价格": "20.00",
             "购买数量": "2", "买家实付金额": "40.00", "订单状态": "交易关闭", "商品ID": "66002",
             "订单创建时间": "2026-11-01 10:00:00", "订单付款时间": "2026-11-01 10:02:00",
             "退款金额": "40.00"}]
    r = import_bytes(con, export(L.TMALL_LINES_27, rows, encoding="gb18030"), "baobei.csv",
                     "orders")
    identity(r)
    assert r["platform"] == "tmall" and r["rows_read"] == 2 and r["inserted"] == 2
    # A closed line does not close the order; amounts and refunds are the lines' sums.
    assert con.execute("SELECT order_id, paid_amount, refund_amount, quantity, status, "
                       "unit_price FROM orders").fetchall() == [
        ("2000", Decimal("160.00"), Decimal("40.00"), 3, "交易成功", Decimal("128.00"))]
    assert con.execute("SELECT line, item_id, unit_price, quantity FROM order_items "
                       "ORDER BY line").fetchall() == [
        (1, "66001", Decimal("128.00"), 1), (2, "66002", Decimal("20.00"), 2)]


def test_pdd_orders_have_dates_items_and_quantities(con):
    rows = [{"订单成交时间": "2026-11-03 21:15:09", "商品": "云南小粒咖啡豆 500g",
             "订单号": "261103-512345678901234", "订单状态": "已发货，待签收",
             "商品总价(元)": "59.90", "用户实付金额(元)": "49.90", "商家实收金额(元)": "47.40",
             "商品数量(件)": "2", "发货时间": "2026-11-04 10:00:00", "商品id": "5550001"}]
    r = import_bytes(con, export(L.PDD, rows), "pdd.csv", "orders")
    assert r["platform"] == "pdd" and r["inserted"] == 1
    assert con.execute("SELECT order_id, pay_time, item_title, quantity, paid_amount, "
                       "item_id FROM orders").fetchall() == [
        ("261103-512345678901234", T(2026, 11, 3, 21, 15, 9), "云南小粒咖啡豆 500g", 2,
         Decimal("49.90"), "5550001")]


def _jd_rows():
    base = {"订单号": "290012345678", "下单时间": "2026-11-01 09:00:00", "订单金额": "318.00",
            "应付金额": "308.00", "订单状态": "完成", "下单帐号": "jd_4a8f2c1e", "客户姓名": "李雷",
            "客户地址": "北京朝阳区某路1号", "联系电话": "13900001111",
            "付款确认时间": "2026-11-01 09:01:00", "订单完成时间": "2026-11-04 18:30:00"}
    return [{**base, "商品ID": "100012", "商品名称": "保温杯", "订购数量": "1", "京东价": "199.00"},
            {**base, "商品ID": "100013", "商品名称": "杯套", "订购数量": "2", "京东价": "59.50"},
            {**base, "订单号": "290012345679", "商品ID": "100012", "商品名称": "保温杯",
             "订购数量": "1", "京东价": "199.00", "订单金额": "199.00", "应付金额": "199.00"}]


def _check_jd(con, r):
    identity(r)
    assert r["platform"] == "jd" and r["rejected"] == 0
    assert (r["rows_read"], r["inserted"], r["updated"]) == (3, 3, 0)
    assert con.execute(
        "SELECT order_id, customer_id, buyer_name, address, pay_time, signed_time, "
        "paid_amount, quantity, unit_price FROM orders ORDER BY order_id").fetchall() == [
        ("290012345678", "jd_4a8f2c1e", "李雷", "北京朝阳区某路1号", T(2026, 11, 1, 9, 1),
         T(2026, 11, 4, 18, 30), Decimal("308.00"), 3, Decimal("199.00")),
        ("290012345679", "jd_4a8f2c1e", "李雷", "北京朝阳区某路1号", T(2026, 11, 1, 9, 1),
         T(2026, 11, 4, 18, 30), Decimal("199.00"), 1, Decimal("199.00"))]
    assert con.execute("SELECT count(*) FROM order_items").fetchone()[0] == 3


def test_jd_orders_gbk_csv_one_row_per_sku(con):
    r = import_bytes(con, export(L.JD_2016, _jd_rows(), encoding="gbk"), "订单.csv", "orders")
    _check_jd(con, r)


def test_jd_orders_xlsx_one_row_per_sku(con):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(L.JD_2016)
    for row in _jd_rows():
        ws.append([row.get(h, "") for h in L.JD_2016])
    buf = io.BytesIO()
    wb.save(buf)
    r = import_bytes(con, buf.getvalue(), "订单.xlsx", "orders")
    assert r["encoding"] == "xlsx"
    _check_jd(con, r)


@pytest.mark.parametrize("layout, applied, ticket_col", [
    (L.TMALL_REFUND_2017, "退款的申请时间", "退款编号"),
    (L.TMALL_REFUND_22, "退款申请时间", "退款单编号"),
])
def test_tmall_refund_report_as_tickets(con, layout, applied, ticket_col):
    row = {"订单编号": "1850000000000000001", ticket_col: "9100000000000001",
           applied: "2026-11-02 10:00:00", "退款状态": "退款成功", "买家退款金额": "128.00",
           "客服介入状态": "客服介入中" if "是否零秒响应" in layout else "已介入",
           "买家退款原因": "质量问题", "完结时间": "2天13小时0分", "宝贝标题": "真丝围巾"}
    if "退款完结时间" in layout:
        row["退款完结时间"] = "2026-11-04 23:00:00"
    r = import_bytes(con, export(layout, [row]), "退款报表.csv", "tickets")
    identity(r)
    assert r["platform"] == "tmall" and r["rejected"] == 0, r["rejections"]
    assert r["mapping"].get("完结时间") is None  # a duration is not a time
    got = con.execute("SELECT ticket_id, order_id, opened_at, resolved_at, refund_amount, "
                      "category, status, source, escalated FROM tickets").fetchall()
    resolved = T(2026, 11, 4, 23) if "退款完结时间" in layout else None
    assert got == [("9100000000000001", "1850000000000000001", T(2026, 11, 2, 10), resolved,
                    Decimal("128.00"), "质量问题", "退款成功", "refund", True)]


def test_jd_after_sales_with_a_row_of_group_titles(con):
    row = {"服务单号": "1688001", "订单号": "290012345678", "服务单状态": "完成",
           "一级申请原因": "质量问题", "售后申请时间": "2026-11-05 08:00:00", "下单账号": "jd_4a8f2c1e",
           "商品名称": "保温杯", "退款金额": "199.00", "处理结果": "退款", "处理人": "客服A",
           "商家首次处理时间": "2026-11-05 09:30:00", "售后整体时长(H)": "26.5"}
    above = [["申请信息"] + [""] * 7 + ["订单信息"] + [""] * (len(L.JD_AFTER_NEW) - 9)]
    r = import_bytes(con, export(L.JD_AFTER_NEW, [row], above=above), "售后服务单.csv", "tickets")
    identity(r)
    assert r["platform"] == "jd" and r["inserted"] == 1 and r["skipped"] == 1
    assert con.execute("SELECT ticket_id, order_id, customer_id, opened_at, first_response_at, "
                       "resolved_at, category, agent, source FROM tickets").fetchall() == [
        ("1688001", "290012345678", "jd_4a8f2c1e", T(2026, 11, 5, 8), T(2026, 11, 5, 9, 30),
         T(2026, 11, 6, 10, 30), "质量问题", "客服A", "after_sales")]


def test_zendesk_export(con):
    rows = [{"Summation column": "1", "Id": "4521", "Requester": "Ann", "Requester id": "9001",
             "Assignee": "Bob", "Group": "Support", "Subject": "Broken zip", "Status": "Solved",
             "Via": "Mail", "Created at": "2026-11-02 09:00:00", "Solved at": "2026-11-02 15:00:00",
             "First reply time in minutes": "30"},
            {"Summation column": "1", "Id": "4522", "Requester": "Cat", "Requester id": "9002",
             "Group": "Support", "Status": "Open", "Via": "Web form",
             "Created at": "2026-11-02 10:00:00"}]
    r = import_bytes(con, export(L.ZENDESK, rows), "export.csv", "tickets")
    assert r["platform"] == "zendesk" and r["inserted"] == 2
    assert con.execute("SELECT ticket_id, customer_id, opened_at, first_response_at, resolved_at, "
                       "agent, channel, status FROM tickets ORDER BY 1").fetchall() == [
        ("4521", "9001", T(2026, 11, 2, 9), T(2026, 11, 2, 9, 30), T(2026, 11, 2, 15), "Bob",
         "Mail", "Solved"),
        ("4522", "9002", T(2026, 11, 2, 10), None, None, None, "Web form", "Open")]


@pytest.mark.parametrize("headers, key", [
    (L.QIYU_ENTERPRISE, "工单号"),
    (["工单ID", "工单标题", "创建时间", "受理客服", "工单状态", "一级分类", "首次响应时间", "完结时间",
      "客户ID"], "工单ID"),
])
def test_qiyu_work_orders(con, headers, key):
    row = {key: "QY20261102001", "创建时间": "2026-11-02 09:00:00"}
    for h, v in (("受理人", "小王"), ("受理客服", "小王"), ("状态", "已完结"), ("工单状态", "已完结"),
                 ("一级分类", "物流"), ("工单首次响应时间", "2026-11-02 09:05:00"),
                 ("首次响应时间", "2026-11-02 09:05:00"), ("工单最近完结时间", "2026-11-02 12:00:00"),
                 ("完结时间", "2026-11-02 12:00:00")):
        if h in headers:
            row[h] = v
    r = import_bytes(con, export(headers, [row]), "企业工单导出-20261102.csv", "tickets")
    assert r["inserted"] == 1 and r["platform"] == "qiyu"
    assert con.execute("SELECT ticket_id, opened_at, first_response_at, resolved_at, agent, "
                       "category FROM tickets").fetchall() == [
        ("QY20261102001", T(2026, 11, 2, 9), T(2026, 11, 2, 9, 5), T(2026, 11, 2, 12), "小王",
         "物流")]


JD_REVIEW = ["商品名称", "商品编号", "订单号", "用户昵称", "评价内容", "打分", "评价时间", "追评内容",
             "追评时间", "商家回复"]


def test_jd_reviews_keep_stars_and_take_the_buyer_from_the_order(con):
    rows = [{"商品名称": "保温杯", "商品编号": "100012", "订单号": "290012345678", "用户昵称": "j***e",
             "评价内容": "保温效果很好，第二天还是热的", "打分": "5", "评价时间": "2026-11-06 20:00:00"},
            {"商品名称": "杯套", "商品编号": "100013", "订单号": "290012345670", "用户昵称": "l***2",
             "评价内容": "做工一般", "打分": "2", "评价时间": "2026-11-07 20:00:00"}]
    r = import_bytes(con, export(JD_REVIEW, rows), "评价.csv", "reviews")
    assert r["platform"] == "jd" and r["inserted"] == 2 and r["mapping"]["打分"] == "rating"
    assert any(w["reason"] == "masked_id_nulled" for w in r["warnings"])
    # The orders come later: their buyer fills the review of the known order.
    import_bytes(con, export(L.JD_2016, _jd_rows(), encoding="gbk"), "订单.csv", "orders")
    assert con.execute("SELECT order_id, customer_id, rating FROM reviews ORDER BY 1").fetchall() \
        == [("290012345670", None, 2), ("290012345678", "jd_4a8f2c1e", 5)]
    # Imported again, the reviews are unchanged and keep the buyer.
    again = import_bytes(con, export(JD_REVIEW, rows) + b"\r\n", "评价 (1).csv", "reviews")
    assert again["unchanged"] == 2
    assert con.execute("SELECT count(customer_id) FROM reviews").fetchone()[0] == 1


def test_reviews_take_the_shop_of_their_orders(con):
    order = {"订单编号": "1850000000000000001", "买家会员名": "tb_小王", "买家实际支付金额": "128.00",
             "订单付款时间": "2026-11-01 10:02:00", "店铺名称": "丝语旗舰店"}
    import_bytes(con, export(L.TAOBAO_2018, [order]), "ExportOrderList.csv", "orders")
    data = "订单编号,评价内容,评价时间,评价等级\n1850000000000000001,很好,2026-11-08 10:00:00,好评\n"
    r = import_bytes(con, data.encode(), "评价.csv", "reviews")
    assert con.execute("SELECT shop, customer_id, rating FROM reviews").fetchall() == [
        ("丝语旗舰店", "tb_小王", 5)]
    assert not [w for w in r["warnings"] if w["reason"] == "shop_unknown"]
    # An order the store does not know: the store's only named shop.
    data = "订单编号,评价内容,评价时间\n999,一般,2026-11-08 10:00:00\n"
    import_bytes(con, data.encode(), "评价2.csv", "reviews")
    assert con.execute("SELECT shop FROM reviews WHERE order_id = '999'").fetchone() == ("丝语旗舰店",)


def test_several_shops_and_no_match_keep_the_default_shop_with_a_warning(con):
    for shop, oid in (("A店", "1"), ("B店", "2")):
        import_bytes(con, f"订单编号,实付金额,店铺名称\n{oid},10,{shop}\n".encode(), f"{shop}.csv",
                     "orders")
    r = import_bytes(con, "订单编号,评价内容\n3,好\n".encode(), "rv.csv", "reviews")
    warn = [w for w in r["warnings"] if w["reason"] == "shop_unknown"]
    assert warn and warn[0]["examples"] == ["A店", "B店"]
    assert con.execute("SELECT shop FROM reviews").fetchone() == ("默认店铺",)
    # The page's shop picker (or --set shop=) always wins.
    import_bytes(con, "订单编号,评价内容\n4,好\n".encode(), "rv2.csv", "reviews", shop="B店")
    assert con.execute("SELECT shop FROM reviews WHERE order_id = '4'").fetchone() == ("B店",)


def test_same_file_with_another_mapping_is_imported_again(con):
    data = "订单编号,买家实际支付金额,总金额\n1001,90.00,100.00\n".encode()
    first = import_bytes(con, data, "a.csv", "orders")
    assert first["inserted"] == 1
    same = import_bytes(con, data, "a.csv", "orders")
    assert same["already_imported"] is True
    # Asked another way but read the same way: still a no-op.
    also = import_bytes(con, data, "a.csv", "orders", mapping={"买家实际支付金额": "paid_amount"})
    assert also["already_imported"] is True
    fixed = import_bytes(con, data, "a.csv", "orders", mapping={"总金额": "paid_amount"})
    assert fixed["already_imported"] is False and fixed["updated"] == 1
    assert any(w["reason"] == "reimported_new_mapping" for w in fixed["warnings"])
    assert con.execute("SELECT paid_amount FROM orders").fetchone() == (Decimal("100.00"),)
    again = import_bytes(con, data, "a.csv", "orders", mapping={"总金额": "paid_amount"})
    assert again["already_imported"] is True


def test_totals_and_count_rows_are_skipped(con):
    data = ("订单编号,买家实际支付金额,订单付款时间\n1001,10.00,2026-11-01 10:00:00\n"
            "1002,20.00,2026-11-01 11:00:00\n合计,30.00,\n总计：,30.00,\n,小计,30\n共2笔,,\n").encode()
    r = import_bytes(con, data, "a.csv", "orders")
    identity(r)
    assert (r["rows_read"], r["inserted"], r["rejected"], r["skipped"]) == (2, 2, 0, 4)
    assert con.execute("SELECT sum(paid_amount) FROM orders").fetchone() == (Decimal("30.00"),)


def test_deleting_a_sub_order_import_removes_its_lines(con):
    r = import_bytes(con, export(L.DOUYIN_A, _douyin_rows("商品金额"), blank="-"), "o.csv",
                     "orders")
    assert delete_import(con, r["import_id"])["tables"] == {"orders": 2, "order_items": 3}
    assert con.execute("SELECT count(*) FROM order_items").fetchone()[0] == 0


def test_detection_weighs_several_headers():
    assert profiles.detect("orders", ["主订单编号", "子订单编号"]) is None
    assert profiles.detect("orders", L.DOUYIN_A).name == "douyin_orders"
    assert profiles.detect("orders", L.TMALL_LINES_27).name == "tmall_order_lines"
    assert profiles.detect("orders", L.TMALL_SUPPLIER_29).name == "tmall_order_lines"
    assert profiles.detect("orders", L.PDD_OLD).name == "pdd_orders"
    assert profiles.detect("tickets", L.TMALL_REFUND_2017).name == "tmall_refunds"
    assert profiles.norm("商家实收金额（元）") == profiles.norm("商家实收金额(元)")
    assert profiles.norm("收货\n地址 ") == "收货地址"


def test_every_profile_cites_its_source_and_is_found_by_its_own_headers():
    for p in profiles.PROFILES:
        assert p.source, p.name
        headers = list(dict.fromkeys([*p.requires, *p.signature]))
        found = profiles.detect(p.kind, headers)
        assert found is not None and found.platform == p.platform, p.name


def test_signed_for_wins_over_confirmation_and_the_call_list_knows_which(con):
    from analysis.ingest import delivery_is_confirmation

    both = ("订单编号,实付金额,确认收货时间,签收时间\n"
            "1,10,2026-11-06 10:00:00,2026-11-03 18:20:00\n").encode()
    r = import_bytes(con, both, "a.csv", "orders")
    assert r["mapping"]["签收时间"] == "signed_time" and "确认收货时间" not in r["mapping"]
    assert con.execute("SELECT signed_time FROM orders").fetchone() == (T(2026, 11, 3, 18, 20),)
    assert delivery_is_confirmation(con) is None
    import_bytes(con, "订单编号,实付金额,确认收货时间\n2,10,2026-11-06 10:00:00\n".encode(),
                 "b.csv", "orders")
    assert delivery_is_confirmation(con) == "确认收货时间"


def test_kuaishou_orders_with_currency_amounts(con):
    row = {"订单号": "2412345678901234", "订单创建时间": "2026/11/03 20:00:00",
           "订单支付时间": "2026/11/03 20:01:00", "订单状态": "交易成功", "实付款": "¥1,299.90",
           "成交数量": "1", "商品名称": "破壁机", "商品ID": "778899", "商品单价": "¥1,399.90",
           "收货人姓名": "王*", "收货人电话": "170****1234转5678", "发货时间": "-"}
    r = import_bytes(con, export(L.KUAISHOU, [row], blank="-"), "快手订单.csv", "orders")
    assert r["platform"] == "kuaishou" and r["inserted"] == 1 and r["rejected"] == 0
    assert con.execute("SELECT order_id, pay_time, paid_amount, unit_price, phone, ship_time "
                       "FROM orders").fetchall() == [
        ("2412345678901234", T(2026, 11, 3, 20, 1), Decimal("1299.90"), Decimal("1399.90"),
         "170****1234转5678", None)]


TAOBAO_REVIEW = ["订单编号", "子订单编号", "宝贝标题", "买家昵称", "评价等级", "评价内容", "评价时间",
                 "追评内容", "追评时间", "解释内容"]


def test_taobao_reviews_grade_words_masked_buyers_and_seller_answers(con):
    rows = [{"订单编号": "1850000000000000001", "子订单编号": "1850000000000000001",
             "宝贝标题": "真丝围巾", "买家昵称": "t***3", "评价等级": "好评", "评价内容": "质感很好",
             "评价时间": "2026-11-08 10:00:00", "解释内容": "感谢支持"},
            {"订单编号": "1850000000000000002", "子订单编号": "1850000000000000002",
             "宝贝标题": "真丝围巾", "买家昵称": "a***b", "评价等级": "差评", "评价内容": "有色差",
             "评价时间": "2026-11-09 10:00:00", "追评内容": "退了", "追评时间": "2026-11-12 10:00:00"}]
    r = import_bytes(con, export(TAOBAO_REVIEW, rows, encoding="gb18030"), "评价.csv", "reviews")
    assert r["platform"] == "taobao" and r["inserted"] == 2
    assert con.execute("SELECT order_id, customer_id, rating, seller_reply, followup_time "
                       "FROM reviews ORDER BY order_id").fetchall() == [
        ("1850000000000000001", None, 5, "感谢支持", None),
        ("1850000000000000002", None, 1, None, T(2026, 11, 12, 10))]


@pytest.mark.parametrize("headers, stars, platform", [
    (["订单编号", "商品ID", "商品名称", "用户昵称", "商品评分", "物流评分", "服务评分", "评价内容",
      "评价时间"], "商品评分", "douyin"),
    (["订单编号", "商品ID", "商品名称", "买家昵称", "描述相符", "物流服务", "服务态度", "评价内容",
      "评价时间"], "描述相符", "pdd"),
])
def test_douyin_and_pdd_reviews_take_the_item_stars(con, headers, stars, platform):
    row = {"订单编号": "6917926768823643751", "商品ID": "3501", "商品名称": "大衣",
           headers[3]: "张**", stars: "4", headers[5]: "5", headers[6]: "5",
           "评价内容": "挺暖和的", "评价时间": "2026-11-10 21:00:00"}
    r = import_bytes(con, export(headers, [row]), "评价.csv", "reviews")
    assert r["platform"] == platform and r["inserted"] == 1
    assert con.execute("SELECT order_id, rating, content FROM reviews").fetchall() == [
        ("6917926768823643751", 4, "挺暖和的")]


def test_member_list_fills_the_lowest_rung(con):
    headers = ["买家会员ID", "买家昵称", "会员等级", "入会时间", "手机号", "交易成功笔数", "会员状态"]
    row = {"买家会员ID": "2200112233", "买家昵称": "tb_小王", "会员等级": "VIP1",
           "入会时间": "2026-10-01 12:00:00", "手机号": "13800001111", "交易成功笔数": "0"}
    r = import_bytes(con, export(headers, [row]), "会员.csv", "contacts")
    assert r["platform"] == "taobao" and r["inserted"] == 1
    assert con.execute("SELECT customer_id, source, first_seen, phone FROM contacts").fetchall() \
        == [("2200112233", "member", T(2026, 10, 1, 12), "13800001111")]


def test_default_reviews_are_five_stars_marked_as_default(con):
    data = ("订单编号,评价等级,评价内容,评价时间\n"
            "1,系统默认好评,,2026-11-08 10:00:00\n2,好评,很好,2026-11-08 11:00:00\n"
            "3,差评,不好,2026-11-08 12:00:00\n").encode()
    r = import_bytes(con, data, "评价.csv", "reviews")
    assert r["inserted"] == 3
    assert con.execute("SELECT order_id, rating, default_review FROM reviews ORDER BY 1").fetchall() \
        == [("1", 5, True), ("2", 5, False), ("3", 1, False)]
    again = import_bytes(con, data + b"\n", "评价 (1).csv", "reviews")
    assert again["unchanged"] == 3


def test_every_canonical_column_has_a_label_in_both_languages():
    from analysis import schema
    from analysis.i18n import CATALOGUE

    for kind in schema.CANONICAL:
        for col in schema.columns(kind, bookkeeping=False):
            assert set(CATALOGUE[f"col.{col}"]) >= {"zh", "en"}, col


def test_an_order_listed_again_with_fewer_lines_loses_the_gone_line(con):
    first = export(L.DOUYIN_A, _douyin_rows("商品金额"), blank="-")
    import_bytes(con, first, "o.csv", "orders")
    rows = [r for r in _douyin_rows("商品金额") if r["选购商品"] != "赠品"]
    r = import_bytes(con, export(L.DOUYIN_A, rows, blank="-"), "o2.csv", "orders")
    identity(r)
    assert con.execute("SELECT order_id, line, item_title FROM order_items ORDER BY 1, 2").fetchall() \
        == [(DY1, 1, "加厚羊毛大衣"), (DY2, 1, "加厚羊毛大衣")]
    assert con.execute("SELECT quantity FROM orders WHERE order_id = ?", [DY1]).fetchone() == (1,)


def test_reviews_of_orders_in_two_shops_are_named_in_a_warning(con):
    for shop, oid in (("A店", "1"), ("A店", "2"), ("B店", "3")):
        import_bytes(con, f"订单编号,实付金额,店铺名称\n{oid},10,{shop}\n".encode(), f"{oid}.csv",
                     "orders")
    r = import_bytes(con, "订单编号,评价内容\n1,好\n2,好\n3,好\n".encode(), "rv.csv", "reviews")
    warn = [w for w in r["warnings"] if w["reason"] == "shop_mixed"]
    assert warn and warn[0]["examples"] == ["A店", "B店"]
    assert con.execute("SELECT DISTINCT shop FROM reviews").fetchall() == [("A店",)]


def test_answering_the_day_order_imports_the_file_again(con):
    data = "订单编号,订单付款时间\n1,03/04/2026 10:00\n2,05/06/2026 10:00\n".encode()
    first = import_bytes(con, data, "a.csv", "orders")
    assert any(w["reason"] == "ambiguous_dates_month_first" for w in first["warnings"])
    again = import_bytes(con, data, "a.csv", "orders", day_first={"订单付款时间": True})
    assert again["already_imported"] is False and again["updated"] == 2
    assert con.execute("SELECT pay_time FROM orders ORDER BY order_id").fetchall() == [
        (T(2026, 4, 3, 10),), (T(2026, 6, 5, 10),)]
