"""Writing staged rows into the canonical table: keys, row hashes, last-wins upsert.

Counts follow the contract: each valid row is ``inserted`` (its key is new), ``updated`` (its
key exists with other content, or repeats an earlier row of the file with other content) or
``unchanged``. Only the last row of a key within a file is written.
"""

from __future__ import annotations

from analysis import schema
from analysis.ingest import aliases, profiles
from analysis.ingest.plan import Plan, content_columns
from analysis.ingest.stage import TYPED, VALID

FINAL = "ing_final"


def key_expr(kind: str, alias: str = "") -> str:
    """Text of a row's key (without shop), for the import_updates log."""
    pre = f"{alias}." if alias else ""
    return "concat_ws(chr(31), " + ", ".join(
        f"CAST({pre}{k} AS VARCHAR)" for k in schema.KEYS[kind]) + ")"


def _derived(plan: Plan, shop: str) -> tuple[list[str], dict]:
    """SELECT items for every content column of the kind, with defaults and derived keys."""
    params: dict[str, object] = {"default_shop": shop}
    items = []
    mapped = plan.mapped
    for col in content_columns(plan.kind):
        if col == "shop":
            items.append("coalesce(shop, $default_shop) AS shop" if "shop" in mapped
                         else "CAST($default_shop AS VARCHAR) AS shop")
        elif col == "review_key":
            # Without review ids the key is a hash of who, which order, when and what. The raw
            # customer text is used even when the id is damaged (and stored as NULL), so that
            # different reviewers with the same text and minute are not merged.
            rid = "review_id" if "review_id" in mapped else "NULL"
            oid = "order_id" if "order_id" in mapped else "NULL"
            parts = [f"coalesce({x}, '')" for x in (
                "coalesce(odd_customer_id, customer_id)" if "customer_id" in mapped else "NULL", oid,
                "strftime(review_time, '%Y-%m-%d %H:%M:%S')" if "review_time" in mapped else "NULL",
                "content" if "content" in mapped else "NULL")]
            items.append(f"CASE WHEN {rid} IS NOT NULL THEN {rid} || '|' || coalesce({oid}, '') "
                         f"ELSE md5(concat_ws(chr(31), {', '.join(parts)})) END AS review_key")
        elif col == "line" and "line" not in mapped:
            items.append("CAST(row_number() OVER (PARTITION BY coalesce(shop_, ''), order_id "
                         "ORDER BY ord) AS INTEGER) AS line")
        elif col == "source" and "source" not in mapped:
            if plan.kind == "tickets":
                default = aliases.ticket_source(plan.headers)
            else:
                default = (plan.profile.contact_source if plan.profile is not None else None) \
                    or "other"
            params["default_source"] = default
            items.append("CAST($default_source AS VARCHAR) AS source")
        elif col == "province" and "province" not in mapped and "address" in mapped:
            # A one-word address of up to 8 characters (Tmall's report) is a province; else
            # the part before 省/市/区. One regex, the first alternative winning (RE2 keeps
            # Perl's order), costs half the length test plus a second regex. (No capture
            # group: with one, RE2 leaves its DFA and the extract costs 3x more.)
            items.append("nullif(regexp_extract(address, '^(?:\\S{1,8}$|\\S+?"
                         "(?:省|自治区|特别行政区|市))'), '') AS province")
        elif col == "default_review" and "default_review" not in mapped:
            items.append("default_review" if "rating" in mapped
                          else "CAST(NULL AS BOOLEAN) AS default_review")
        elif col in mapped:
            items.append(col)
        elif (span := _span(plan, col)) is not None:
            start, key, seconds = span
            params[f"span_{col}"] = key
            # A span that does not parse leaves the time NULL, as a bad time would.
            items.append(f"{start} + to_seconds(CAST(round(try_cast(replace(extra->>$span_{col}, "
                         f"',', '') AS DOUBLE) * {int(seconds)}) AS BIGINT)) AS {col}")
        else:
            items.append(f"NULL AS {col}")
    return items, params


def _span(plan: Plan, col: str) -> tuple[str, str, int] | None:
    """(start column, extra key, seconds per unit) when the profile gives ``col`` as a span
    after another mapped time, its span column being in ``extra``."""
    if plan.profile is None or col not in plan.profile.durations:
        return None
    start, header, seconds = plan.profile.durations[col]
    keys = {profiles.norm(plan.headers[p]): plan.headers[p] for p in plan.extra_positions}
    if start not in plan.mapped or profiles.norm(header) not in keys:
        return None
    return start, keys[profiles.norm(header)], seconds


def _hash(kind: str) -> str:
    return f"hash({', '.join(content_columns(kind))}, CAST(extra AS VARCHAR))"


def _valid_rows(plan: Plan, shop: str, src: str = TYPED) -> tuple[str, dict]:
    """SELECT of every valid row of ``src``: ord, extra, shop_ (the file's shop text) and
    the content."""
    items, params = _derived(plan, shop)
    shop_src = "shop" if "shop" in plan.mapped else "NULL"
    return (f"SELECT ord, extra, {', '.join(items)} FROM (SELECT rowid AS ord, *, "
            f"{shop_src} AS shop_ FROM {src} WHERE {VALID})"), params


def first_load(con, plan: Plan, shop: str, n_valid: int, src: str = TYPED) -> bool:
    """Whether every valid row is new: no stored row of the file's shop, no key repeated.

    Then the rows need no join, window or update: :func:`insert_new` writes them as they are.
    """
    kind = plan.kind
    if "shop" in plan.mapped:
        stored = con.execute("SELECT EXISTS (SELECT 1 FROM query_table(?))", [kind]).fetchone()[0]
    else:
        stored = con.execute("SELECT EXISTS (SELECT 1 FROM query_table(?) WHERE shop = ?)",
                             [kind, shop]).fetchone()[0]
    if stored:
        return False
    source, params = _valid_rows(plan, shop, src)
    keys = ", ".join(["shop", *schema.KEYS[kind]])
    # Distinct hashes prove distinct keys; a collision only sends the file the long way.
    distinct = con.execute(f"SELECT count(DISTINCT hash({keys})) FROM ({source})",
                           params).fetchone()[0]
    return distinct == n_valid


def insert_new(con, plan: Plan, shop: str, import_id: int, src: str = TYPED) -> None:
    """Insert every valid row (inside the caller's transaction), after :func:`first_load`."""
    source, params = _valid_rows(plan, shop, src)
    params["import_id"] = import_id
    cols = content_columns(plan.kind)
    # Row order in the table means nothing; without it both cores write row groups at once.
    con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(
            f'INSERT INTO "{plan.kind}" BY NAME SELECT {", ".join(cols)}, $import_id AS '
            f"import_id, extra, {_hash(plan.kind)} AS row_hash FROM ({source})", params)
    finally:
        con.execute("RESET preserve_insertion_order")


def build_final(con, plan: Plan, shop: str, src: str = TYPED, final: str = FINAL) -> None:
    """Valid rows with key, row_hash, whether they repeat a key, and the stored row's hash."""
    kind = plan.kind
    source, params = _valid_rows(plan, shop, src)
    keys = ["shop", *schema.KEYS[kind]]
    part = ", ".join(f"s.{k}" for k in keys)
    join = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    con.execute(f"CREATE TEMP TABLE ing_hashed AS SELECT *, {_hash(kind)} AS row_hash "
                f"FROM ({source})", params)
    plain = ", ".join(keys)
    n, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT ({plain})) FROM ing_hashed").fetchone()
    # Keys repeat within a file only now and then; the windows are paid only when they do.
    if n == distinct:
        repeat = "CAST(NULL AS UBIGINT) AS prev_hash, true AS is_last"
    else:
        repeat = (f"lag(s.row_hash) OVER (PARTITION BY {part} ORDER BY s.ord) AS prev_hash, "
                  f"row_number() OVER (PARTITION BY {part} ORDER BY s.ord DESC) = 1 AS is_last")
    con.execute(
        f"CREATE TEMP TABLE {final} AS SELECT s.*, {repeat}, "
        f"t.row_hash AS stored_hash, t.shop IS NOT NULL AS stored "
        f"FROM ing_hashed s LEFT JOIN \"{kind}\" t ON {join}")
    con.execute("DROP TABLE ing_hashed")


COUNT_SQL = """
SELECT
  count(*) FILTER (WHERE prev_hash IS NULL AND NOT stored),
  count(*) FILTER (WHERE (prev_hash IS NULL AND stored AND row_hash IS DISTINCT FROM stored_hash)
                      OR (prev_hash IS NOT NULL AND row_hash <> prev_hash)),
  count(*) FILTER (WHERE (prev_hash IS NULL AND stored AND row_hash = stored_hash)
                      OR (prev_hash IS NOT NULL AND row_hash = prev_hash))
FROM {final}
"""


def counts(con, final: str = FINAL) -> tuple[int, int, int]:
    """(inserted, updated, unchanged) over every row of ``final`` (code-made table name)."""
    return tuple(con.execute(COUNT_SQL.format(final=final)).fetchone())


def write(con, plan: Plan, import_id: int, final: str = FINAL) -> None:
    """Insert new keys and update changed ones (inside the caller's transaction)."""
    kind = plan.kind
    cols = content_columns(kind)
    keys = ["shop", *schema.KEYS[kind]]
    params = {"import_id": import_id, "tbl": kind}
    changed = "s.is_last AND s.stored AND s.row_hash IS DISTINCT FROM s.stored_hash"
    con.execute(
        f"INSERT INTO import_updates SELECT $import_id, $tbl, s.shop, {key_expr(kind, 's')} "
        f"FROM {final} s WHERE {changed}", params)
    # Columns the file does not fill keep what the stored row had.
    derived = {"review_key", "line", "source", "province"} & set(cols)
    if "rating" in plan.mapped:
        derived.add("default_review")
    settable = [c for c in cols if c not in keys
                and (c in plan.mapped or c in derived or _span(plan, c) is not None)]
    sets = ", ".join([f"{c} = s.{c}" for c in settable]
                     + ["import_id = $import_id", "extra = s.extra", "row_hash = s.row_hash"])
    join = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    con.execute(f"UPDATE \"{kind}\" AS t SET {sets} FROM {final} s WHERE {changed} AND {join}",
                {"import_id": import_id})
    con.execute(
        f"INSERT INTO \"{kind}\" BY NAME SELECT {', '.join(cols)}, $import_id AS import_id, "
        f"extra, row_hash FROM {final} WHERE is_last AND NOT stored",
        {"import_id": import_id},
    )
