"""``rootcause evaluate``: accuracy, macro-F1, per-class figures and confusion on labelled data."""

from __future__ import annotations

import argparse
import json

from rootcause.classifier import load_classifier
from rootcause.data import DATA_DIR, TEST_FILE, read_labelled
from rootcause.evaluation import evaluate_predictions
from rootcause.labels import LABELS

HELP = "measure a model on a labelled file (columns text,label; default data/test.csv)"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="?", default=str(DATA_DIR / TEST_FILE), metavar="DATA",
                        help="labelled CSV/TSV/XLSX/JSONL with columns text,label (default: data/test.csv)")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--report", metavar="DIR", help="also write a report folder (plots, per-class figures, "
                        "most confused examples, report.md)")


def main(args: argparse.Namespace) -> int:
    df = read_labelled(args.data)
    classifier = load_classifier(args.model)
    proba = classifier.predict_proba(df["text"].tolist())
    result = evaluate_predictions(df["label"].tolist(), [LABELS[i] for i in proba.argmax(axis=1)], proba)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.format())
    if args.report:
        from rootcause.report import write_report

        page = write_report(args.report, result, df["text"].tolist(), df["label"].tolist(), proba,
                            title=f"rootcause evaluation of model {classifier.version} on {args.data}")
        print(f"report written to {page}")
    return 0
