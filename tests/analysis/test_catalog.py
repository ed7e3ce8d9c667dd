"""What the store holds (sidebar extent), on a hand-built store."""

from __future__ import annotations

import datetime as dt

from analysis import catalog


def fill(con):
    # Week labels by hand: Sun 2026-03-01 is the last day of 2026-W09, Mon 2026-03-02 the
    # first of 2026-W10; Thu 2025-01-02 belongs to 2025-W01 and Sun 2024-12-29 to 2024-W52.
    con.executemany(
        "INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time) VALUES (?,?,?,?,?)",
        [("A", "o1", "c1", dt.datetime(2026, 3, 1, 23, 59), None),
         ("A", "o2", "c1", dt.datetime(2026, 2, 20), dt.datetime(2026, 3, 2, 0, 0)),
         ("B", "o3", "c2", dt.datetime(2025, 1, 2), None),
         ("B", "o4", "c3", None, None)])
    con.execute("INSERT INTO order_items (shop, order_id, line, item_id) "
                "VALUES ('A', 'o1', 1, 'i')")
    con.execute("INSERT INTO reviews (shop, review_key, customer_id, review_time) "
                "VALUES ('A', 'r1', 'c1', ?)", [dt.datetime(2026, 3, 3)])
    con.execute("INSERT INTO tickets (shop, ticket_id, customer_id, opened_at) "
                "VALUES ('B', 't1', 'c2', ?)", [dt.datetime(2024, 12, 29, 12)])
    con.execute("INSERT INTO contacts (shop, customer_id, source, first_seen) "
                "VALUES ('C', 'k1', 'member', ?)", [dt.datetime(2023, 1, 1)])


def test_extent_lists_shops_weeks_and_counts(con):
    fill(con)
    got = catalog.extent(con)
    # Shop C has only a contact: a shop, but contacts carry no activity week.
    assert got["shops"] == ["A", "B", "C"]
    assert got["weeks"] == ["2026-W10", "2026-W09", "2025-W01", "2024-W52"]
    assert got["counts"] == {"orders": 4, "order_items": 1, "reviews": 1, "tickets": 1,
                             "contacts": 1}


def test_extent_of_one_shop_keeps_every_shop_and_count(con):
    fill(con)
    got = catalog.extent(con, shop="B")
    assert got["shops"] == ["A", "B", "C"]
    assert got["weeks"] == ["2025-W01", "2024-W52"]
    assert got["counts"]["orders"] == 4
    assert catalog.extent(con, shop="C")["weeks"] == []


def test_extent_agrees_with_the_single_lookups(con):
    fill(con)
    got = catalog.extent(con, shop="A")
    assert got["shops"] == catalog.shops(con)
    assert got["weeks"] == catalog.weeks_with_data(con, shop="A")
    assert got["counts"] == catalog.table_counts(con)


def test_extent_of_an_empty_store(con):
    assert catalog.extent(con) == {
        "shops": [], "weeks": [],
        "counts": {"orders": 0, "order_items": 0, "reviews": 0, "tickets": 0, "contacts": 0}}
