"""Training: fit the pipeline, cross-validate, score on the frozen test split, store, gate."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from rootcause.classifier import Classifier
from rootcause.data import fingerprint, label_counts
from rootcause.errors import RootCauseError
from rootcause.evaluation import Evaluation, coverage_at, evaluate_predictions, review_threshold
from rootcause.labels import LABELS
from rootcause.pipeline import ModelParams, build_pipeline
from rootcause.calibration import apply_temperature, fit_temperature
from rootcause.card import model_card
from rootcause.scope import fit_scope, measure_scope
from rootcause.store import ModelInfo, current_version, load_model, new_version_name, save_model
from rootcause.text import prepare_all

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainResult:
    """A stored version and whether it became current."""

    info: ModelInfo
    promoted: bool
    reason: str
    test: Evaluation | None
    cv: Evaluation | None


def fit(texts: pd.Series, labels: pd.Series, params: ModelParams | None = None) -> Pipeline:
    """Fit a fresh pipeline on texts and labels."""
    missing = [label for label in LABELS if label not in set(labels)]
    if missing:
        raise RootCauseError(f"the training data has no example of {', '.join(missing)}; every label needs examples")
    return build_pipeline(params).fit(list(texts), list(labels))


def cross_validate(texts: pd.Series, labels: pd.Series, params: ModelParams | None = None,
                   folds: int = 5, n_jobs: int | None = None,
                   groups: pd.Series | None = None) -> tuple[Evaluation, np.ndarray]:
    """Out-of-fold evaluation on the training data; also returns the out-of-fold probabilities.

    With ``groups`` (e.g. the writer of each text) every fold holds out whole groups, which
    measures how the model does on texts from a source it has never seen.
    """
    params = params or ModelParams()
    if groups is not None:
        splits = list(GroupKFold(n_splits=min(folds, groups.nunique())).split(list(texts), list(labels), list(groups)))
    else:
        smallest = int(labels.value_counts().min())
        splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=params.seed)
        splits = list(splitter.split(list(texts), list(labels)))
    proba = cross_val_predict(build_pipeline(params), list(texts), list(labels), cv=splits,
                              method="predict_proba", n_jobs=n_jobs)
    classes = sorted(set(labels))
    proba = proba[:, [classes.index(label) for label in LABELS]]
    predicted = [LABELS[i] for i in proba.argmax(axis=1)]
    return evaluate_predictions(list(labels), predicted, proba), proba


SEARCH_GRID: dict[str, list] = {"features": ["chars", "both"], "C": [1.0, 3.0, 10.0, 30.0]}
"""The small grid ``rootcause train --search`` explores (by cross-validation on the training split)."""


def search(texts: pd.Series, labels: pd.Series, base: ModelParams, grid: dict[str, list] | None = None,
           folds: int = 5, n_jobs: int | None = None) -> tuple[ModelParams, list[dict]]:
    """Cross-validate every combination of ``grid`` over ``base``; return the best by macro-F1
    (ties: lower calibration error) and the table of all results. Reproducible with ``base.seed``."""
    import itertools
    from dataclasses import replace

    grid = grid or SEARCH_GRID
    results = []
    for values in itertools.product(*grid.values()):
        params = replace(base, **dict(zip(grid, values)))
        evaluation, _ = cross_validate(texts, labels, params, folds, n_jobs)
        results.append({**dict(zip(grid, values)), "macro_f1": round(evaluation.macro_f1, 4),
                        "ece": round(evaluation.ece or 0.0, 4)})
        log.info("search %s: macro-F1 %.4f", dict(zip(grid, values)), evaluation.macro_f1)
    best = max(results, key=lambda r: (r["macro_f1"], -r["ece"]))
    return replace(base, **{k: best[k] for k in grid}), results


def score(pipeline: Pipeline, texts: pd.Series, labels: pd.Series, *, with_proba: bool = False,
          temperature: float = 1.0):
    """Evaluate a fitted pipeline on labelled texts (and return its probabilities with ``with_proba``)."""
    classifier = Classifier(pipeline, temperature=temperature)
    proba = classifier.predict_proba(list(texts))
    result = evaluate_predictions(list(labels), [LABELS[i] for i in proba.argmax(axis=1)], proba)
    return (result, proba) if with_proba else result


def train_and_store(train: pd.DataFrame, test: pd.DataFrame | None, models_dir: Path | str, *,
                    params: ModelParams | None = None, cv_folds: int = 5, n_jobs: int | None = None,
                    tolerance: float = 0.01, force: bool = False, extra: dict | None = None,
                    out_of_scope: list[str] | None = None, real: pd.DataFrame | None = None,
                    real_out_of_scope: list[str] | None = None,
                    real_dev: tuple[list[str], list[str]] | None = None) -> TrainResult:
    """Fit on ``train``, measure on ``test`` and by cross-validation, store a new version.

    With ``out_of_scope`` texts, an out-of-scope detector is trained beside the model; ``real_dev``
    (real failures, real non-failures of the dev set) chooses its threshold. ``real`` (labelled real
    texts of the test set) and ``real_out_of_scope`` (its non-failures) are only measured and
    reported in the manifest and model card, never trained on or used to choose anything. The new version becomes current when the store has none, when its macro-F1 on ``test`` is
    not worse than the current version's (measured now, on the same rows) by more than
    ``tolerance``, or when ``force`` is set (recorded in the manifest).
    """
    params = params or ModelParams()
    cv, threshold, temperature = None, None, 1.0
    if cv_folds >= 2:
        cv, oof = cross_validate(train["text"], train["label"], params, cv_folds, n_jobs)
        temperature = fit_temperature(oof, list(train["label"]))
        threshold = review_threshold(list(train["label"]), apply_temperature(oof, temperature))
    pipeline = fit(train["text"], train["label"], params)
    test_eval, test_coverage = None, None
    if test is not None and len(test):
        test_eval, test_proba = score(pipeline, test["text"], test["label"], with_proba=True, temperature=temperature)
        if threshold is not None:
            test_coverage = coverage_at(list(test["label"]), test_proba, threshold)
    scope, scope_info = None, None
    if out_of_scope:
        dev = (prepare_all(real_dev[0]), prepare_all(real_dev[1])) if real_dev else None
        scope, scope_info = fit_scope(prepare_all(train["text"]), prepare_all(out_of_scope), params.seed, real_dev=dev)
    real_eval = (score(pipeline, real["text"], real["label"], temperature=temperature)
                 if real is not None and len(real) else None)
    if scope_info is not None and real_eval is not None and real_out_of_scope:
        scope_info["real_test"] = measure_scope(scope, scope_info["threshold"], prepare_all(real["text"]),
                                                prepare_all(real_out_of_scope))
    promoted, reason = _gate(models_dir, test, test_eval, tolerance, force)
    manifest = {
        "labels": list(LABELS),
        "params": params.to_dict(),
        "data": {
            "train": {"rows": len(train), "per_label": label_counts(train["label"]),
                      "fingerprint": fingerprint(train["text"], train["label"])},
            **({"test": {"rows": len(test), "per_label": label_counts(test["label"]),
                         "fingerprint": fingerprint(test["text"], test["label"])}} if test is not None else {}),
        },
        **({"review_threshold": threshold} if threshold is not None else {}),
        "temperature": temperature,
        "metrics": {
            **({"test": test_eval.to_dict()} if test_eval else {}),
            **({"test_review": test_coverage} if test_coverage else {}),
            **({"cv": {**cv.to_dict(), "folds": cv_folds}} if cv else {}),
            **({"real": real_eval.to_dict()} if real_eval else {}),
        },
        **({"scope": scope_info} if scope_info else {}),
        "promotion": {"promoted": promoted, "reason": reason, "forced": bool(force)},
        **(extra or {}),
    }
    manifest["version"] = new_version_name()
    info = save_model(pipeline, manifest, models_dir, make_current=promoted, scope=scope,
                      card=model_card(manifest))
    return TrainResult(info, promoted, reason, test_eval, cv)


def _gate(models_dir: Path | str, test: pd.DataFrame | None, new: Evaluation | None,
          tolerance: float, force: bool) -> tuple[bool, str]:
    if force:
        return True, "promoted by --force"
    version = current_version(models_dir)
    if version is None:
        return True, "first model in the store"
    if new is None or test is None:
        return False, "no test split to compare with the current model; use --force to promote anyway"
    try:
        current, _ = load_model(Path(models_dir) / version)
    except RootCauseError as exc:
        return True, f"the current version {version} cannot be loaded ({exc}); replacing it"
    old = score(current, test["text"], test["label"])
    if new.macro_f1 + tolerance < old.macro_f1:
        return False, (f"macro-F1 on the test split {new.macro_f1:.4f} is worse than the current version "
                       f"{version}'s {old.macro_f1:.4f} by more than {tolerance}; kept but not promoted "
                       "(use --force to promote anyway)")
    return True, f"macro-F1 on the test split {new.macro_f1:.4f} vs current {version}'s {old.macro_f1:.4f}"
