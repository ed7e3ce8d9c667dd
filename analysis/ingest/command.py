"""``python -m analysis import FILE --kind …``: the CLI handler of the import contract."""

from __future__ import annotations

import json

from analysis import ladder_store
from analysis.db import db_path, open_db
from analysis.i18n import t
from analysis.ingest.pipeline import import_file


def cli_import(args) -> int:
    """Import ``args.file``; print the contract's JSON (``--json``) or a short summary.

    Returns 0 when the file was read, even with rejected rows; user errors propagate as
    UserError for :func:`analysis.cli.main` to print in one line with exit 2.
    """
    mapping = {source: canonical for source, canonical in args.map} or None
    sets = {canonical: value for canonical, value in args.set} or None
    open(args.file, "rb").close()  # a missing or unreadable file fails before any database
    target = db_path(args.db)
    created = not target.exists()
    con = open_db(target)
    try:
        result = import_file(con, args.file, args.kind, mapping=mapping, sets=sets,
                             no_header=args.no_header)
        ladder_store.refresh_if_stale(con)  # the weekly ladder the pages read
    except BaseException:
        con.close()
        if created:
            # A failed first import leaves no empty store behind: the app would switch to it.
            for leftover in (target, target.with_name(target.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise
    con.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
        return 0
    if result["already_imported"]:
        print(t("ingest.cli.already", "en", file=result["file"], rows=result["rows_read"]))
        return 0
    print(t("ingest.cli.summary", "en", **{k: result[k] for k in (
        "file", "kind", "encoding", "rows_read", "inserted", "updated", "unchanged",
        "rejected", "skipped")}))
    for w in result["warnings"]:
        print(t("ingest.cli.warning", "en", column=w["column"], count=w["count"],
                reason=w["reason"]))
    for r in result["rejections"][:10]:
        print(t("ingest.cli.rejection", "en", **r))
    return 0
