"""``rootcause evaluate``: accuracy, macro-F1, per-class figures and confusion on labelled data."""

from __future__ import annotations

import argparse
import json

from rootcause.classifier import load_classifier
from rootcause.data import DATA_DIR, TEST_FILE, read_labelled
from rootcause.evaluation import Evaluation, evaluate_predictions
from rootcause.labels import LABELS

HELP = "measure a model on a labelled file (columns text,label; default data/test.csv)"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="?", default=str(DATA_DIR / TEST_FILE), metavar="DATA",
                        help="labelled CSV/TSV/XLSX/JSONL with columns text,label (default: data/test.csv)")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def evaluate_file(path: str, model: str | None = None) -> Evaluation:
    """Score a model on a labelled file."""
    df = read_labelled(path)
    classifier = load_classifier(model)
    proba = classifier.predict_proba(df["text"].tolist())
    return evaluate_predictions(df["label"].tolist(), [LABELS[i] for i in proba.argmax(axis=1)], proba)


def main(args: argparse.Namespace) -> int:
    result = evaluate_file(args.data, args.model)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.format())
    return 0
