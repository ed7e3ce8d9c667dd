"""The latest time in the data: every event time counts, so state figures see every event."""

from __future__ import annotations

import datetime as dt

from analysis import data_times
from analysis.ingest import import_bytes
from analysis.summary import summary

T = dt.datetime


def test_latest_and_earliest_over_every_event_time(con):
    import_bytes(con, ("订单编号,实付金额,订单创建时间,订单付款时间,发货时间,签收时间\n"
                       "1,10,2026-11-01 08:00,2026-11-01 09:00,2026-11-02 10:00,2026-11-04 18:00\n"
                       ).encode(), "o.csv", "orders")
    import_bytes(con, ("评价内容,评价时间,追评内容,追评时间,商家回复,回复时间\n"
                       "好,2026-11-05 10:00,还行,2026-11-09 10:00,谢谢,2026-11-09 11:30\n"
                       ).encode(), "r.csv", "reviews")
    assert data_times.latest_time(con) == T(2026, 11, 9, 11, 30)
    assert data_times.earliest_time(con) == T(2026, 11, 1, 8)
    assert data_times.latest_time(con, shop="别的店") is None


def test_open_tickets_of_a_help_desk_file_are_those_without_a_resolution(con):
    # The last resolution comes after the last opening: with the opening alone as "the
    # latest time", the tickets resolved after it would count as still open.
    data = ("工单号,创建时间,解决时间\n"
            "t1,2026-11-02 09:00,2026-11-02 12:00\n"
            "t2,2026-11-03 09:00,2026-11-06 09:00\n"
            "t3,2026-11-04 09:00,2026-11-07 18:00\n"
            "t4,2026-11-05 09:00,\n").encode()
    import_bytes(con, data, "tickets.csv", "tickets")
    s = summary(con)
    assert s["period"]["to"] == "2026-11-07 18:00:00"
    assert s["complaints"]["count"] == 4 and s["complaints"]["open"] == 1


def test_a_store_whose_orders_have_no_time_gives_an_empty_summary(con):
    import_bytes(con, "订单编号,实付金额\n1001,10\n".encode(), "o.csv", "orders")
    s = summary(con)
    assert s["period"] == {"from": None, "to": None, "week": None}
    assert s["tiers"]["buyer"] is None and s["high_end"]["customers"] is None
