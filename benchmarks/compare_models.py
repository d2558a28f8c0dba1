"""Model selection by cross-validation on the training split only.

Compares feature sets (jieba word n-grams, character n-grams, their union) and classifiers
(logistic regression, calibrated linear SVM, SGD, complement naive Bayes) by stratified 5-fold
macro-F1 on data/train.csv. The test split and the real labelled texts are not used here.

    python benchmarks/compare_models.py [--train data/train.csv] [--folds 5] [--out benchmarks/results/models.csv]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import pandas as pd

from rootcause.data import read_labelled
from rootcause.pipeline import ModelParams
from rootcause.training import cross_validate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", default="data/train.csv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--features", nargs="+", default=["words", "chars", "both"])
    parser.add_argument("--classifiers", nargs="+", default=["logreg", "svm", "sgd", "nb"])
    parser.add_argument("--C", nargs="+", type=float, default=[1.0, 10.0])
    parser.add_argument("--calibration", nargs="+", default=["none"], choices=["none", "sigmoid", "isotonic"])
    parser.add_argument("--max-df", nargs="+", type=float, default=[1.0],
                        help="drop terms found in more than this share of texts (1.0 keeps all)")
    parser.add_argument("--char-ngrams", nargs="+", default=["1-3"], help="character n-gram ranges, e.g. 1-3 2-4")
    parser.add_argument("--group-by", metavar="COLUMN",
                        help="hold out whole groups per fold (e.g. source: the writer), to measure transfer to "
                             "texts from an unseen source")
    parser.add_argument("--out", default="benchmarks/results/models.csv")
    args = parser.parse_args()

    train = read_labelled(args.train)
    rows = []
    grid = itertools.product(args.features, args.classifiers, args.C, args.calibration, args.char_ngrams, args.max_df)
    for features, classifier, c, calibration, char_ngrams, max_df in grid:
        low, high = map(int, char_ngrams.split("-"))
        params = ModelParams(features=features, classifier=classifier, C=c, calibration=calibration,
                             char_ngrams=(low, high), max_df=max_df)
        started = time.perf_counter()
        groups = train[args.group_by] if args.group_by else None
        result, _ = cross_validate(train["text"], train["label"], params, args.folds, n_jobs=-1, groups=groups)
        row = {"features": features, "classifier": classifier, "C": c, "calibration": calibration,
               "char_ngrams": char_ngrams, "max_df": max_df, "macro_f1": round(result.macro_f1, 4),
               "accuracy": round(result.accuracy, 4), "ece": round(result.ece or 0, 4),
               **{f"f1_{k}": round(v["f1"], 4) for k, v in result.per_class.items()},
               "seconds": round(time.perf_counter() - started, 1)}
        rows.append(row)
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    table = pd.DataFrame(rows).sort_values("macro_f1", ascending=False)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print("\n" + table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
