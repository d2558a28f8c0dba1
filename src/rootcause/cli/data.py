"""``rootcause data check``: find duplicates, malformed rows and likely label errors."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from rootcause.data import DATA_DIR, TEST_FILE, TRAIN_FILE, read_table
from rootcause.quality import check

HELP = "check labelled data: duplicates (also across splits), malformed rows, likely label errors"


def format_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    c = sub.add_parser("check", help=HELP)
    c.add_argument("--train", default=str(DATA_DIR / TRAIN_FILE), metavar="FILE")
    c.add_argument("--test", default=str(DATA_DIR / TEST_FILE), metavar="FILE", help="'none' to skip")
    c.add_argument("--similarity", type=float, default=0.85, help="near-duplicate threshold (cosine, default 0.85)")
    c.add_argument("--cv", type=int, default=5, metavar="K", help="folds for the label-error check (0 to skip)")
    c.add_argument("--jobs", type=int, default=-1, metavar="N")
    c.add_argument("-o", "--output", metavar="DIR", help="write duplicates.csv, disagreements.csv, malformed.csv here")


def main(args: argparse.Namespace) -> int:
    frames = {"train": read_table(args.train)}
    if args.test.lower() != "none":
        frames["test"] = read_table(args.test)
    report = check(frames, folds=args.cv, threshold=args.similarity, n_jobs=args.jobs)
    print(report.format())
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        if len(report.duplicates):
            print("\nduplicates (first 20):\n" + report.duplicates.head(20).to_string(index=False))
        if len(report.disagreements):
            print("\nlikely label errors (first 20):\n" + report.disagreements.head(20).to_string(index=False))
    if args.output:
        folder = Path(args.output)
        folder.mkdir(parents=True, exist_ok=True)
        report.duplicates.to_csv(folder / "duplicates.csv", index=False)
        report.disagreements.to_csv(folder / "disagreements.csv", index=False)
        report.malformed.to_csv(folder / "malformed.csv", index=False)
        print(f"\nwritten to {folder}")
    return 1 if len(report.malformed) else 0
