"""What a person does, in a real browser: sign in, open pages by URL, switch week and
language, upload a file, download a CSV, share a URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, PASSWORDS, Server, sign_in, wait_idle



def open_select(page, key: str) -> None:
    """Open the options of the select box whose widget key is ``key`` (again if a rerun of
    the script closed them)."""
    button = page.locator(f".st-key-{key} button[aria-label='Open']")
    for _ in range(5):
        wait_idle(page)
        expect(button).to_be_visible(timeout=60000)
        button.click()
        try:
            page.get_by_role("option").first.wait_for(timeout=5000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the options of {key} never opened")


@pytest.fixture
def fresh_server(tmp_path, demo_db):
    """A server that has served no request yet (the first visitor after a restart)."""
    if CHROMIUM is None:
        pytest.skip("no chromium")
    srv = Server(tmp_path, demo_db, {f"{r}_password": pw for r, pw in PASSWORDS.items()})
    yield srv
    srv.stop()


def test_direct_page_url_as_first_request_shows_only_sign_in(fresh_server, page):
    page.goto(f"{fresh_server.url}/customers")
    page.locator("input[type='password']").wait_for(timeout=30000)
    wait_idle(page)
    body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
    assert "登录" in body
    for word in ("客户阶梯", "购买者", "拥戴者", "数据导入"):
        assert word not in page.content()
    assert page.locator("[data-testid='stMetric']").count() == 0
    assert page.locator("[data-testid='stFileUploader']").count() == 0


@pytest.mark.parametrize("role", ["viewer", "agent", "operator"])
def test_sign_in_as_each_role(server, page, role):
    sign_in(page, server.url, role)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("link", name="总览")).to_be_visible(timeout=60000)
    role_name = {"viewer": "查看者", "agent": "客服", "operator": "运营"}[role]
    expect(sidebar.get_by_text(f"当前身份：{role_name}")).to_be_visible()
    wait_idle(page)
    expect(sidebar.get_by_role("link", name="数据导入")).to_have_count(1 if role == "operator" else 0)


def test_viewer_never_sees_an_uploader(server, page):
    # Straight to the upload page's URL: signed in as a viewer, there is no uploader there.
    sign_in(page, f"{server.url}/upload", "viewer")
    wait_idle(page)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    # Nor on any page the viewer can reach from the menu.
    names = ["总览", "客户分层", "评价情感", "投诉处理", "关怀名单", "设置"]
    for name in names:
        page.locator("[data-testid='stSidebar']").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=name).first).to_be_visible(timeout=60000)
        wait_idle(page)
        assert page.locator("[data-testid='stFileUploader']").count() == 0, name
        assert page.locator("[data-testid='stSidebar']").get_by_role("link", name="数据导入").count() == 0


def test_twenty_wrong_passwords_leave_the_server_healthy(server, browser):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(server.url)
    field = page.locator("input[type='password']")
    for i in range(20):
        field.fill(f"wrong-{i}")
        field.press("Enter")
    page.wait_for_timeout(500)
    assert server.healthy()
    ctx.close()
    # The right password still works from a new client after the failures.
    other = browser.new_context().new_page()
    sign_in(other, server.url, "viewer")


def test_switch_week_language_follow_tile_and_share_url(server, page, browser):
    sign_in(page, server.url, "viewer")
    wait_idle(page)
    open_select(page, "widget_week")
    option = page.get_by_role("option", name="2026年第46周")
    expect(option).to_be_visible(timeout=60000)
    option.click()
    page.wait_for_url(re.compile(r"week=2026-W46"))
    expect(page.get_by_role("heading", name="总览 · 2026年第46周")).to_be_visible(timeout=30000)
    page.get_by_text("English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.get_by_role("heading", name="Overview · 2026-W46")).to_be_visible(timeout=30000)
    # A tile's link opens its page with the week and language kept.
    page.get_by_role("link", name="Details").first.click()
    page.wait_for_url(re.compile(r"/customers\?.*week=2026-W46"))
    assert "lang=en" in page.url
    # The same URL in a new browser context (after sign-in) shows the same view.
    shared = page.url
    other = browser.new_context().new_page()
    sign_in(other, shared, "viewer")
    expect(other.get_by_role("heading", name="Customers")).to_be_visible(timeout=30000)
    assert "week=2026-W46" in other.url and "lang=en" in other.url


def upload_and_import(page, path, shown: str) -> None:
    """Choose ``path`` in the uploader, wait for the preview to show ``shown``, press 导入
    and wait for the report."""
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text(shown).first.wait_for(timeout=30000)
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_text(f"已导入 {path.name}。")).to_be_visible(timeout=60000)


def test_upload_through_the_page_and_download_a_csv(server, page, tmp_path):
    sign_in(page, f"{server.url}/upload", "operator")
    page.locator("[data-testid='stFileUploader']").wait_for(timeout=60000)
    ids = ["4012345678901234567", "4012345678901234568"]
    rows = ["订单编号,买家会员名,买家实际支付金额,订单付款时间,收货人姓名,联系手机"]
    rows += [f'="{oid}",买家{i},99.00,2026/11/1{i} 10:00,张三{i},1380013800{i}' for i, oid in enumerate(ids)]
    path = tmp_path / "orders_gbk.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    upload_and_import(page, path, "gb18030")
    expect(page.locator("[data-testid='stMetric']").filter(has_text="新增")).to_contain_text("2")
    # The store now has data: the badge says so, and the customers page can export it.
    page.locator("[data-testid='stSidebar']").get_by_role("link", name="客户分层").click()
    expect(page.get_by_text("数据来源：店铺数据库")).to_be_visible(timeout=60000)
    wait_idle(page)
    rung = page.get_by_role("combobox", name="查看某一层级的客户")
    open_select(page, "pick_rung")
    option = page.get_by_role("option", name="购买者")
    expect(option).to_be_visible(timeout=60000)
    option.click()
    expect(rung).to_have_value("购买者", timeout=60000)
    wait_idle(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载 CSV").first.click()
    data = open(dl.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("shop,customer_id")
    assert sorted(line.split(",")[1] for line in lines[1:]) == ['"=""买家0"""', '"=""买家1"""']


def test_upload_a_douyin_export_on_a_phone(server, browser, tmp_path):
    """An operator on a phone uploads a 抖店 export as the back office writes it (UTF-8 with
    BOM, tab-guarded ids, one row per sub-order, ``-`` for empty cells): no mapping needed,
    three rows read, none rejected, two orders."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, f"{server.url}/upload", "operator")
    page.locator("[data-testid='stFileUploader']").wait_for(timeout=60000)
    head = "主订单编号,子订单编号,选购商品,商品ID,商品数量,订单应付金额,订单提交时间,支付完成时间,订单状态,发货时间,收件人,收件人手机号"
    rows = [head,
            '"\t6917926768823643751","\t6917926768823643751",羊毛大衣,3501,1,899.00,2026-11-01 10:00:00,2026-11-01 10:01:00,已发货,2026-11-02 09:00:00,张**,138****5678',
            '"\t6917926768823643751","\t69179267688236437511",赠品,3502,1,0.00,2026-11-01 10:00:00,2026-11-01 10:01:00,已发货,-,张**,138****5678',
            '"\t6917926768823643760","\t6917926768823643760",羊毛大衣,3501,2,1798.00,2026-11-01 11:00:00,2026-11-01 11:01:00,已完成,-,李**,139****0000']
    path = tmp_path / "订单导出.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    upload_and_import(page, path, "平台：抖店")
    metrics = page.locator("[data-testid='stMetric']")
    expect(metrics.filter(has_text="读取行")).to_contain_text("3")
    expect(metrics.filter(has_text="新增")).to_contain_text("3")
    expect(metrics.filter(has_text="拒收")).to_contain_text("0")
    page.close()
