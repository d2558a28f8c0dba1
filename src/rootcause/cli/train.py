"""``rootcause train``: fit a model on the labelled data and store it as a new version."""

from __future__ import annotations

import argparse
import os

import pandas as pd

from rootcause.data import DATA_DIR, TEST_FILE, TRAIN_FILE, read_labelled
from rootcause.pipeline import ModelParams
from rootcause.store import ENV_MODELS_DIR
from rootcause.training import train_and_store

HELP = "train a model on data/train.csv, score it on data/test.csv, store it in models/"


def format_parser(parser: argparse.ArgumentParser) -> None:
    defaults = ModelParams()
    parser.add_argument("--train", default=str(DATA_DIR / TRAIN_FILE), metavar="FILE",
                        help="labelled training data (default: data/train.csv)")
    parser.add_argument("--test", default=str(DATA_DIR / TEST_FILE), metavar="FILE",
                        help="frozen test split, never trained on (default: data/test.csv); 'none' to skip")
    parser.add_argument("--models-dir", default=os.environ.get(ENV_MODELS_DIR, "models"), metavar="DIR",
                        help=f"model store to write to (default: ${ENV_MODELS_DIR} or models/)")
    parser.add_argument("--cv", type=int, default=5, metavar="K", help="cross-validation folds (0 to skip; default 5)")
    parser.add_argument("--jobs", type=int, default=-1, metavar="N", help="processes for cross-validation (default: all cores)")
    parser.add_argument("--classifier", choices=["logreg", "svm", "sgd", "nb"], default=defaults.classifier)
    parser.add_argument("--features", choices=["words", "chars", "both"], default=defaults.features)
    parser.add_argument("--C", type=float, default=defaults.C, help=f"inverse regularisation (default {defaults.C})")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--tolerance", type=float, default=0.01,
                        help="promote only if test macro-F1 is at most this much worse than the current model's")
    parser.add_argument("--force", action="store_true", help="make the new version current whatever its score")


def main(args: argparse.Namespace) -> int:
    train = read_labelled(args.train)
    test = None if args.test.lower() == "none" else read_labelled(args.test)
    params = ModelParams(features=args.features, classifier=args.classifier, C=args.C, seed=args.seed)
    if test is not None:
        overlap = set(train["text"]) & set(test["text"])
        if overlap:
            train = train[~train["text"].isin(overlap)]
            print(f"skipped {len(overlap)} training row(s) whose text is in the test split")
    print(f"training on {len(train)} rows ({args.features} n-grams, {args.classifier}) …", flush=True)
    result = train_and_store(pd.DataFrame(train), test, args.models_dir, params=params, cv_folds=args.cv,
                             n_jobs=args.jobs, tolerance=args.tolerance, force=args.force)
    if result.cv:
        print(f"cross-validation ({args.cv} folds): macro-F1 {result.cv.macro_f1:.3f}")
    if result.test:
        print(f"test split: macro-F1 {result.test.macro_f1:.3f}, accuracy {result.test.accuracy:.3f}")
    print(f"stored version {result.info.version} in {result.info.path}")
    print(("current: " if result.promoted else "NOT promoted: ") + result.reason)
    return 0
