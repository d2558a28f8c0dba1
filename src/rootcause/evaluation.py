"""Measuring a model on labelled data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from rootcause.labels import LABELS


@dataclass(frozen=True)
class Evaluation:
    """Accuracy, macro-F1, per-class figures and the confusion matrix (rows: true, cols: predicted)."""

    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]
    confusion: list[list[int]]
    ece: float | None = None

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_class": {k: {m: round(v, 4) for m, v in d.items()} for k, d in self.per_class.items()},
            "confusion": self.confusion,
            **({"ece": round(self.ece, 4)} if self.ece is not None else {}),
        }

    def format(self) -> str:
        """A plain-text report for the terminal."""
        lines = [f"rows: {self.n}   accuracy: {self.accuracy:.3f}   macro-F1: {self.macro_f1:.3f}"
                 + (f"   ECE: {self.ece:.3f}" if self.ece is not None else ""), "",
                 f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
        for label in LABELS:
            m = self.per_class[label]
            lines.append(f"{label:<10}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{int(m['support']):>10}")
        lines += ["", "confusion (rows: true, columns: predicted)", " " * 10 + "".join(f"{l[:9]:>10}" for l in LABELS)]
        for label, row in zip(LABELS, self.confusion):
            lines.append(f"{label:<10}" + "".join(f"{v:>10}" for v in row))
        return "\n".join(lines)


def reliability(y_true: Sequence[str], proba: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Per equal-width bin of top-label confidence: rows, mean confidence, accuracy."""
    proba = np.asarray(proba)
    confidence = proba.max(axis=1) if len(proba) else np.zeros(0)
    correct = np.array([LABELS[i] for i in proba.argmax(axis=1)]) == np.asarray(y_true) if len(proba) else np.zeros(0)
    index = np.clip((confidence * bins).astype(int), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = index == b
        rows.append({"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "rows": int(mask.sum()),
                     "confidence": float(confidence[mask].mean()) if mask.any() else np.nan,
                     "accuracy": float(correct[mask].mean()) if mask.any() else np.nan})
    return pd.DataFrame(rows)


def expected_calibration_error(y_true: Sequence[str], proba: np.ndarray, bins: int = 10) -> float:
    """ECE of the top-label confidence over the :func:`reliability` bins."""
    table = reliability(y_true, proba, bins).dropna()
    total = table["rows"].sum()
    if total == 0:
        return 0.0
    return float((table["rows"] / total * (table["accuracy"] - table["confidence"]).abs()).sum())


def evaluate_predictions(y_true: Sequence[str], y_pred: Sequence[str], proba: np.ndarray | None = None) -> Evaluation:
    """Score predicted labels against true labels (probabilities in LABELS order give the ECE)."""
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(LABELS), zero_division=0
    )
    per_class = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": float(s)}
        for label, p, r, f, s in zip(LABELS, precision, recall, f1, support)
    }
    return Evaluation(
        n=len(y_true),
        accuracy=float(accuracy_score(y_true, y_pred)) if len(y_true) else 0.0,
        macro_f1=float(f1_score(y_true, y_pred, labels=list(LABELS), average="macro", zero_division=0)),
        per_class=per_class,
        confusion=confusion_matrix(y_true, y_pred, labels=list(LABELS)).tolist(),
        ece=expected_calibration_error(y_true, proba) if proba is not None else None,
    )


def review_threshold(y_true: Sequence[str], proba: np.ndarray, target_precision: float = 0.95) -> float:
    """The lowest confidence above which predictions are at least ``target_precision`` precise.

    Computed on out-of-fold predictions of the training split (never the test split). Returns 1.0
    when no threshold reaches the target.
    """
    confidence = proba.max(axis=1)
    correct = np.array([LABELS[i] for i in proba.argmax(axis=1)]) == np.asarray(y_true)
    order = np.argsort(-confidence)
    precision = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(precision >= target_precision)[0]
    if len(ok) == 0:
        return 1.0
    # the largest prefix (lowest threshold) whose precision still meets the target, with at least 20 rows
    last = ok[-1]
    return float(round(confidence[order][last], 4)) if last >= 19 else 1.0


def coverage_at(y_true: Sequence[str], proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Share of rows at or above ``threshold`` and their accuracy (precision)."""
    confidence = proba.max(axis=1)
    keep = confidence >= threshold
    correct = np.array([LABELS[i] for i in proba.argmax(axis=1)]) == np.asarray(y_true)
    return {"threshold": threshold, "coverage": round(float(keep.mean()), 4) if len(keep) else 0.0,
            "precision": round(float(correct[keep].mean()), 4) if keep.any() else 0.0}
