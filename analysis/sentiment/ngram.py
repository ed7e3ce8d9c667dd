"""The discriminative sentiment model: TF-IDF over hashed character 1–3-grams and a logistic
regression fitted by stochastic gradient descent (scikit-learn), kept as plain arrays.

Why these choices (measured in ``bench/sentiment.py``): character n-grams need no word
segmentation (jieba costs more than the whole model and cuts shop words badly), and a
discriminative model learns 不错/好评/失望 from labelled texts where snownlp's naive Bayes is
thrown by every word it saw more often in one class. Hashing the n-grams instead of keeping
a vocabulary makes the model two arrays (IDF and weights) that load in milliseconds and need
no pickle; jieba words as extra features were measured and did not help (AUC −0.004 on JD,
+0.001 on waimai, three times slower), so they are left out.

Only texts already passed through :func:`analysis.sentiment.normalise.normalise` and found
Chinese are given to these functions.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

FEATURES = 2 ** 20
NGRAMS = (1, 3)
# Regularisation and passes over the data: the stock corpus (35k texts) takes the weaker
# penalty, a store's few thousand reviews the stronger one (bench/sentiment.py --curve).
STOCK_ALPHA = 3e-6
STORE_ALPHA = 1e-5
EPOCHS = 15
SEED = 0


@functools.lru_cache(maxsize=1)
def _sk() -> SimpleNamespace:
    """The scikit-learn pieces, imported on first use: importing scikit-learn takes seconds,
    and neither the pages nor the ``sentiment`` command's start need it."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import GroupKFold

    return SimpleNamespace(ConvergenceWarning=ConvergenceWarning, GroupKFold=GroupKFold,
                           HashingVectorizer=HashingVectorizer, SGDClassifier=SGDClassifier,
                           TfidfTransformer=TfidfTransformer)


def vectorizer():
    """The stateless featuriser: counts of hashed character 1–3-grams (no vocabulary)."""
    return _sk().HashingVectorizer(analyzer="char", ngram_range=NGRAMS, n_features=FEATURES,
                             alternate_sign=False, norm=None, lowercase=True,
                             dtype=np.float32)


def hashed(texts: list[str]):
    """The n-gram count matrix of ``texts`` (one row per text)."""
    return vectorizer().transform(texts)


@dataclass
class NgramModel:
    """A fitted model: IDF weights and logistic-regression weights over the hashed n-grams.

    Parameters
    ----------
    idf : numpy.ndarray
        ``FEATURES`` inverse document frequencies (TfidfTransformer's ``idf_``).
    coef : numpy.ndarray
        ``FEATURES`` weights; positive means positive sentiment.
    intercept : float
    """

    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    _fitted: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def _estimators(self):
        # scikit-learn's own transformer and classifier, given the stored arrays.
        if self._fitted is None:
            tfidf = _sk().TfidfTransformer(sublinear_tf=True)
            tfidf.idf_ = np.asarray(self.idf, dtype=np.float64)
            tfidf.n_features_in_ = FEATURES
            clf = _sk().SGDClassifier(loss="log_loss")
            clf.coef_ = np.asarray(self.coef, dtype=np.float64).reshape(1, -1)
            clf.intercept_ = np.array([float(self.intercept)])
            clf.classes_ = np.array([0, 1])
            clf.n_features_in_ = FEATURES
            self._fitted = (tfidf, clf)
        return self._fitted

    def raw_hashed(self, counts) -> np.ndarray:
        """Decision values (log-odds before calibration) of rows of :func:`hashed`."""
        if counts.shape[0] == 0:
            return np.zeros(0)
        tfidf, clf = self._estimators()
        return clf.decision_function(tfidf.transform(counts))

    def raw(self, texts: list[str]) -> np.ndarray:
        """Decision values of normalised Chinese texts."""
        return self.raw_hashed(hashed(texts))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that define the model (what a model file stores)."""
        return {"idf": np.asarray(self.idf, dtype=np.float32),
                "coef": np.asarray(self.coef, dtype=np.float32),
                "intercept": np.array([self.intercept], dtype=np.float64)}

    @classmethod
    def from_arrays(cls, arrays) -> "NgramModel":
        """The model from :meth:`arrays` (raises KeyError/ValueError when they do not fit)."""
        idf, coef = np.asarray(arrays["idf"]), np.asarray(arrays["coef"])
        if idf.shape != (FEATURES,) or coef.shape != (FEATURES,):
            raise ValueError(f"expected {FEATURES} features, got {idf.shape} and {coef.shape}")
        if not (np.isfinite(idf).all() and np.isfinite(coef).all()):
            raise ValueError("weights are not finite")
        return cls(idf=idf, coef=coef, intercept=float(np.asarray(arrays["intercept"])[0]))

    def digest(self) -> str:
        """A short hash of the weights: part of a store model's id."""
        h = hashlib.sha256()
        for name, arr in sorted(self.arrays().items()):
            h.update(name.encode())
            h.update(np.ascontiguousarray(arr).tobytes())
        return h.hexdigest()[:12]


def _classifier(alpha: float):
    # Fixed passes and seed: the same reviews give the same model on every run.
    return _sk().SGDClassifier(loss="log_loss", alpha=alpha, max_iter=EPOCHS, tol=None,
                         random_state=SEED)


def fit_hashed(counts, positive, *, alpha: float = STORE_ALPHA) -> NgramModel:
    """Fit the model on rows of :func:`hashed` with labels ``positive`` (bool).

    The IDF weights come from the same rows (they use no labels).
    """
    tfidf = _sk().TfidfTransformer(sublinear_tf=True).fit(counts)
    clf = _fit_classifier(tfidf.transform(counts), positive, alpha)
    return NgramModel(idf=tfidf.idf_.astype(np.float32), coef=clf.coef_.ravel().astype(np.float32),
                      intercept=float(clf.intercept_[0]))


def _fit_classifier(features, positive, alpha: float):
    clf = _classifier(alpha)
    with warnings.catch_warnings():
        # A fixed number of passes is the point (determinism, bounded time), not a fault.
        warnings.simplefilter("ignore", _sk().ConvergenceWarning)
        clf.fit(features, np.asarray(positive, dtype=int))
    return clf


def cross_fit(counts, positive, groups, *, alpha: float = STORE_ALPHA, folds: int = 5
              ) -> tuple[NgramModel, np.ndarray]:
    """Fit one model per fold (texts of one ``groups`` value stay in one fold) and average
    them; also return each row's decision value from the model that did not see it.

    The out-of-fold values are what the calibration is fitted on. Averaging the fold models
    (one linear model, as they share the IDF weights) rather than fitting a last one on all
    rows keeps the scores it gives new reviews on the scale of those values: a model fitted
    on every row is more confident than the fold models, and on waimai reviews it put 2–4
    points more of the held-out reviews below the negative threshold.

    Returns
    -------
    (NgramModel, numpy.ndarray)
    """
    y = np.asarray(positive, dtype=bool)
    tfidf = _sk().TfidfTransformer(sublinear_tf=True).fit(counts)
    features = tfidf.transform(counts)
    raw = np.zeros(len(y))
    coefs, intercepts = [], []
    for train, held in _sk().GroupKFold(n_splits=folds).split(np.zeros(len(y)), y, groups):
        clf = _fit_classifier(features[train], y[train], alpha)
        raw[held] = clf.decision_function(features[held])
        coefs.append(clf.coef_.ravel())
        intercepts.append(clf.intercept_[0])
    model = NgramModel(idf=tfidf.idf_.astype(np.float32),
                       coef=np.mean(coefs, axis=0).astype(np.float32),
                       intercept=float(np.mean(intercepts)))
    return model, raw
