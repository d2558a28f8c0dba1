"""The model: prepared text -> word and character n-gram TF-IDF -> linear classifier."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from rootcause.text import prepare_all, segment, to_char_view

FeatureSet = Literal["words", "chars", "both"]
ClassifierName = Literal["logreg", "svm", "sgd", "nb"]


@dataclass(frozen=True)
class ModelParams:
    """Hyper-parameters of the pipeline; recorded in every manifest."""

    features: FeatureSet = "both"
    classifier: ClassifierName = "svm"
    C: float = 10.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 3)
    min_df: int = 2
    max_df: float = 1.0
    max_features: int | None = 200_000
    char_weight: float = 0.3
    """Scale of the character features against the word features when ``features="both"``."""
    calibration: Literal["none", "sigmoid", "isotonic"] = "none"
    seed: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ModelParams:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("word_ngrams", "char_ngrams"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


def _vectorizer(kind: str, params: ModelParams) -> TfidfVectorizer:
    """TF-IDF over jieba words (``words``) or characters (``chars``) of the prepared text."""
    if kind == "words":
        shape = {"tokenizer": segment, "token_pattern": None, "ngram_range": params.word_ngrams}
    else:
        shape = {"analyzer": "char", "preprocessor": to_char_view, "ngram_range": params.char_ngrams}
    return TfidfVectorizer(**shape, lowercase=False, min_df=params.min_df, max_df=params.max_df,
                           max_features=params.max_features,
                           sublinear_tf=True, dtype=np.float32)


def _classifier(params: ModelParams) -> BaseEstimator:
    if params.classifier == "logreg":
        return LogisticRegression(C=params.C, max_iter=5000, random_state=params.seed)
    if params.classifier == "svm":
        return CalibratedClassifierCV(LinearSVC(C=params.C / 10, random_state=params.seed), cv=5, method="sigmoid",
                                      ensemble=False)
    if params.classifier == "sgd":
        return CalibratedClassifierCV(
            SGDClassifier(loss="modified_huber", alpha=1e-4 / params.C, random_state=params.seed), cv=5,
            ensemble=False)
    if params.classifier == "nb":
        return ComplementNB(alpha=1.0 / params.C)
    raise ValueError(f"unknown classifier {params.classifier!r}; expected logreg, svm, sgd or nb")


def _calibrated(classifier: BaseEstimator, params: ModelParams) -> BaseEstimator:
    if params.calibration == "none" or isinstance(classifier, CalibratedClassifierCV):
        return classifier
    return CalibratedClassifierCV(classifier, cv=5, method=params.calibration, ensemble=False)


def build_pipeline(params: ModelParams | None = None) -> Pipeline:
    """Return an unfitted pipeline for ``params`` (defaults when ``None``).

    The pipeline takes raw complaint texts: its first step normalises and masks them, so
    personal data never reaches the vocabulary.
    """
    params = params or ModelParams()
    kinds = {"words": ["words"], "chars": ["chars"], "both": ["words", "chars"]}.get(params.features)
    if kinds is None:
        raise ValueError(f"unknown feature set {params.features!r}; expected words, chars or both")
    return Pipeline(
        [
            ("prepare", FunctionTransformer(prepare_all)),
            ("features", FeatureUnion([(kind, _vectorizer(kind, params)) for kind in kinds],
                                      transformer_weights={"chars": params.char_weight} if params.char_weight != 1.0 else None)),
            ("classifier", _calibrated(_classifier(params), params)),
        ]
    )
