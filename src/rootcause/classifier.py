"""The in-process API: load a model once, classify texts, attach remedies."""

from __future__ import annotations

from collections.abc import Sequence
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rootcause.calibration import apply_temperature
from rootcause.explain import Explainer
from rootcause.fastpath import compile_proba
from rootcause.labels import LABELS, LABELS_ZH
from rootcause.rules import Remedy, RuleSet, load_rules
from rootcause.scope import SCOPE_THRESHOLD, failure_scores
from rootcause.store import ModelInfo, load_model, load_scope
from rootcause.text import prepare

DEFAULT_REVIEW_THRESHOLD = 0.6


@dataclass(frozen=True)
class Prediction:
    """The root cause of one complaint, with what to do about it."""

    label: str
    label_zh: str
    confidence: float
    probabilities: dict[str, float]
    needs_review: bool
    in_scope: bool = True
    failure_score: float = 1.0
    remedies: tuple[Remedy, ...] = ()
    escalation: tuple[str, ...] = ()
    fired_rules: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    explanation: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (remedies as ``{zh, en, rule_id}``; explanation when asked for)."""
        extra = {"explanation": [{"term": t, "weight": w} for t, w in self.explanation]} if self.explanation else {}
        return {**extra, 
            "label": self.label,
            "label_zh": self.label_zh,
            "confidence": self.confidence,
            "probabilities": self.probabilities,
            "needs_review": self.needs_review,
            "in_scope": self.in_scope,
            "failure_score": self.failure_score,
            "remedies": [{"zh": r.zh, "en": r.en, "rule_id": r.rule_id} for r in self.remedies],
            "escalation": list(self.escalation),
        }


class Classifier:
    """A loaded model plus rules. Thread-safe: predicting shares no mutable state."""

    def __init__(self, pipeline: Any, info: ModelInfo | None = None, rules: RuleSet | None = None,
                 review_threshold: float | None = None, scope: Any = None,
                 scope_threshold: float | None = None, temperature: float | None = None) -> None:
        self.pipeline = pipeline
        self.temperature = float(temperature if temperature is not None
                                 else (info.manifest.get("temperature", 1.0) if info else 1.0))
        self.info = info
        self.scope = scope
        self._fast_scope = compile_proba(scope) if scope is not None else None
        manifest_scope = (info.manifest.get("scope", {}) if info else {}).get("threshold", SCOPE_THRESHOLD)
        self.scope_threshold = float(scope_threshold if scope_threshold is not None else manifest_scope)
        self.rules = rules if rules is not None else load_rules()
        manifest_threshold = (info.manifest.get("review_threshold") if info else None)
        self.review_threshold = float(
            review_threshold if review_threshold is not None else manifest_threshold or DEFAULT_REVIEW_THRESHOLD
        )
        classes = list(pipeline.classes_)
        missing = [label for label in LABELS if label not in classes]
        if missing:
            raise ValueError(f"the model knows no label(s) {', '.join(missing)}; retrain it on all four labels")
        self._order = [classes.index(label) for label in LABELS]
        self._fast = compile_proba(pipeline)

    @property
    def version(self) -> str:
        return self.info.version if self.info else "unsaved"

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in :data:`LABELS` order."""
        return self.predict_proba_prepared([prepare(t) for t in texts])

    def predict_proba_prepared(self, prepared: Sequence[str]) -> np.ndarray:
        """Probabilities (in :data:`LABELS` order) for texts already prepared."""
        if len(prepared) == 0:
            return np.zeros((0, len(LABELS)))
        if self._fast is not None:
            proba = self._fast(prepared)[:, self._order]
        else:
            after_prepare = self.pipeline[1:] if "prepare" in self.pipeline.named_steps else self.pipeline
            proba = after_prepare.predict_proba(list(prepared))[:, self._order]
        return apply_temperature(proba, self.temperature)

    def predict(self, texts: Sequence[str] | str, *, explain: bool = False) -> list[Prediction]:
        """Classify complaint texts; with ``explain`` each prediction lists the terms behind its label.

        Raises
        ------
        ValueError
            If a text is empty or whitespace only, or not a string.
        """
        if isinstance(texts, str):
            raise TypeError("predict takes a list of texts; wrap a single text as [text]")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise ValueError(f"text #{i} is {type(text).__name__}, not a string")
            if not text.strip():
                raise ValueError(f"text #{i} is empty or whitespace only; there is nothing to classify")
        return self.predict_prepared([prepare(t) for t in texts], explain=explain)

    def predict_prepared(self, prepared: Sequence[str], *, explain: bool = False) -> list[Prediction]:
        """Classify texts already passed through :func:`rootcause.text.prepare`."""
        if len(prepared) == 0:
            return []
        proba = self.predict_proba_prepared(prepared)
        failure = self._fast_scope(prepared)[:, 1] if self._fast_scope else failure_scores(self.scope, prepared)
        predictions = [self._prediction(row, text, f) for row, text, f in zip(proba, prepared, failure)]
        if explain:
            reasons = self.explainer.explain(prepared, [p.label for p in predictions])
            predictions = [replace(p, explanation=r) for p, r in zip(predictions, reasons)]
        return predictions

    @functools.cached_property
    def explainer(self) -> Explainer:
        """Built on first use (it holds the feature names)."""
        return Explainer(self.pipeline)

    def _prediction(self, row: np.ndarray, text: str, failure: float) -> Prediction:
        best = int(np.argmax(row))
        label = LABELS[best]
        confidence = float(row[best])
        outcome = self.rules.apply(label, confidence, text)
        return Prediction(
            label=label,
            label_zh=LABELS_ZH[label],
            confidence=confidence,
            probabilities={name: float(p) for name, p in zip(LABELS, row)},
            needs_review=bool(confidence < self.review_threshold or failure < self.scope_threshold),
            in_scope=bool(failure >= self.scope_threshold),
            failure_score=round(float(failure), 4),
            remedies=outcome.remedies,
            escalation=outcome.escalation,
            fired_rules=outcome.fired,
        )

    def predict_frame(self, df: pd.DataFrame, text_col: str = "text") -> pd.DataFrame:
        """Return ``df`` with prediction columns appended (rows that cannot be classified are flagged)."""
        from rootcause.batch import classify_frame

        return classify_frame(self, df, text_col=text_col)


def load_classifier(path: Path | str | None = None, *, rules: Path | str | RuleSet | None = None,
                    review_threshold: float | None = None, scope_threshold: float | None = None) -> Classifier:
    """Load a verified model (the default model when ``path`` is ``None``) and its rules.

    ``review_threshold`` and ``scope_threshold`` override the model's own (a text whose failure score
    is under ``scope_threshold`` is out of scope; 0 never flags one).

    >>> clf = load_classifier()                                  # doctest: +SKIP
    >>> clf.predict(["柜员一直在玩手机，让我等了半小时"])[0].label  # doctest: +SKIP
    'staff'
    """
    pipeline, info = load_model(path)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    return Classifier(pipeline, info, ruleset, review_threshold, scope=load_scope(info), scope_threshold=scope_threshold)
