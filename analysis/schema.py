"""The canonical warehouse: table and column names are a contract (see docs/design.md "Data model").

Every canonical table carries ``shop`` (keys are per shop), ``import_id`` (the import that
last inserted or changed the row), ``extra`` (unmapped source columns as JSON, so nothing in
a file is lost) and ``row_hash`` (a hash of the content columns, so a re-import can tell
unchanged rows from updated ones without comparing every column).

Opening a database made by an older version upgrades it in place: tables are created when
missing and columns added when missing, never dropped or retyped.
"""

from __future__ import annotations

import hashlib

DEFAULT_SHOP = "默认店铺"
SCHEMA_VERSION = 1

# Columns every canonical table ends with.
_BOOKKEEPING = [
    ("import_id", "BIGINT"),
    ("extra", "JSON"),
    ("row_hash", "UBIGINT"),
]

# Canonical tables: name -> ordered [(column, type)]. ``shop`` comes first everywhere.
CANONICAL: dict[str, list[tuple[str, str]]] = {
    "orders": [
        ("shop", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("order_time", "TIMESTAMP"),
        ("pay_time", "TIMESTAMP"),
        ("paid_amount", "DECIMAL(18,2)"),
        ("refund_amount", "DECIMAL(18,2)"),
        ("item_id", "VARCHAR"),
        ("item_title", "VARCHAR"),
        ("quantity", "INTEGER"),
        ("unit_price", "DECIMAL(18,2)"),
        ("status", "VARCHAR"),
        ("ship_time", "TIMESTAMP"),
        ("signed_time", "TIMESTAMP"),
        ("province", "VARCHAR"),
        ("city", "VARCHAR"),
        ("buyer_name", "VARCHAR"),
        ("phone", "VARCHAR"),
        ("address", "VARCHAR"),
    ],
    "order_items": [
        ("shop", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("line", "INTEGER"),
        ("item_id", "VARCHAR"),
        ("item_title", "VARCHAR"),
        ("unit_price", "DECIMAL(18,2)"),
        ("quantity", "INTEGER"),
    ],
    "reviews": [
        ("shop", "VARCHAR"),
        # The key as the contract defines it: review_id|order_id when the export has
        # review ids, else a stable hash of customer, order, review time and text.
        ("review_key", "VARCHAR"),
        ("review_id", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("item_id", "VARCHAR"),
        ("item_title", "VARCHAR"),
        ("rating", "TINYINT"),
        ("content", "VARCHAR"),
        ("review_time", "TIMESTAMP"),
        ("followup_content", "VARCHAR"),
        ("followup_time", "TIMESTAMP"),
        ("seller_reply", "VARCHAR"),
        ("reply_time", "TIMESTAMP"),
        # 系统默认好评: the platform gave 5 stars because the buyer did not review.
        ("default_review", "BOOLEAN"),
    ],
    "tickets": [
        ("shop", "VARCHAR"),
        ("ticket_id", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("opened_at", "TIMESTAMP"),
        ("first_response_at", "TIMESTAMP"),
        ("resolved_at", "TIMESTAMP"),
        ("channel", "VARCHAR"),
        ("category", "VARCHAR"),
        ("agent", "VARCHAR"),
        ("outcome", "VARCHAR"),
        ("status", "VARCHAR"),
        ("source", "VARCHAR"),
        ("escalated", "BOOLEAN"),
        ("reopened", "BOOLEAN"),
        ("refund_amount", "DECIMAL(18,2)"),
        ("item_title", "VARCHAR"),
    ],
    "contacts": [
        ("shop", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("source", "VARCHAR"),
        ("first_seen", "TIMESTAMP"),
        ("buyer_name", "VARCHAR"),
        ("phone", "VARCHAR"),
    ],
}
for _cols in CANONICAL.values():
    _cols.extend(_BOOKKEEPING)

# Key columns per table (besides ``shop``), as the import contract defines them.
KEYS: dict[str, tuple[str, ...]] = {
    "orders": ("order_id",),
    "order_items": ("order_id", "line"),
    "reviews": ("review_key",),
    "tickets": ("ticket_id",),
    "contacts": ("customer_id", "source"),
}

# Columns holding personal data: masked for viewers in every view and export.
PERSONAL_COLUMNS = ("buyer_name", "phone", "address")

# Bookkeeping tables of the app itself.
INTERNAL: dict[str, list[tuple[str, str]]] = {
    "schema_info": [("version", "INTEGER"), ("upgraded_at", "TIMESTAMP")],
    "imports": [
        ("import_id", "BIGINT"),
        ("shop", "VARCHAR"),
        ("file_name", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("encoding", "VARCHAR"),
        ("platform", "VARCHAR"),
        ("mapping", "JSON"),
        ("rows_read", "BIGINT"),
        ("inserted", "BIGINT"),
        ("updated", "BIGINT"),
        ("unchanged", "BIGINT"),
        ("rejected", "BIGINT"),
        ("skipped", "BIGINT"),
        ("report", "JSON"),
        ("imported_at", "TIMESTAMP"),
        ("imported_by", "VARCHAR"),
        ("deleted_at", "TIMESTAMP"),
        ("deleted_by", "VARCHAR"),
        # What was asked (mapping, constants, options, the importer's rules): the same file
        # asked the same way is a no-op; asked another way it is read again.
        ("request", "VARCHAR"),
        ("constants", "JSON"),
    ],
    # Keys an import updated (rather than inserted), so deleting the import removes only
    # the rows it inserted.
    "import_updates": [
        ("import_id", "BIGINT"),
        ("tbl", "VARCHAR"),
        ("shop", "VARCHAR"),
        ("row_key", "VARCHAR"),
    ],
    "mapping_profiles": [
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("header_fingerprint", "VARCHAR"),
        ("mapping", "JSON"),
        ("saved_at", "TIMESTAMP"),
    ],
    "settings": [
        ("key", "VARCHAR"),
        ("value", "JSON"),
        ("updated_at", "TIMESTAMP"),
        ("updated_by", "VARCHAR"),
    ],
    "audit_log": [
        ("at", "TIMESTAMP"),
        ("actor", "VARCHAR"),
        ("role", "VARCHAR"),
        ("action", "VARCHAR"),
        ("what", "VARCHAR"),
        ("rows", "BIGINT"),
        ("detail", "JSON"),
    ],
    # Scores by model id and md5 of the text: score NULL with no_text true is a text with
    # nothing to score, score NULL with no_text false a text not in Chinese (not scored).
    "sentiment_scores": [
        ("model", "VARCHAR"),
        ("text_hash", "VARCHAR"),
        ("score", "DOUBLE"),
        ("no_text", "BOOLEAN"),
        ("scored_at", "TIMESTAMP"),
    ],
    # Store models and store calibrations of the stock model (analysis.sentiment.registry);
    # scope is the shop whose rated reviews they come from, NULL for all shops together.
    "sentiment_models": [
        ("model", "VARCHAR"),
        ("trained_at", "TIMESTAMP"),
        ("payload", "BLOB"),
        ("metrics", "JSON"),
        ("kind", "VARCHAR"),
        ("scope", "VARCHAR"),
    ],
    # Which model each shop's figures use, newest row (highest seq) per shop; older rows are
    # the history the trend charts mark. data_week: the week of the latest review then.
    "sentiment_active": [
        ("seq", "BIGINT"),
        ("shop", "VARCHAR"),
        ("model", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("choice", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("activated_at", "TIMESTAMP"),
        ("data_week", "VARCHAR"),
    ],
    "care_calls": [
        ("shop", "VARCHAR"),
        ("call_date", "DATE"),
        ("order_id", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("agent", "VARCHAR"),
        ("outcome", "VARCHAR"),
        ("note", "VARCHAR"),
        ("ticket_id", "VARCHAR"),
        ("recorded_at", "TIMESTAMP"),
        ("recorded_by", "VARCHAR"),
    ],
    "do_not_call": [
        ("shop", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("added_at", "TIMESTAMP"),
    ],
    # The ladder at each week end of a grid, per customer (analysis.ladder_store): derived
    # from the tables above after each change, so pages read it instead of recomputing it.
    "ladder_masks": [
        ("shop", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        *((f"r{r}", "HUGEINT") for r in range(1, 7)),
        # The same at the end of each of the last days (the call list's rungs on a day).
        *((f"r{r}_d", "HUGEINT") for r in range(1, 7)),
    ],
    "ladder_grid": [
        ("first_week_end", "TIMESTAMP"),
        ("weeks", "INTEGER"),
        ("stamp", "VARCHAR"),
        ("built_at", "TIMESTAMP"),
        # {shop: high-end unit price} ("" = all shops), from the same data and settings.
        ("high_end_prices", "JSON"),
        ("first_day_end", "TIMESTAMP"),
        ("days", "INTEGER"),
    ],
    # Every negative review's bad-review path, and every paid order's refund when it has
    # one (analysis.complaint_store): derived with the ladder, under its stamp.
    "review_paths": [
        ("shop", "VARCHAR"),
        ("review_key", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("review_time", "TIMESTAMP"),
        ("rating", "TINYINT"),
        ("sentiment", "DOUBLE"),
        ("path", "VARCHAR"),
        ("tickets_before", "BIGINT"),
        ("replied", "BOOLEAN"),
        ("reply_h", "DOUBLE"),
    ],
    "order_refunds": [
        ("shop", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("paid_at", "TIMESTAMP"),
        ("item_title", "VARCHAR"),
        ("refunded", "DECIMAL(38,2)"),
    ],
    # Reviews whose texts were erased on the buyer's request (analysis.privacy_requests):
    # the md5 cache keys of the erased texts, so review_sentiment still finds their scores
    # and every figure stays as it was. A separate table, because a reviews column would
    # become a mappable, hashed content column of the importer.
    "erased_reviews": [
        ("shop", "VARCHAR"),
        ("review_key", "VARCHAR"),
        ("content_hash", "VARCHAR"),
        ("followup_hash", "VARCHAR"),
        ("erased_at", "TIMESTAMP"),
    ],
}

ALL_TABLES = {**CANONICAL, **INTERNAL}

# Reviews with the scores of the model their shop uses. The cache is keyed by the md5 of the
# raw text, so the scorer may normalise however it likes without changing the key.
def review_sentiment_sql(reviews: str = "reviews", *, followup: bool = True) -> str:
    """The SELECT of the ``review_sentiment`` view over ``reviews`` (a table name or a
    parenthesised subquery of ``reviews`` rows; code-only text): a query about a few
    customers filters the reviews before the score joins, which the view cannot. Without
    ``followup``, ``followup_sentiment`` is NULL and its score lookup is left out.

    A shop's model is its newest ``sentiment_active`` row; a shop with none (a database
    scored before models were chosen per shop) uses the model the ``sentiment.model``
    setting names, else the one called ``stock``."""
    sql = """WITH fallback AS (
    SELECT coalesce(
        (SELECT json_extract_string(value, '$') FROM settings WHERE key = 'sentiment.model'),
        'stock') AS model
),
chosen AS (SELECT shop, arg_max(model, seq) AS model FROM sentiment_active GROUP BY shop)
SELECT r.*,
       s.score AS sentiment,
       coalesce(s.no_text, (r.content IS NULL OR trim(r.content) = '')
                           AND e.content_hash IS NULL) AS no_text,
       coalesce(s.score IS NULL AND NOT s.no_text, false) AS not_chinese,
       coalesce(c.model, fallback.model) AS sentiment_model,
       f.score AS followup_sentiment
FROM {reviews} r
CROSS JOIN fallback
LEFT JOIN chosen c ON c.shop IS NOT DISTINCT FROM r.shop
-- An erased text is found by the hash kept when it was erased.
LEFT JOIN erased_reviews e ON e.shop = r.shop AND e.review_key = r.review_key
LEFT JOIN sentiment_scores s
       ON s.model = coalesce(c.model, fallback.model)
      AND s.text_hash = coalesce(md5(r.content), e.content_hash, md5(''))
LEFT JOIN sentiment_scores f
       ON f.model = coalesce(c.model, fallback.model)
      AND f.text_hash = coalesce(md5(r.followup_content), e.followup_hash)
""".replace("{reviews}", reviews)
    if not followup:
        sql = sql.replace("f.score AS followup_sentiment", "CAST(NULL AS DOUBLE) AS followup_sentiment")
        sql = sql[:sql.index("LEFT JOIN sentiment_scores f")]
    return sql


REVIEW_SENTIMENT_VIEW = "\nCREATE OR REPLACE VIEW review_sentiment AS\n" + review_sentiment_sql()


def text_hash_sql(column: str) -> str:
    """SQL expression of the sentiment cache key for a text column (md5 of the raw text)."""
    return f"md5(coalesce({column}, ''))"


def ensure_schema(con) -> None:
    """Create missing tables and columns; never drop or retype anything.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A read-write connection.
    """
    existing = {
        (t, c)
        for t, c in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main'"
        ).fetchall()
    }
    tables = {t for t, _ in existing}
    for table, cols in ALL_TABLES.items():
        # Identifiers below come from this module's constants, never from user input.
        if table not in tables:
            body = ", ".join(f'"{c}" {typ}' for c, typ in cols)
            con.execute(f'CREATE TABLE "{table}" ({body})')
            continue
        for c, typ in cols:
            if (table, c) not in existing:
                con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{c}" {typ}')
    # Only write when something changed: an open that writes changes the file, and the
    # file's modification time keys the app's cache of every query.
    # DuckDB stores a view's SQL rewritten, so the view carries the hash of our text as its
    # comment, and is replaced only when that text changed.
    view_hash = hashlib.sha256(REVIEW_SENTIMENT_VIEW.encode()).hexdigest()
    current = con.execute(
        "SELECT comment FROM duckdb_views() WHERE view_name = 'review_sentiment' AND NOT internal"
    ).fetchone()
    if current is None or current[0] != view_hash:
        con.execute(REVIEW_SENTIMENT_VIEW)
        con.execute(f"COMMENT ON VIEW review_sentiment IS '{view_hash}'")  # hex digits only
    row = con.execute("SELECT max(version) FROM schema_info").fetchone()
    if row[0] is None or row[0] < SCHEMA_VERSION:
        con.execute(
            "INSERT INTO schema_info VALUES (?, current_localtimestamp())", [SCHEMA_VERSION]
        )


def columns(table: str, *, bookkeeping: bool = True) -> list[str]:
    """The canonical column names of ``table`` in order."""
    names = [c for c, _ in CANONICAL[table]]
    if not bookkeeping:
        names = [c for c in names if c not in {b for b, _ in _BOOKKEEPING}]
    return names


def column_types(table: str) -> dict[str, str]:
    """Column name -> DuckDB type for ``table``."""
    return dict(ALL_TABLES[table])
