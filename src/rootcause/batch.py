"""Classifying tables of complaints: every row kept, in order, malformed rows flagged."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rootcause.classifier import Classifier
from rootcause.labels import LABELS
from rootcause.text import prepare

MAX_CHARS = 5000
"""Longer texts are truncated to this many characters and flagged."""

STATUS_OK = "ok"
OUTPUT_COLUMNS = ("root_cause", "root_cause_zh", "confidence", *(f"p_{label}" for label in LABELS),
                  "needs_review", "remedies", "escalation", "status")


@dataclass(frozen=True)
class RowText:
    """The text of one row as the model will see it, or why there is none."""

    prepared: str | None
    status: str


def check_row(value: object, max_chars: int = MAX_CHARS) -> RowText:
    """Decide whether a cell can be classified; never raises."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return RowText(None, "empty: no text")
    if not isinstance(value, str):
        return RowText(None, f"not text: {type(value).__name__}")
    if not value.strip():
        return RowText(None, "empty: blank text")
    status = STATUS_OK
    if len(value) > max_chars:
        value = value[:max_chars]
        status = f"truncated: longer than {max_chars} characters"
    try:
        prepared = prepare(value)
    except Exception as exc:  # a row must be flagged, never crash the run
        return RowText(None, f"unreadable: {type(exc).__name__}")
    if not prepared:
        return RowText(None, "empty: no text after cleaning")
    return RowText(prepared, status)


def classify_frame(classifier: Classifier, df: pd.DataFrame, text_col: str = "text",
                   max_chars: int = MAX_CHARS, explain: bool = False) -> pd.DataFrame:
    """Return ``df`` with the prediction columns appended, same rows, same order."""
    if text_col not in df.columns:
        raise KeyError(f"no column {text_col!r}; available columns: {', '.join(map(str, df.columns))}")
    rows = [check_row(v, max_chars) for v in df[text_col].tolist()]
    good = [i for i, r in enumerate(rows) if r.prepared is not None]
    predictions = classifier.predict_prepared([rows[i].prepared for i in good])
    n = len(df)
    out = {
        "root_cause": np.full(n, None, dtype=object),
        "root_cause_zh": np.full(n, None, dtype=object),
        "confidence": np.full(n, np.nan),
        **{f"p_{label}": np.full(n, np.nan) for label in LABELS},
        "needs_review": np.ones(n, dtype=bool),
        "remedies": np.full(n, "", dtype=object),
        "escalation": np.full(n, "", dtype=object),
        "status": np.array([r.status for r in rows], dtype=object),
    }
    for i, p in zip(good, predictions):
        out["root_cause"][i] = p.label
        out["root_cause_zh"][i] = p.label_zh
        out["confidence"][i] = round(p.confidence, 4)
        for label in LABELS:
            out[f"p_{label}"][i] = round(p.probabilities[label], 4)
        out["needs_review"][i] = p.needs_review
        out["remedies"][i] = "；".join(r.zh for r in p.remedies)
        out["escalation"][i] = "；".join(p.escalation)
    result = df.copy()
    for column, values in out.items():
        result[column] = values
    return result
