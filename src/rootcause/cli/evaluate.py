"""``rootcause evaluate``: accuracy, macro-F1, per-class figures and confusion on labelled data."""

from __future__ import annotations

import argparse
import json

from rootcause.classifier import load_classifier
from rootcause.data import DATA_DIR, TEST_FILE, read_labelled
from rootcause.evaluation import evaluate_predictions
from rootcause.labels import LABELS

HELP = "measure a model on a labelled file (columns text,label; default data/test.csv), or on the real labelled texts"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="?", default=str(DATA_DIR / TEST_FILE), metavar="DATA",
                        help="labelled CSV/TSV/XLSX/JSONL with columns text,label (default: data/test.csv)")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--real", nargs="?", const="test", choices=["test", "dev"], metavar="SET",
                        help="evaluate on the real labelled texts joined from --corpora (ignores DATA): 'test' "
                             "(the default: data/real_labels.csv, never used to choose anything) or 'dev' "
                             "(data/real_dev_labels.csv, used to choose settings)")
    parser.add_argument("--corpora", metavar="DIR", help="the shared corpora folder (default: ../shared/corpora)")
    parser.add_argument("--report", metavar="DIR", help="also write a report folder (plots, per-class figures, "
                        "most confused examples, report.md)")


def _report_scope(classifier, failures: list[str], non_failures: list[str]) -> None:
    """How well the out-of-scope detector separates the real failures from the real non-failures."""
    from rootcause.scope import measure_scope
    from rootcause.text import prepare_all

    metrics = measure_scope(classifier.scope, classifier.scope_threshold, prepare_all(failures), prepare_all(non_failures))
    print(f"out-of-scope detection on real texts ({len(failures)} failures, {len(non_failures)} non-failures): "
          + ", ".join(f"{k} {v}" for k, v in metrics.items()))


def main(args: argparse.Namespace) -> int:
    if args.real:
        from rootcause.realtexts import load_real_set

        df, non_failures = load_real_set(args.real, args.corpora)
        source = f"the real labelled texts ({args.real} set)"
    else:
        df, source, non_failures = read_labelled(args.data), args.data, []
    classifier = load_classifier(args.model)
    proba = classifier.predict_proba(df["text"].tolist())
    result = evaluate_predictions(df["label"].tolist(), [LABELS[i] for i in proba.argmax(axis=1)], proba)
    if args.real and not args.json:
        print(f"real labelled texts, {args.real} set: {', '.join(f'{c} {n}' for c, n in df['corpus'].value_counts().items())}")
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.format())
    if args.real and not args.json:
        for corpus, part in df.groupby("corpus"):
            sub = evaluate_predictions(part["label"].tolist(), [LABELS[i] for i in proba[part.index].argmax(axis=1)])
            print(f"  {corpus}: n={sub.n} accuracy {sub.accuracy:.3f} macro-F1 {sub.macro_f1:.3f}")
    if args.real and classifier.scope is not None and non_failures and not args.json:
        _report_scope(classifier, df["text"].tolist(), non_failures)
    if args.report:
        from rootcause.report import write_report

        page = write_report(args.report, result, df["text"].tolist(), df["label"].tolist(), proba,
                            title=f"rootcause evaluation of model {classifier.version} on {source}")
        print(f"report written to {page}")
    return 0
