"""Which terms pushed a prediction to its label: linear contributions of the masked text's features."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import Pipeline

from rootcause.text import from_char_view


def linear_weights(classifier) -> np.ndarray:
    """Per-class feature weights (classes x features) of a linear or naive Bayes classifier."""
    if isinstance(classifier, CalibratedClassifierCV):
        return np.mean([linear_weights(c.estimator) for c in classifier.calibrated_classifiers_], axis=0)
    if hasattr(classifier, "coef_"):
        return np.asarray(classifier.coef_)
    if hasattr(classifier, "feature_log_prob_"):
        return np.asarray(classifier.feature_log_prob_)
    raise TypeError(f"cannot explain a {type(classifier).__name__}: it has no linear weights")


class Explainer:
    """Explains the predictions of one fitted pipeline (features + linear classifier)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.features = pipeline.named_steps["features"]
        self.classes = list(pipeline.classes_)
        weights = linear_weights(pipeline.named_steps["classifier"])
        self.weights = weights - weights.mean(axis=0, keepdims=True)  # what favours one class over the others
        self.names = np.array([self._readable(n) for n in self.features.get_feature_names_out()], dtype=object)

    @staticmethod
    def _readable(name: str) -> str:
        kind, _, term = name.partition("__")
        return from_char_view(term) if kind == "chars" else term

    def explain(self, prepared: Sequence[str], labels: Sequence[str], top: int = 5) -> list[tuple[tuple[str, float], ...]]:
        """For each prepared text, the ``top`` terms that pushed it towards its label, strongest first."""
        matrix = self.features.transform(list(prepared)).tocsr()
        out = []
        for i, label in enumerate(labels):
            row = matrix.getrow(i)
            contributions = row.data * self.weights[self.classes.index(label), row.indices]
            order = np.argsort(-contributions)
            seen: list[tuple[str, float]] = []
            for j in order:
                if contributions[j] <= 0 or len(seen) >= top:
                    break
                term = self.names[row.indices[j]].strip()
                if term and all(term != t for t, _ in seen):
                    seen.append((term, round(float(contributions[j]), 4)))
            out.append(tuple(seen))
        return out
