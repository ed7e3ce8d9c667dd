"""From a file's header to a column plan: which position feeds which canonical column.

The user's ``--map`` wins over aliases, ``--set`` fills constants, a saved profile whose
header fingerprint matches is used when no mapping is given, and every other column goes
to ``extra`` so nothing in the file is lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from analysis import schema
from analysis.errors import UserError
from analysis.ingest import aliases


@dataclass
class Plan:
    """Position -> canonical column, constants, and the positions kept in ``extra``."""

    kind: str
    headers: list[str]
    by_position: dict[int, str]
    constants: dict[str, str]
    extra_positions: list[int] = field(default_factory=list)
    platform: str | None = None

    @property
    def mapped(self) -> set[str]:
        """Canonical columns that get a value from the file or a constant."""
        return set(self.by_position.values()) | set(self.constants)

    def mapping_json(self) -> dict[str, str]:
        """{source header: canonical}, as ``import --json`` reports it."""
        return {self.headers[p]: c for p, c in sorted(self.by_position.items())}


def content_columns(kind: str) -> list[str]:
    """The canonical columns of ``kind`` a file can fill (no bookkeeping)."""
    return schema.columns(kind, bookkeeping=False)


def header_fingerprint(headers: list[str]) -> str:
    """A stable fingerprint of a header row, for matching saved mapping profiles."""
    joined = "\x1f".join(aliases.norm(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def _check_targets(kind: str, names, *, what: str) -> None:
    allowed = set(content_columns(kind))
    for name in names:
        if name not in allowed:
            raise UserError("ingest.unknown_column", column=name, kind=kind,
                            allowed=", ".join(sorted(allowed)))


def make_plan(kind: str, headers: list[str], *, mapping: dict | None = None,
              sets: dict | None = None, no_header: bool = False) -> Plan:
    """Build the column plan, raising UserError for a mapping that cannot work.

    Parameters
    ----------
    kind : str
        Target table.
    headers : list of str
        Header cells (for headerless files "1", "2", …).
    mapping : dict, optional
        {source: canonical}; with ``no_header`` the source is a 1-based column number.
    sets : dict, optional
        {canonical: constant text}.
    """
    mapping = {str(k).strip(): v for k, v in (mapping or {}).items()}
    sets = dict(sets or {})
    _check_targets(kind, mapping.values(), what="map")
    _check_targets(kind, sets.keys(), what="set")
    known = {aliases.norm(h) for h in headers}
    for source in mapping:
        if aliases.norm(source) not in known:
            raise UserError("ingest.map_source_missing", source=source,
                            headers=", ".join(headers[:30]))
    if no_header:
        by_position = {int(k) - 1: v for k, v in mapping.items()}
    else:
        by_position = aliases.propose_mapping(kind, headers, mapping)
    # A constant wins over a column for the same canonical name.
    by_position = {p: c for p, c in by_position.items() if c not in sets}
    extra = [p for p in range(len(headers)) if p not in by_position]
    return Plan(kind, headers, by_position, sets, extra,
                None if no_header else aliases.detect_platform(headers))


def require_key(plan: Plan) -> None:
    """Raise UserError when no mapped column can key ``plan.kind`` (e.g. the wrong kind)."""
    missing = aliases.missing_required(plan.kind, plan.mapped)
    if missing:
        raise UserError("ingest.no_key", kind=plan.kind, required="; ".join(missing),
                        headers=", ".join(plan.headers[:30]))
