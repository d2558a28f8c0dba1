"""``rootcause classify``: the root cause of complaint texts (or of a complaint log)."""

from __future__ import annotations

import argparse
import json
import sys

from rootcause.classifier import Prediction, load_classifier

HELP = "classify complaint texts given on the command line (or read from stdin with -)"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("texts", nargs="+", metavar="TEXT",
                        help="complaint text(s) to classify, e.g. \"柜员一直在玩手机，让我等了半小时\"")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")
    parser.add_argument("--rules", metavar="FILE", help="rules file (TOML) for remedies and escalation")
    parser.add_argument("--threshold", type=float, metavar="P",
                        help="confidence below which a prediction needs review (default: the model's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per text")


def format_prediction(p: Prediction) -> str:
    """A human-readable block for one prediction."""
    probs = "  ".join(f"{label} {value:.3f}" for label, value in p.probabilities.items())
    lines = [
        f"root cause: {p.label} ({p.label_zh})   probability {p.confidence:.3f}"
        + ("   [needs review]" if p.needs_review else ""),
        f"probabilities: {probs}",
        "remedies:",
        *(f"  {i}. {r.zh} ({r.en}) [{r.rule_id}]" for i, r in enumerate(p.remedies, 1)),
        f"escalation: {'; '.join(p.escalation) if p.escalation else 'none'}",
    ]
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    texts = [line for line in sys.stdin.read().splitlines() if line.strip()] if args.texts == ["-"] else args.texts
    classifier = load_classifier(args.model, rules=args.rules, review_threshold=args.threshold)
    predictions = classifier.predict(texts)
    for i, (text, p) in enumerate(zip(texts, predictions)):
        if args.json:
            print(json.dumps(p.to_dict(), ensure_ascii=False))
        else:
            print(("\n" if i else "") + format_prediction(p))
    return 0
