"""Handlers of ``python -m analysis score | train-sentiment | sentiment`` (DESIGN.md
"Command line"). ``sentiment`` imports neither pandas nor the warehouse unless
``--model store`` needs the database."""

from __future__ import annotations

import json
import sys

from analysis.errors import UserError
from analysis.i18n import t

BATCH = 1000


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.4f}"


def _read_lines(stream):
    """Lines of a byte stream as text, without their line endings (one per input line)."""
    for i, raw in enumerate(stream):
        line = raw.decode("utf-8", errors="replace")
        if i == 0:
            line = line.lstrip("\ufeff")
        yield line.rstrip("\n").rstrip("\r")


def _model_for_cli(spec: str, db: str | None):
    from analysis.sentiment import model as models

    if spec != models.STORE:
        return models.resolve(spec)
    from analysis.db import connection, db_path

    path = db_path(db)
    if not path.exists():
        raise UserError("reviews.error.no_database", path=str(path))
    with connection(path, read_only=True) as con:
        return models.load_store(con)


def cli_sentiment(args) -> int:
    """Score stdin's UTF-8 lines: one probability (or an empty line) out per line in."""
    bayes = _model_for_cli(args.model, getattr(args, "db", None))
    out = sys.stdout
    batch = []
    for line in _read_lines(sys.stdin.buffer):
        score = bayes.score(line)
        batch.append("" if score is None else repr(score))
        if len(batch) >= BATCH:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()
    return 0


def cli_score(args) -> int:
    """Score every review text the active model has not scored yet."""
    from analysis import ladder_store
    from analysis.db import connection
    from analysis.sentiment.cache import score_reviews

    with connection(args.db) as con:
        result = score_reviews(con)
        ladder_store.refresh_if_stale(con)  # scores move reviews with no stars on the ladder
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(t("reviews.cli.scored", "en", **result))
    return 0


def cli_train(args) -> int:
    """Train the store model on the database's starred reviews and report it."""
    from analysis import ladder_store
    from analysis.db import connection
    from analysis.sentiment.training import train_store_model

    with connection(args.db) as con:
        result = train_store_model(con, out=args.out)
        ladder_store.refresh_if_stale(con)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(t("reviews.cli.trained", "en",
                **{k: result[k] for k in ("negative", "positive", "train", "held_out")},
                store_accuracy=_fmt(result["store"]["accuracy"]),
                store_auc=_fmt(result["store"]["auc"]),
                stock_accuracy=_fmt(result["stock"]["accuracy"]),
                stock_auc=_fmt(result["stock"]["auc"])))
    return 0
