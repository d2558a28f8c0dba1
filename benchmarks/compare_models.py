"""Model selection by cross-validation on the training split only.

Compares feature sets (jieba word n-grams, character n-grams, their union) and classifiers
(logistic regression, calibrated linear SVM, SGD, complement naive Bayes) by stratified 5-fold
macro-F1 on data/train.csv. The test split and the real test set are never used here.

With ``--real-dev``, each configuration is also fitted on the whole training split and scored on
the real dev set (``data/real_dev_labels.csv`` joined from ``../shared/corpora``): real complaints
differ from the hand-written ones, and the dev set is the one real set allowed to choose settings.

    python benchmarks/compare_models.py [--train data/train.csv] [--folds 5] [--out benchmarks/results/models.csv]
    python benchmarks/compare_models.py --group-by source --real-dev --features words both --classifiers svm \
        --C 10 30 --char-weight 1 0.5 0.3 --out benchmarks/results/models_real_dev.csv
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import pandas as pd

from rootcause.data import read_labelled
from rootcause.labels import LABELS
from rootcause.pipeline import ModelParams
from rootcause.training import cross_validate


def _score_dev(train: pd.DataFrame, dev: pd.DataFrame, params: ModelParams) -> dict:
    """Fit on the whole training split; macro-F1, accuracy and log loss on the real dev set."""
    import numpy as np

    from rootcause.training import fit, score

    result, proba = score(fit(train["text"], train["label"], params), dev["text"], dev["label"], with_proba=True)
    truth = [LABELS.index(label) for label in dev["label"]]                 # proba columns are in LABELS order
    log_loss = float(-np.mean(np.log(np.clip(proba[np.arange(len(truth)), truth], 1e-9, 1))))
    return {"dev_macro_f1": round(result.macro_f1, 4), "dev_accuracy": round(result.accuracy, 4),
            "dev_log_loss": round(log_loss, 4),
            **{f"dev_f1_{k}": round(result.per_class[k]["f1"], 4) for k in LABELS}}


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
    parser.add_argument("--char-weight", nargs="+", type=float, default=[1.0],
                        help="scales of the character features against the word features (with 'both')")
    parser.add_argument("--real-dev", action="store_true",
                        help="also fit on the whole training split and score the real dev set")
    parser.add_argument("--out", default="benchmarks/results/models.csv")
    args = parser.parse_args()

    train = read_labelled(args.train)
    dev = None
    if args.real_dev:
        from rootcause.realtexts import REAL_SETS, load_real

        dev = load_real(REAL_SETS["dev"][0])
    rows = []
    grid = itertools.product(args.features, args.classifiers, args.C, args.calibration, args.char_ngrams, args.max_df,
                             args.char_weight)
    for features, classifier, c, calibration, char_ngrams, max_df, char_weight in grid:
        if char_weight != 1.0 and features != "both":
            continue
        low, high = map(int, char_ngrams.split("-"))
        params = ModelParams(features=features, classifier=classifier, C=c, calibration=calibration,
                             char_ngrams=(low, high), max_df=max_df, char_weight=char_weight)
        started = time.perf_counter()
        groups = train[args.group_by] if args.group_by else None
        result, _ = cross_validate(train["text"], train["label"], params, args.folds, n_jobs=-1, groups=groups)
        row = {"features": features, "classifier": classifier, "C": c, "calibration": calibration,
               "char_ngrams": char_ngrams, "max_df": max_df, "char_weight": char_weight, "macro_f1": round(result.macro_f1, 4),
               "accuracy": round(result.accuracy, 4), "ece": round(result.ece or 0, 4),
               **{f"f1_{k}": round(v["f1"], 4) for k, v in result.per_class.items()},
               "seconds": round(time.perf_counter() - started, 1)}
        if dev is not None:
            row.update(_score_dev(train, dev, params))
        rows.append(row)
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    table = pd.DataFrame(rows).sort_values("macro_f1", ascending=False)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print("\n" + table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
