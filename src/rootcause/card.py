"""The model card written beside every model version (``MODEL_CARD.md``)."""

from __future__ import annotations

from rootcause.labels import LABELS, LABELS_ZH

SELECTION = """Chosen by cross-validation on the training split (whole writers held out) and by macro-F1 on
the real dev set, never on the test split or the real test set: see `benchmarks/compare_models.py` and
its tables in `benchmarks/results/`."""

LIMITS = """- Trained on hand-written narratives (see `data/README.md`); real complaint logs differ in genre
  and in label mix (real logs are mostly `systemic`): expect lower figures on real input than on the
  test split — the "real test set" row above is the honest estimate.
- One label per complaint (the primary cause); complaints with several causes are hard.
- Chinese only (simplified and traditional); other languages get arbitrary labels.
- Texts that describe no failure (praise, questions, spam) are flagged by a separate detector when
  the version has one (`in_scope`, `p_failure`), not by the four-label model.
- Low-confidence predictions (`needs_review`) should go to a person."""


def _row(name: str, metrics: dict | None) -> str:
    if not metrics:
        return f"| {name} | - | - | - | - | - | - | - |"
    f1 = [f"{metrics['per_class'][label]['f1']:.3f}" for label in LABELS]
    return f"| {name} | {metrics['n']} | {metrics['accuracy']:.3f} | {metrics['macro_f1']:.3f} | " + " | ".join(f1) + " |"


def _scope_lines(scope: dict) -> list[str]:
    lines = [f"Out-of-scope detector: threshold {scope.get('threshold')} ({scope.get('threshold_rule', 'out of fold')}).", "",
             "| measured on | AUC | non-failures flagged | failures wrongly flagged |", "|---|---|---|---|"]
    for name, key in (("cross-validation (hand-written)", "cv"), ("real dev set (chose the threshold)", "real_dev"),
                      ("real test set", "real_test")):
        if scope.get(key):
            m = scope[key]
            lines.append(f"| {name} | {m.get('auc')} | {m.get('out_of_scope_recall')} | {m.get('failures_flagged')} |")
    return lines


def model_card(manifest: dict) -> str:
    """Markdown: intended use, labels, data, metrics per class, selection, known limits."""
    params = manifest.get("params", {})
    data = manifest.get("data", {})
    metrics = manifest.get("metrics", {})
    review = metrics.get("test_review", {})
    scope = manifest.get("scope", {})
    lines = [
        f"# Model card: rootcause {manifest.get('version', '')}", "",
        "## Intended use",
        "Label the primary root cause of a Chinese customer-complaint narrative (banks, insurers, brokers,",
        "payment companies; also other service industries) to route complaints, choose service-recovery",
        "remedies and measure where failures come from. Not for decisions about individual customers",
        "without a person reviewing low-confidence predictions.", "",
        "## Labels",
        *(f"- `{label}` ({LABELS_ZH[label]})" for label in LABELS),
        "Definitions: `shared/LABELLING.md`.", "",
        "## Model",
        f"Features `{params.get('features')}` (jieba word n-grams {params.get('word_ngrams')}, character n-grams "
        f"{params.get('char_ngrams')}, TF-IDF), classifier `{params.get('classifier')}` (C={params.get('C')}, "
        f"calibration {params.get('calibration', 'none')}). Personal data is masked before features are built.",
        SELECTION, "",
        "## Data",
        f"Training rows: {data.get('train', {}).get('rows')} ({data.get('train', {}).get('per_label')}); "
        f"test rows: {data.get('test', {}).get('rows', '-')}.", "",
        "## Metrics", "",
        "| split | n | accuracy | macro-F1 | " + " | ".join(f"F1 {label}" for label in LABELS) + " |",
        "|---|---|---|---|" + "---|" * len(LABELS),
        _row("cross-validation (train)", metrics.get("cv")),
        _row("test split (frozen)", metrics.get("test")),
        _row("real test set (measured only)", metrics.get("real")), "",
        f"Expected calibration error on the test split: {metrics.get('test', {}).get('ece', '-')} (probabilities "
        f"sharpened by temperature {manifest.get('temperature', 1.0)}, fitted on out-of-fold training predictions).",
        (f"Review threshold {manifest.get('review_threshold')}: on the test split {review.get('coverage', 0):.0%} "
         f"of complaints are above it, {review.get('precision', 0):.1%} of those correct."
         if review else "No review threshold was computed (no cross-validation)."),
        *(_scope_lines(scope) if scope else ["No out-of-scope detector."]),
        "", "## Known limits", LIMITS, "",
    ]
    return "\n".join(lines)
