"""Out-of-scope detection: does a text describe a service failure at all?

Complaint logs also hold praise, questions, requests, spam and bare insults. A separate binary
model scores how likely a text is to describe a service failure; below its threshold a text is
flagged instead of being forced into one of the four root causes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from rootcause.text import to_char_view

SCOPE_THRESHOLD = 0.5
"""Texts whose failure score is below this are out of scope (the manifest may set another)."""

MAX_FAILURES_FLAGGED = 0.0025
"""Without real texts, the threshold is set so that at most this share of the training failures
(out of fold) is flagged. Hand-written non-failures are far easier to tell apart than real ones,
so this rule flags many more real failures (about 11% on the real dev set)."""

MAX_REAL_FAILURES_FLAGGED = 0.05
"""With the real dev set, the threshold is set so that at most this share of its failures is flagged:
losing a real complaint's label costs more than letting a non-failure through."""


def build_scope_pipeline(seed: int = 0) -> Pipeline:
    """Prepared text -> character 1-3-gram TF-IDF -> balanced logistic regression (1 = a failure)."""
    return Pipeline([
        ("chars", TfidfVectorizer(analyzer="char", preprocessor=to_char_view, lowercase=False, ngram_range=(1, 3),
                                  min_df=2, sublinear_tf=True, dtype=np.float32)),
        ("classifier", LogisticRegression(C=16.0, class_weight="balanced", max_iter=5000, random_state=seed)),
    ])


def fit_scope(in_scope: Sequence[str], out_of_scope: Sequence[str], seed: int = 0,
              real_dev: tuple[Sequence[str], Sequence[str]] | None = None) -> tuple[Pipeline, dict]:
    """Fit the detector on prepared texts; returns it with cross-validated figures.

    ``real_dev`` (prepared real failures, prepared real non-failures) chooses the threshold: at most
    ``MAX_REAL_FAILURES_FLAGGED`` of those failures flagged. Without it, the out-of-fold rule applies.
    """
    texts = list(in_scope) + list(out_of_scope)
    y = np.array([1] * len(in_scope) + [0] * len(out_of_scope))
    splitter = StratifiedKFold(5, shuffle=True, random_state=seed)
    oof = cross_val_predict(build_scope_pipeline(seed), texts, y, cv=splitter, method="predict_proba")[:, 1]
    detector = build_scope_pipeline(seed).fit(texts, y)
    info: dict = {"rows": {"in": len(in_scope), "out": len(out_of_scope)}}
    if real_dev is not None and len(real_dev[0]):
        failures, others = real_dev
        threshold = round(float(np.quantile(failure_scores(detector, failures), MAX_REAL_FAILURES_FLAGGED)), 4)
        info["real_dev"] = measure_scope(detector, threshold, failures, others)
        info["threshold_rule"] = (f"at most {MAX_REAL_FAILURES_FLAGGED:.0%} of the {len(failures)} real dev "
                                  "failures flagged")
    else:
        threshold = round(float(min(SCOPE_THRESHOLD, np.quantile(oof[y == 1], MAX_FAILURES_FLAGGED))), 4)
        info["threshold_rule"] = f"at most {MAX_FAILURES_FLAGGED:.2%} of the training failures flagged (out of fold)"
    info["cv"] = scope_metrics(y, oof, threshold)
    info["threshold"] = threshold
    return detector, info


def scope_metrics(y: np.ndarray, score: np.ndarray, threshold: float) -> dict:
    """How well ``score >= threshold`` separates failures (1) from other texts (0)."""
    from sklearn.metrics import roc_auc_score

    flagged = score < threshold
    out = y == 0
    return {
        "auc": round(float(roc_auc_score(y, score)), 4) if len(set(y)) == 2 else None,
        "threshold": threshold,
        "out_of_scope_recall": round(float(flagged[out].mean()), 4) if out.any() else None,
        "out_of_scope_precision": round(float(out[flagged].mean()), 4) if flagged.any() else None,
        "failures_flagged": round(float(flagged[~out].mean()), 4) if (~out).any() else None,
    }


def measure_scope(scope: Pipeline | None, threshold: float, failures: Sequence[str],
                  non_failures: Sequence[str]) -> dict:
    """:func:`scope_metrics` of the detector on prepared texts known to be failures and non-failures."""
    truth = np.array([1] * len(failures) + [0] * len(non_failures))
    return scope_metrics(truth, failure_scores(scope, list(failures) + list(non_failures)), threshold)


def failure_scores(scope: Pipeline | None, prepared: Sequence[str]) -> np.ndarray:
    """Probability that each prepared text describes a service failure (1.0 without a detector)."""
    if scope is None or len(prepared) == 0:
        return np.ones(len(prepared))
    return scope.predict_proba(list(prepared))[:, 1]
