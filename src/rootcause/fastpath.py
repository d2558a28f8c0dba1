"""A lean inference path for the pipelines rootcause builds: the same numbers as scikit-learn's
``predict_proba``, without its per-call validation (about half the cost of one short text).

Only structures recognised here take the fast path; anything else returns ``None`` and the caller
uses scikit-learn. ``tests/test_fastpath.py`` checks that both paths agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

Proba = Callable[[Sequence[str]], np.ndarray]


def _features(step) -> Callable[[Sequence[str]], sp.csr_matrix] | None:
    if isinstance(step, FeatureUnion):
        weights = step.transformer_weights or {}
        parts = [(v, weights.get(name, 1.0)) for name, v in step.transformer_list]
        return lambda texts: sp.hstack([v.transform(texts) * w if w != 1.0 else v.transform(texts)
                                        for v, w in parts]).tocsr()
    if hasattr(step, "vocabulary_"):
        return step.transform
    return None


def _sigmoid_svm(classifier) -> Callable[[sp.csr_matrix], np.ndarray] | None:
    """CalibratedClassifierCV(LinearSVC, sigmoid, ensemble=False) over more than two classes."""
    if not isinstance(classifier, CalibratedClassifierCV) or len(classifier.calibrated_classifiers_) != 1:
        return None
    calibrated = classifier.calibrated_classifiers_[0]
    calibrators = calibrated.calibrators
    n_classes = len(classifier.classes_)
    if (not isinstance(calibrated.estimator, LinearSVC) or n_classes < 3 or len(calibrators) != n_classes
            or not all(isinstance(c, _SigmoidCalibration) for c in calibrators)):
        return None
    coef, intercept = calibrated.estimator.coef_.T, calibrated.estimator.intercept_
    a = np.array([c.a_ for c in calibrators])
    b = np.array([c.b_ for c in calibrators])

    def proba(x: sp.csr_matrix) -> np.ndarray:
        p = expit(-(a * (x @ coef + intercept) + b))
        total = p.sum(axis=1, keepdims=True)
        return np.where(total == 0, 1.0 / len(a), p / np.where(total == 0, 1.0, total))

    return proba


def _binary_logreg(classifier) -> Callable[[sp.csr_matrix], np.ndarray] | None:
    if not isinstance(classifier, LogisticRegression) or len(classifier.classes_) != 2:
        return None
    coef, intercept = classifier.coef_.T, classifier.intercept_

    def proba(x: sp.csr_matrix) -> np.ndarray:
        positive = expit(x @ coef + intercept)[:, 0]
        return np.column_stack([1 - positive, positive])

    return proba


def compile_proba(pipeline: Pipeline) -> Proba | None:
    """A function texts -> probabilities (columns in ``pipeline.classes_`` order) for the part of
    ``pipeline`` after its ``prepare`` step, or ``None`` if the structure is not recognised."""
    steps = [step for name, step in pipeline.steps if name != "prepare"]
    if len(steps) != 2:
        return None
    features = _features(steps[0])
    head = _sigmoid_svm(steps[1]) or _binary_logreg(steps[1])
    if features is None or head is None:
        return None
    return lambda texts: head(features(list(texts)))
