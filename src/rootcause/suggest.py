"""Active learning: which unlabelled complaints would teach the model the most if labelled next."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

import numpy as np
import pandas as pd

from rootcause.batch import check_row
from rootcause.classifier import Classifier
from rootcause.labels import LABELS


def novelty(classifier: Classifier, prepared: list[str]) -> np.ndarray:
    """Share of each text's terms (words or character n-grams, as the model uses them) that the
    model's vocabulary has never seen (0 = all known, 1 = all new)."""
    vectorizers = [v for _, v in classifier.pipeline.named_steps["features"].transformer_list]
    out = np.zeros(len(prepared))
    for vectorizer in vectorizers:
        analyse, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
        for i, text in enumerate(prepared):
            terms = analyse(text)
            out[i] += (sum(t not in vocabulary for t in terms) / len(terms) if terms else 1.0) / len(vectorizers)
    return out


def uncertainty(proba: np.ndarray) -> np.ndarray:
    """1 minus the margin between the two most likely labels (1 = a coin toss)."""
    top2 = np.sort(proba, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def suggest(classifier: Classifier, frames: Iterable[pd.DataFrame], text_col: str, n: int,
            weight_novelty: float = 0.5) -> pd.DataFrame:
    """The ``n`` rows with the highest mix of uncertainty and novelty, most useful first.

    Scores ``(1 - w) * uncertainty + w * novelty``; exact repeats (after normalisation) are skipped.
    """
    best: list[tuple[float, int, dict]] = []
    seen: set[str] = set()
    position = 0
    for frame in frames:
        rows = [check_row(v) for v in frame[text_col].tolist()]
        keep = [i for i, r in enumerate(rows) if r.prepared is not None and r.prepared not in seen]
        prepared = [rows[i].prepared for i in keep]
        if prepared:
            proba = classifier.predict_proba_prepared(prepared)
            scores = (1 - weight_novelty) * uncertainty(proba) + weight_novelty * novelty(classifier, prepared)
            for j, i in enumerate(keep):
                seen.add(prepared[j])
                record = {**frame.iloc[i].to_dict(), "predicted": LABELS[int(proba[j].argmax())],
                          "confidence": round(float(proba[j].max()), 4), "score": round(float(scores[j]), 4)}
                item = (float(scores[j]), -(position + i), record)
                if len(best) < n:
                    heapq.heappush(best, item)
                else:
                    heapq.heappushpop(best, item)
        position += len(frame)
    ranked = [record for _, _, record in sorted(best, key=lambda x: (-x[0], -x[1]))]
    out = pd.DataFrame(ranked)
    if len(out):
        out = out.drop(columns=[c for c in out.columns if c.startswith("__")])
        out["label"] = ""
    return out
