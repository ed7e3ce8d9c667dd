"""The manager's figures for a period: ``python -m analysis summary`` (docs/design.md contract).

Without a week the period is all the data: flow figures (reviews, complaints) over every row,
state (tiers, high-end customers, open tickets) as of the latest time in the data. With a week,
flow figures over that ISO week and state as of the end of its Sunday. Nothing depends on
today's date. Values with no data are None (JSON null), never 0 by default.
"""

from __future__ import annotations

import datetime as dt
import json

from analysis import bad_reviews, complaints, data_times, highend, ladder, periods
from analysis import settings as settings_mod
from analysis.db import connection, db_path
from analysis.errors import UserError
from analysis.rungs import RUNG_NAMES
from analysis.sentiment import reviews_summary


def _iso(ts: dt.datetime | None) -> str | None:
    return None if ts is None else ts.replace(microsecond=0).isoformat(sep=" ")


def summary_period(con, week: str | None = None, *, shop: str | None = None) -> dict:
    """The period a summary covers: ``{start, end, as_of, week}`` ([start, end) and the
    instant state is taken at)."""
    if week:
        p = periods.parse_week(week)
        return {"start": p.start, "end": p.end, "as_of": p.as_of, "week": p.week,
                "from": p.start, "to": p.as_of}
    latest = data_times.latest_time(con, shop=shop)
    earliest = data_times.earliest_time(con, shop=shop)
    return {"start": None, "end": None, "as_of": latest, "week": None,
            "from": earliest, "to": latest}


def summary(con, week: str | None = None, *, shop: str | None = None) -> dict:
    """Every figure of the summary contract for ``week`` (None: all the data).

    Returns
    -------
    dict
        ``period, shop, customers, tiers, high_end, reviews, complaints, bad_review_paths``.
    """
    conf = settings_mod.get_all(con)
    per = summary_period(con, week, shop=shop)
    start, end, as_of = per["start"], per["end"], per["as_of"]
    if as_of is None:  # an empty database: no state to report
        tiers = {k: None for k in RUNG_NAMES}
        customers = None
    else:
        tiers = ladder.tier_counts(con, as_of, shop=shop, settings=conf)
        customers = sum(tiers[k] for k in RUNG_NAMES)
    return {
        "period": {"from": _iso(per["from"]), "to": _iso(per["to"]), "week": per["week"]},
        "shop": shop,
        "customers": customers,
        "tiers": {k: tiers[k] for k in RUNG_NAMES},
        "high_end": highend.high_end_summary(con, start, end, as_of, shop=shop, settings=conf),
        "reviews": reviews_summary(con, start, end, shop=shop),
        "complaints": complaints.complaints_summary(con, start, end, as_of, shop=shop, settings=conf),
        "bad_review_paths": bad_reviews.bad_review_paths(con, start, end, shop=shop, settings=conf),
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN means no data
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def cli_summary(args) -> int:
    """``python -m analysis summary [--db PATH] [--week W] [--shop S] [--json]``."""
    if args.week:
        try:
            periods.parse_week(args.week)
        except ValueError:
            raise UserError("summary.bad_week", week=args.week) from None
    path = db_path(args.db)
    if not path.exists():
        raise UserError("summary.no_db", path=str(path))
    with connection(path) as con:
        result = _jsonable(summary(con, args.week, shop=args.shop))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        p = result["period"]
        print(f"period {p['from']} .. {p['to']} week {p['week'] or 'all'} shop {args.shop or 'all'}")
        for section in ("tiers", "high_end", "reviews", "complaints", "bad_review_paths"):
            body = ", ".join(f"{k}={v}" for k, v in result[section].items())
            print(f"{section}: {body}")
        print(f"customers: {result['customers']}")
    return 0
