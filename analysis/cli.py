"""``python -m analysis …``: the command line, a stable contract (docs/design.md "Command line").

This module only parses arguments and turns errors into one-line messages with exit code 2.
Each subcommand's work lives in the module that owns its area; the handler is imported only
when its subcommand runs, so ``sentiment`` never pays for pandas and no command pays for
snownlp unless it scores.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from analysis.db import DatabaseBusy
from analysis.errors import UserError

# subcommand -> "module:function"; each handler takes the parsed args and returns an exit code.
HANDLERS = {
    "demo": "analysis.demo:cli_demo",
    "import": "analysis.ingest.command:cli_import",
    "score": "analysis.sentiment.command:cli_score",
    "train-sentiment": "analysis.sentiment.command:cli_train",
    "sentiment": "analysis.sentiment.command:cli_sentiment",
    "summary": "analysis.summary:cli_summary",
    "export": "analysis.exports:cli_export",
    "report": "analysis.report:cli_report",
    "export-parquet": "analysis.parquet:cli_export_parquet",
}

KINDS = ("orders", "order_items", "reviews", "tickets", "contacts")


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return key, value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand of the contract."""
    p = argparse.ArgumentParser(prog="python -m analysis", description="Review & Loyalty Insights")
    sub = p.add_subparsers(dest="command", required=True)

    def with_db(sp):
        sp.add_argument("--db", help="database file (default: $INSIGHTS_DB or data/store.duckdb)")
        return sp

    sp = sub.add_parser("demo", help="write the demo database")
    sp.add_argument("--db", help="database file (default: data/demo.duckdb)")
    sp.add_argument("--customers", type=int, default=3000)
    sp.add_argument("--seed", type=int, default=7)
    sp.add_argument("--end", help="last day of the demo data, YYYY-MM-DD (default: today)")

    sp = with_db(sub.add_parser("import", help="import a CSV or .xlsx export"))
    sp.add_argument("file")
    sp.add_argument("--kind", required=True, choices=KINDS)
    sp.add_argument("--map", action="append", type=_key_value, default=[],
                    metavar="SOURCE=canonical")
    sp.add_argument("--set", action="append", type=_key_value, default=[],
                    metavar="canonical=VALUE")
    sp.add_argument("--no-header", action="store_true")
    sp.add_argument("--json", action="store_true")

    with_db(sub.add_parser("score", help="score reviews not yet scored")).add_argument(
        "--json", action="store_true")

    sp = with_db(sub.add_parser("train-sentiment", help="train the store's sentiment model"))
    sp.add_argument("--out", help="also write the model to this exact path")
    sp.add_argument("--json", action="store_true")

    sp = with_db(sub.add_parser("sentiment", help="score texts from stdin, one per line"))
    sp.add_argument("--model", default="stock", help="stock | snownlp | store | auto | PATH")

    sp = with_db(sub.add_parser("summary", help="the manager's figures"))
    sp.add_argument("--week", help="ISO week such as 2026-W47 (default: all the data)")
    sp.add_argument("--shop")
    sp.add_argument("--json", action="store_true")

    sp = with_db(sub.add_parser("export", help="export a list as CSV or .xlsx"))
    sp.add_argument("what", choices=("care-list", "thank-you", "reviews", "customers"))
    sp.add_argument("--out", required=True)
    sp.add_argument("--date", help="YYYY-MM-DD (care-list: the day the parcels were signed for)")
    sp.add_argument("--week")
    sp.add_argument("--shop")

    sp = with_db(sub.add_parser("report", help="the weekly HTML report"))
    sp.add_argument("--week", required=True)
    sp.add_argument("--out", required=True)
    sp.add_argument("--lang", choices=("zh", "en"), default="zh")
    sp.add_argument("--shop")

    sp = with_db(sub.add_parser("export-parquet", help="export every table as Parquet"))
    sp.add_argument("dir")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; user errors print one line on stderr and return 2."""
    args = build_parser().parse_args(argv)
    module_name, func_name = HANDLERS[args.command].split(":")
    try:
        handler = getattr(importlib.import_module(module_name), func_name)
        return int(handler(args) or 0)
    except UserError as exc:
        print(f"error: {exc.message('en')}", file=sys.stderr)
        return 2
    except DatabaseBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing was changed", file=sys.stderr)
        return 2
    except Exception as exc:  # the contract: one line, never a traceback
        if os.environ.get("INSIGHTS_DEBUG"):
            raise
        from analysis.i18n import t  # only this last-resort message needs the catalogue

        first = (str(exc).splitlines() or [""])[0][:200]
        print("error: " + t("error.unexpected", "en", ref=f"{type(exc).__name__}: {first}"),
              file=sys.stderr)
        return 2
