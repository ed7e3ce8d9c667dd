"""Real platform exports (CSV / .xlsx) into the canonical DuckDB tables, losing no row.

See docs/design.md "Data" and the ``import`` command of "Command line" for the contract.
"""

from analysis.ingest.aliases import ALIASES, REQUIRED, missing_required
from analysis.ingest.needs import checklist, group_rejections, preview_warnings, required_columns
from analysis.ingest.history import (
    delete_import,
    delivery_is_confirmation,
    import_history,
    prior_mapping,
    save_profile,
    saved_profiles,
)
from analysis.ingest.pipeline import Preview, import_bytes, import_file, preview

__all__ = [
    "ALIASES", "REQUIRED", "Preview", "checklist", "delete_import", "delivery_is_confirmation", "group_rejections",
    "import_bytes", "import_file", "import_history", "missing_required", "preview",
    "preview_warnings", "prior_mapping", "required_columns", "save_profile", "saved_profiles",
]
