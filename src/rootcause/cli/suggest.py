"""``rootcause suggest``: the unlabelled complaints to label next (least sure, least familiar)."""

from __future__ import annotations

import argparse
import sys

from rootcause.classifier import load_classifier
from rootcause.suggest import suggest
from rootcause.tables import format_of, read_chunks

HELP = "pick the unlabelled texts the model is least sure about and least familiar with, ready to label"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="UNLABELLED", help="table of unlabelled complaints (CSV/TSV/JSONL/XLSX/Parquet)")
    parser.add_argument("-n", type=int, default=200, help="how many to pick (default 200)")
    parser.add_argument("-o", "--output", default="-", help="CSV to write (default: stdout)")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--novelty-weight", type=float, default=0.5,
                        help="0 = only uncertainty, 1 = only unfamiliar words (default 0.5)")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")


def main(args: argparse.Namespace) -> int:
    classifier = load_classifier(args.model)
    fmt = format_of(args.input)
    frames = (chunk.frame for chunk in read_chunks(args.input, fmt))
    picked = suggest(classifier, frames, args.text_col, args.n, args.novelty_weight)
    target = sys.stdout if args.output == "-" else args.output
    picked.to_csv(target, index=False, encoding="utf-8" if args.output == "-" else "utf-8-sig")
    if args.output != "-":
        print(f"{len(picked)} rows to label written to {args.output} (fill in the label column)", file=sys.stderr)
    return 0
