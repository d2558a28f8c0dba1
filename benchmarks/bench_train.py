"""Training time on 10,000 narratives without search (target: under a minute on 2 cores).

Distinct texts are needed for an honest vocabulary size: the labelled training split is topped
up with real complaint texts from ../shared/corpora, labelled by the shipped model (the labels
only matter for timing; nothing here is saved to the project).

    python benchmarks/bench_train.py [--rows 10000] [--cv 0]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from rootcause import load_classifier
from rootcause.data import read_labelled
from rootcause.training import train_and_store

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--cv", type=int, default=0, help="cross-validation folds as well (default 0: none)")
    args = parser.parse_args()
    train = read_labelled("data/train.csv")[["text", "label"]]
    extra = pd.concat([
        pd.read_csv(CORPORA / "stc3-helpdesk" / "stc3_first_turn_cn.csv", dtype=str)["text"],
        pd.read_csv(CORPORA / "icbc-app-reviews" / "icbc_app_reviews.csv", dtype=str)["text"],
    ]).dropna()
    extra = extra[extra.str.len() >= 10].drop_duplicates().head(max(0, args.rows - len(train))).tolist()
    labels = [p.label for p in load_classifier().predict(extra)]
    data = pd.concat([train, pd.DataFrame({"text": extra, "label": labels})], ignore_index=True).head(args.rows)
    with tempfile.TemporaryDirectory() as store:
        started = time.perf_counter()
        train_and_store(data, None, store, cv_folds=args.cv, n_jobs=-1)
        seconds = time.perf_counter() - started
    print(f"trained on {len(data)} narratives (cv={args.cv}) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
