"""The naive-Bayes sentiment model: snownlp's, with words cut by jieba.

snownlp's ``Sentiment.classify`` cuts words with its own segmenter (95 % of its time), drops
its stopwords and asks ``Bayes.classify`` for the class. Here words come from
``jieba.lcut(text, HMM=False)`` and the probability is computed from the same frequency
tables with the same floating-point operations in the same order, so the stock model's
result equals ``snownlp.sentiment.classifier.classifier.classify(words)`` bit for bit; the
per-word logarithms are looked up instead of recomputed, which makes the classifier itself
negligible next to jieba.

Neither jieba nor snownlp is imported at module import: the stock tables are read straight
from snownlp's package files, and jieba is loaded on the first text to cut.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import marshal
import math
from collections import Counter
from pathlib import Path

from analysis.errors import UserError
from analysis.sentiment.normalise import normalise, nothing_to_score

FORMAT = "insights-bayes-1"
STOCK = "stock"
STORE = "store"


def _snownlp_dir() -> Path:
    spec = importlib.util.find_spec("snownlp")
    return Path(spec.submodule_search_locations[0])


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """snownlp's stopword list (what its ``Sentiment.handle`` filters out)."""
    path = _snownlp_dir() / "normal" / "stopwords.txt"
    with open(path, encoding="utf-8") as f:
        return frozenset(line.strip() for line in f)


@functools.lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def preload() -> None:
    """Load jieba's dictionary and its TF-IDF word weights (together ~1.4 s, once per
    process), so that a server can do it at start rather than on a visitor's first page."""
    _jieba()
    import jieba.analyse  # noqa: F401  (importing it reads the IDF table)


def cut(text: str, *, normalised: bool = False) -> list[str]:
    """The words the classifier sees: jieba words of the normalised text (HMM off, which
    scores slightly better on shopping reviews), whitespace and snownlp stopwords removed."""
    stop = stopwords()
    words = _jieba().lcut(text if normalised else normalise(text), HMM=False)
    return [w for w in words if w not in stop and not w.isspace()]


class BayesModel:
    """A two-class naive-Bayes model in snownlp's form (add-one counts per class).

    Parameters
    ----------
    classes : dict
        class name -> {"total": float, "none": int, "d": {word: count}}, in snownlp's
        order (the order decides ties exactly as snownlp does).
    name : str
        Model id used as the cache key (``stock``, ``store`` or a file name).
    metrics : dict, optional
        Training figures, for display.
    bias : float
        Added to the log-odds of a store model, fitted so that its negative band matches
        the store's share of negative reviews (naive Bayes with add-one counts favours the
        class with fewer words for every unseen word, so a store's rare 1–2★ texts would be
        over-counted). 0 for the stock model, whose result is snownlp's exactly.
    """

    def __init__(self, classes: dict, *, name: str, metrics: dict | None = None,
                 bias: float = 0.0):
        self.classes = classes
        self.name = name
        self.metrics = metrics or {}
        self.bias = float(bias)
        self.total = sum(c["total"] for c in classes.values())
        names = list(classes)
        if sorted(names) != ["neg", "pos"]:
            raise ValueError(f"expected classes neg and pos, got {names}")
        self._order = names
        # The same expressions as Bayes.classify: log(getsum()) - log(total) and
        # log(float(count) / getsum()) per word.
        self._prior = [math.log(classes[k]["total"]) - math.log(self.total) for k in names]
        self._unknown = tuple(
            math.log(float(classes[k]["none"]) / classes[k]["total"]) for k in names
        )
        vocab = set().union(*(classes[k]["d"] for k in names))
        self._logs = {
            w: tuple(
                math.log(float(classes[k]["d"].get(w, classes[k]["none"])) / classes[k]["total"])
                for k in names
            )
            for w in vocab
        }

    def _class_logs(self, words: list[str]) -> tuple[float, float]:
        a, b = self._prior
        logs, unknown = self._logs, self._unknown
        for w in words:
            la, lb = logs.get(w, unknown)
            a += la
            b += lb
        return a, b

    def log_odds(self, words: list[str]) -> float:
        """log P(pos | words) - log P(neg | words), without the bias."""
        tmp = self._class_logs(words)
        pos = self._order.index("pos")
        return tmp[pos] - tmp[1 - pos]

    def classify_words(self, words: list[str]) -> float:
        """Positive probability of a word list; with no bias exactly what snownlp's
        ``Sentiment`` returns for these words."""
        if self.bias:
            z = self.log_odds(words) + self.bias
            return 1 / (1 + math.exp(-z)) if z > -700 else 0.0
        tmp = self._class_logs(words)
        ret, prob = None, 0
        for i in (0, 1):
            now = 0
            try:
                for j in (0, 1):
                    now += math.exp(tmp[j] - tmp[i])
                now = 1 / now
            except OverflowError:
                now = 0
            if now > prob:
                ret, prob = self._order[i], now
        return prob if ret == "pos" else 1 - prob

    def score(self, text: str | None) -> float | None:
        """Positive probability of one review text; None when it has nothing to score."""
        text = normalise(text)
        if nothing_to_score(text):
            return None
        return self.classify_words(cut(text, normalised=True))

    def payload(self) -> bytes:
        """The model as gzip-compressed JSON (what ``--out`` writes and the DB stores)."""
        doc = {"format": FORMAT, "classes": self.classes, "bias": self.bias,
               "metrics": self.metrics}
        return gzip.compress(json.dumps(doc, ensure_ascii=False).encode("utf-8"), mtime=0)

    @classmethod
    def from_payload(cls, data: bytes, *, name: str) -> "BayesModel":
        """Read a model written by :meth:`payload`."""
        try:
            doc = json.loads(gzip.decompress(data).decode("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError(doc.get("format"))
            return cls(doc["classes"], name=name, metrics=doc.get("metrics"),
                       bias=float(doc.get("bias", 0.0)))
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise UserError("reviews.error.bad_model_file", path=name) from exc


def train(neg_docs: list[list[str]], pos_docs: list[list[str]], *, name: str = STORE,
          metrics: dict | None = None, bias: float = 0.0) -> BayesModel:
    """A model trained as snownlp's ``Bayes.train`` does on these word lists.

    AddOneProb counts every first sighting of a word twice (it starts at 1), so a class's
    count of a word is its occurrences + 1 and its total is occurrences + vocabulary.
    """
    classes = {}
    for label, docs in (("neg", neg_docs), ("pos", pos_docs)):
        counts = Counter(w for words in docs for w in words)
        classes[label] = {
            "total": float(sum(counts.values()) + len(counts)),
            "none": 1,
            "d": {w: c + 1 for w, c in counts.items()},
        }
    return BayesModel(classes, name=name, metrics=metrics, bias=bias)


@functools.lru_cache(maxsize=1)
def stock_model() -> BayesModel:
    """snownlp's bundled model (trained on book, hotel and shopping reviews), read from its
    marshal file without importing snownlp."""
    path = _snownlp_dir() / "sentiment" / "sentiment.marshal.3"
    with gzip.open(path, "rb") as f:
        data = marshal.loads(f.read())
    classes = {
        k: {"total": float(v["total"]), "none": v["none"], "d": v["d"]}
        for k, v in data["d"].items()
    }
    return BayesModel(classes, name=STOCK)


def load_file(path: str | Path) -> BayesModel:
    """A model file written by ``train-sentiment --out PATH``."""
    with open(path, "rb") as f:
        return BayesModel.from_payload(f.read(), name=str(path))


def load_store(con) -> BayesModel:
    """The store model last trained for this database.

    Raises
    ------
    UserError
        When none has been trained.
    """
    row = con.execute(
        "SELECT payload FROM sentiment_models WHERE model = ? "
        "ORDER BY trained_at DESC LIMIT 1", [STORE]
    ).fetchall()
    if not row:
        raise UserError("reviews.error.no_store_model")
    return BayesModel.from_payload(bytes(row[0][0]), name=STORE)


def resolve(model, con=None) -> BayesModel:
    """A model from ``stock``, ``store`` (needs ``con``), a file path, or a model itself."""
    if isinstance(model, BayesModel):
        return model
    if model in (None, STOCK):
        return stock_model()
    if model == STORE:
        if con is None:
            raise UserError("reviews.error.no_store_model")
        return load_store(con)
    return load_file(model)


def score_texts(texts: list[str | None], model="stock", con=None) -> list[float | None]:
    """Positive probabilities of review texts (None for a text with nothing to score).

    Parameters
    ----------
    texts : list of str
    model : {"stock", "store"}, path or BayesModel
        ``store`` needs ``con``.
    con : duckdb.DuckDBPyConnection, optional

    Returns
    -------
    list of float or None
        One value per text, in order.
    """
    m = resolve(model, con)
    return [m.score(t) for t in texts]
