"""Temperature scaling: one number, fitted on out-of-fold probabilities, that makes confidences honest.

The calibrated SVM's one-vs-rest sigmoids, normalised, come out under-confident; dividing the log
probabilities by a temperature below 1 sharpens them without changing any predicted label.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar

from rootcause.labels import LABELS


def apply_temperature(proba: np.ndarray, temperature: float) -> np.ndarray:
    """``proba`` with each row's log probabilities divided by ``temperature`` (rows still sum to 1)."""
    if temperature == 1.0 or len(proba) == 0:
        return proba
    logits = np.log(np.clip(proba, 1e-12, 1.0)) / temperature
    scaled = np.exp(logits - logits.max(axis=1, keepdims=True))
    return scaled / scaled.sum(axis=1, keepdims=True)


def fit_temperature(proba: np.ndarray, labels: Sequence[str]) -> float:
    """The temperature in [0.2, 5] that minimises the log loss of ``proba`` (columns in LABELS order)."""
    truth = np.array([LABELS.index(label) for label in labels])
    rows = np.arange(len(truth))

    def log_loss(t: float) -> float:
        return float(-np.mean(np.log(np.clip(apply_temperature(proba, t)[rows, truth], 1e-12, 1.0))))

    return round(float(minimize_scalar(log_loss, bounds=(0.2, 5.0), method="bounded").x), 4)
