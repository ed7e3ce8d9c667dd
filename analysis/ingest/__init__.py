"""Real platform exports (CSV / .xlsx) into the canonical DuckDB tables, losing no row.

See DESIGN.md "Data" and the ``import`` command of "Command line" for the contract.
"""

from analysis.ingest.aliases import ALIASES, REQUIRED, missing_required
from analysis.ingest.history import (
    delete_import,
    import_history,
    save_profile,
    saved_profiles,
)
from analysis.ingest.pipeline import Preview, import_bytes, import_file, preview

__all__ = [
    "ALIASES", "REQUIRED", "Preview", "delete_import", "import_bytes", "import_file",
    "import_history", "missing_required", "preview", "save_profile", "saved_profiles",
]
