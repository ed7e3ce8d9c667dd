"""The imports log, saved mapping profiles and deleting an import."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd

from analysis import schema
from analysis.errors import UserError
from analysis.ingest import aliases, profiles
from analysis.ingest.load import key_expr
from analysis.ingest.plan import header_fingerprint

PRIOR_IMPORT_SQL = """
SELECT import_id, rows_read, request, mapping, constants FROM imports
WHERE sha256 = ? AND kind = ? AND deleted_at IS NULL
ORDER BY import_id DESC LIMIT 1
"""
NEXT_ID_SQL = "SELECT coalesce(max(import_id), 0) + 1 FROM imports"
LOG_SQL = """
INSERT INTO imports (import_id, shop, file_name, sha256, kind, encoding, platform, mapping,
                     rows_read, inserted, updated, unchanged, rejected, skipped, report,
                     imported_at, imported_by, request, constants)
VALUES ($import_id, $shop, $file, $sha256, $kind, $encoding, $platform, $mapping, $rows_read,
        $inserted, $updated, $unchanged, $rejected, $skipped, $report,
        current_localtimestamp(), $by, $request, $constants)
"""
HISTORY_SQL = """
SELECT import_id, imported_at, imported_by, file_name, kind, shop, encoding, platform,
       rows_read, inserted, updated, unchanged, rejected, skipped, sha256,
       deleted_at, deleted_by
FROM imports ORDER BY import_id DESC
"""
PROFILES_SQL = """
SELECT name, kind, header_fingerprint, mapping, saved_at FROM mapping_profiles
WHERE kind = ? ORDER BY saved_at DESC, name
"""


@dataclass(frozen=True)
class Prior:
    """A live earlier import of the same file as the same kind."""

    import_id: int
    rows_read: int
    request: str | None
    mapping: dict
    constants: dict

    def same_plan(self, mapping: dict, constants: dict) -> bool:
        """Whether a new plan reads the file as this import did."""
        return self.mapping == mapping and self.constants == constants


def rules_version() -> str:
    """A fingerprint of the importer's aliases and platform profiles: a new version may
    read a file another way, so a file imported before is then compared by its plan."""
    text = json.dumps([aliases.ALIASES, repr(profiles.PROFILES)], ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def request_key(kind: str, **options) -> str:
    """A fingerprint of what an import was asked: kind, options and the rules version.

    Mappings are compared by their text keys (a column number or a header), and no mapping
    is an empty one."""
    options = {k: ({str(a): b for a, b in v.items()} if isinstance(v, dict) else v or None)
               for k, v in options.items()}
    text = json.dumps([kind, options, rules_version()], ensure_ascii=False, sort_keys=True,
                      default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def prior_import(con, sha256: str, kind: str) -> Prior | None:
    """The live earlier import of the same file as ``kind``, or None."""
    row = con.execute(PRIOR_IMPORT_SQL, [sha256, kind]).fetchone()
    if row is None:
        return None
    import_id, rows_read, request, mapping, constants = row
    return Prior(import_id, rows_read, request, json.loads(mapping or "{}"),
                 json.loads(constants or "{}"))


DELIVERY_SOURCE_SQL = """
SELECT key FROM (
    SELECT i.import_id, u.key, u.value
    FROM imports i, json_each(i.mapping) u
    WHERE i.kind = 'orders' AND i.deleted_at IS NULL AND ($shop IS NULL OR i.shop = $shop)
) WHERE json_extract_string(value, '$') = 'signed_time'
ORDER BY import_id DESC LIMIT 1
"""
# Headers of a delivery time that is really the buyer's confirmation (days after delivery).
CONFIRMATION_WORDS = ("确认收货", "订单完成", "完成时间")


def delivery_is_confirmation(con, shop: str | None = None) -> str | None:
    """The header the newest orders import took ``signed_time`` from, when it is the
    buyer's confirmation of receipt rather than the delivery (签收): the call list then
    comes days late and says so. None when the delivery time is a real 签收时间 or unknown.
    """
    row = con.execute(DELIVERY_SOURCE_SQL, {"shop": shop}).fetchone()
    if row is None or not any(w in row[0] for w in CONFIRMATION_WORDS):
        return None
    return row[0]


def prior_mapping(con, sha256: str, kind: str) -> dict | None:
    """The {source: canonical} mapping the same file was last imported with, else None: a
    page proposes it again, so re-uploading a file mapped by hand stays a no-op."""
    prior = prior_import(con, sha256, kind)
    return prior.mapping if prior is not None else None


def log_import(con, result: dict, *, shop: str, imported_by: str | None,
               request: str | None = None, constants: dict | None = None) -> None:
    """Write the imports log row for ``result`` (inside the import's transaction)."""
    report = {"rejections": result["rejections"], "warnings": result["warnings"],
              "tables": result.get("tables")}
    con.execute(LOG_SQL, {
        "import_id": result["import_id"], "shop": shop, "file": result["file"],
        "sha256": result["sha256"], "kind": result["kind"], "encoding": result["encoding"],
        "platform": result["platform"],
        "mapping": json.dumps(result["mapping"], ensure_ascii=False),
        "rows_read": result["rows_read"], "inserted": result["inserted"],
        "updated": result["updated"], "unchanged": result["unchanged"],
        "rejected": result["rejected"], "skipped": result["skipped"],
        "report": json.dumps(report, ensure_ascii=False, default=str), "by": imported_by,
        "request": request, "constants": json.dumps(constants or {}, ensure_ascii=False),
    })


def import_history(con) -> pd.DataFrame:
    """Every import, newest first (deleted ones included, with when and by whom)."""
    return con.execute(HISTORY_SQL).df()


def delete_import(con, import_id: int, *, deleted_by: str | None = None) -> dict:
    """Remove the rows ``import_id`` inserted and mark it deleted, in one transaction.

    Rows it updated keep their new content (nothing is restored); rows a later import changed
    belong to that import. The same file can be imported again afterwards.

    Returns
    -------
    dict
        {"import_id", "kind", "deleted", "tables"}: rows removed from the import's own
        table, and from each table it wrote ({table: rows}; an orders file with several rows
        per order also wrote order_items).
    """
    row = con.execute("SELECT kind, deleted_at FROM imports WHERE import_id = ?",
                      [import_id]).fetchone()
    if row is None:
        raise UserError("ingest.no_such_import", import_id=import_id)
    kind, deleted_at = row
    if deleted_at is not None:
        raise UserError("ingest.already_deleted", import_id=import_id)
    if kind not in schema.CANONICAL:
        raise UserError("ingest.no_such_import", import_id=import_id)
    con.execute("BEGIN")
    try:
        deleted, tables = 0, {}
        # An orders file with several rows per order also wrote order_items.
        for table in (kind, "order_items") if kind == "orders" else (kind,):
            n = con.execute(
                f"DELETE FROM \"{table}\" t WHERE t.import_id = $id AND NOT EXISTS ("
                f"SELECT 1 FROM import_updates u WHERE u.import_id = $id AND u.tbl = $tbl "
                f"AND u.shop = t.shop AND u.row_key = {key_expr(table, 't')})",
                {"id": import_id, "tbl": table},
            ).fetchone()[0]
            deleted += n if table == kind else 0
            tables[table] = int(n)
        con.execute("UPDATE imports SET deleted_at = current_localtimestamp(), deleted_by = ? "
                    "WHERE import_id = ?", [deleted_by, import_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"import_id": import_id, "kind": kind, "deleted": int(deleted), "tables": tables}


def save_profile(con, name: str, kind: str, headers: list[str], mapping: dict) -> None:
    """Save a {source: canonical} mapping under ``name`` for files with these headers."""
    con.execute("DELETE FROM mapping_profiles WHERE name = ? AND kind = ?", [name, kind])
    con.execute(
        "INSERT INTO mapping_profiles VALUES (?, ?, ?, ?, current_localtimestamp())",
        [name, kind, header_fingerprint(headers), json.dumps(mapping, ensure_ascii=False)],
    )


def saved_profiles(con, kind: str) -> list[dict]:
    """Saved profiles for ``kind``, newest first, each {name, kind, header_fingerprint,
    mapping, saved_at}."""
    rows = con.execute(PROFILES_SQL, [kind]).fetchall()
    return [{"name": n, "kind": k, "header_fingerprint": f, "mapping": json.loads(m),
             "saved_at": at} for n, k, f, m, at in rows]


def profile_for(con, kind: str, headers: list[str]) -> dict | None:
    """The newest saved mapping whose header fingerprint matches ``headers``, else None."""
    fp = header_fingerprint(headers)
    for profile in saved_profiles(con, kind):
        if profile["header_fingerprint"] == fp:
            return profile["mapping"]
    return None
