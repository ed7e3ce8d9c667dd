"""Handlers of ``python -m analysis score | train-sentiment | sentiment`` (docs/design.md
"Contracts"). ``sentiment`` imports neither pandas nor the warehouse unless
``--model store`` or ``auto`` needs the database."""

from __future__ import annotations

import json
import sys

from analysis.errors import UserError
from analysis.i18n import t

BATCH = 5000


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
    # lazy, as every import here: each command loads only what it runs (see the docstring)
    from analysis.sentiment import model as models

    if spec not in (models.STORE, models.AUTO):
        return models.resolve(spec)
    from analysis.db import connection, db_path  # only store/auto open the database
    from analysis.sentiment import registry

    path = db_path(db)
    if not path.exists():
        if spec == models.AUTO:
            return models.stock_scorer()  # no database, nothing chosen: the stock model
        raise UserError("reviews.error.no_database", path=str(path))
    with connection(path, read_only=True) as con:
        return registry.scorer_for(con, spec)


def cli_sentiment(args) -> int:
    """Score stdin's UTF-8 lines: one probability (or an empty line) out per line in."""
    scorer = _model_for_cli(args.model, getattr(args, "db", None))
    out = sys.stdout

    def flush(batch):
        scores = scorer.score_texts(batch)
        out.write("".join(("" if s is None else repr(s)) + "\n" for s in scores))

    batch = []
    for line in _read_lines(sys.stdin.buffer):
        batch.append(line)
        if len(batch) >= BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    out.flush()
    return 0


def _trained_lines(trained: list[dict]) -> list[str]:
    lines = []
    for m in trained:
        store = m["store"] or {}
        scope = t("reviews.model.all_shops", "en") if m["scope"] is None else m["scope"]
        lines.append(t("reviews.cli.scope_trained", "en", scope=scope,
                       negative=m["negative"], positive=m["positive"], held_out=m["held_out"],
                       store_auc=_fmt(store.get("auc")), stock_auc=_fmt(m["stock"]["auc"]),
                       winner=m["winner"]))
    return lines


def cli_score(args) -> int:
    """Train what is due, then score every review text each shop's model has not scored."""
    # lazy: the warehouse and the models load only for this command
    from analysis import ladder_store
    from analysis.db import connection
    from analysis.sentiment import training
    from analysis.sentiment.cache import score_reviews

    with connection(args.db) as con:
        refreshed = training.refresh_models(con, actor="cli")
        result = score_reviews(con, refreshed=refreshed)
        ladder_store.refresh_if_stale(con)  # scores move reviews with no stars on the ladder
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for line in _trained_lines(refreshed["trained"]):
            print(line)
        print(t("reviews.cli.scored", "en", **result))
    return 0


def cli_train(args) -> int:
    """Train the store's models on the database's rated reviews now and report them."""
    # lazy: the warehouse and the models load only for this command
    from analysis import ladder_store
    from analysis.db import connection
    from analysis.sentiment.cache import train_store_model

    with connection(args.db) as con:
        result = train_store_model(con, out=args.out, actor="cli")
        ladder_store.refresh_if_stale(con)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(t("reviews.cli.trained", "en",
                **{k: result[k] for k in ("negative", "positive", "train", "held_out")},
                store_accuracy=_fmt(result["store"]["accuracy"]),
                store_auc=_fmt(result["store"]["auc"]),
                stock_accuracy=_fmt(result["stock"]["accuracy"]),
                stock_auc=_fmt(result["stock"]["auc"])))
    return 0
