"""``rootcause rules``: validate a rules file, or show which rules fire on a text and why."""

from __future__ import annotations

import argparse

from rootcause.classifier import load_classifier
from rootcause.cli.classify import format_prediction
from rootcause.rules import load_rules

HELP = "check a rules file, or explain which rules fire on a complaint"


def format_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate a rules file (exit code 1 when invalid)")
    check.add_argument("file", nargs="?", help="rules file (TOML); default: the shipped rules")
    explain = sub.add_parser("explain", help="classify a text and show each rule that fires, and why")
    explain.add_argument("text", help="complaint text")
    explain.add_argument("--rules", metavar="FILE", help="rules file (default: the shipped rules)")
    explain.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")


def main(args: argparse.Namespace) -> int:
    if args.rules_command == "check":
        ruleset = load_rules(args.file)
        print(f"{ruleset.source}: {len(ruleset.rules)} rules, valid")
        for rule in ruleset.rules:
            kind = "escalates" if rule.escalate else f"{len(rule.remedies)} remedies"
            print(f"  {rule.priority:>4}  {rule.id:<32} {kind}")
        return 0
    classifier = load_classifier(args.model, rules=args.rules)
    [prediction] = classifier.predict([args.text])
    print(format_prediction(prediction))
    print("rules that fired (in priority order):")
    for rule_id, why in prediction.fired_rules:
        print(f"  {rule_id}: {why}")
    silent = [r.id for r in classifier.rules.rules if r.id not in dict(prediction.fired_rules)]
    print(f"rules that abstained: {', '.join(silent) or 'none'}")
    return 0
