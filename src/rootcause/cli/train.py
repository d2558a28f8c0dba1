"""``rootcause train``: fit a model on the labelled data and store it as a new version."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd

from rootcause.data import DATA_DIR, TEST_FILE, TRAIN_FILE, read_labelled, read_table
from rootcause.errors import DataError
from rootcause.pipeline import ModelParams
from rootcause.store import ENV_MODELS_DIR
from rootcause.training import SEARCH_GRID, search, train_and_store
from rootcause.validation import validate

HELP = "train a model on data/train.csv (plus --data files), score it on data/test.csv, store it in models/"


def format_parser(parser: argparse.ArgumentParser) -> None:
    defaults = ModelParams()
    parser.add_argument("--data", action="append", default=[], metavar="FILE",
                        help="new labelled data to merge with the training data (CSV/TSV/XLSX/JSONL; columns "
                             "text,label; labels in English or Chinese); repeatable")
    parser.add_argument("--strict", action="store_true", help="any problem in --data is an error; nothing is written")
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
    parser.add_argument("--char-weight", type=float, default=defaults.char_weight, metavar="W",
                        help=f"scale of character against word features with --features both (default {defaults.char_weight})")
    parser.add_argument("--C", type=float, default=defaults.C, help=f"inverse regularisation (default {defaults.C})")
    parser.add_argument("--calibration", choices=["none", "sigmoid", "isotonic"], default=defaults.calibration,
                        help=f"probability calibration by inner cross-validation (default {defaults.calibration})")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--tolerance", type=float, default=0.01,
                        help="promote only if test macro-F1 is at most this much worse than the current model's")
    parser.add_argument("--force", action="store_true", help="make the new version current whatever its score")
    parser.add_argument("--search", action="store_true",
                        help="choose features and C by cross-validation on the training split (reproducible with --seed)")
    parser.add_argument("--out-of-scope", default=str(DATA_DIR / "out_of_scope.csv"), metavar="FILE",
                        help="texts that describe no failure, for the out-of-scope detector "
                             "(default: data/out_of_scope.csv when present; 'none' to skip)")
    parser.add_argument("--corpora", metavar="DIR",
                        help="shared corpora folder (default: $ROOTCAUSE_CORPORA or ../shared/corpora): the real "
                             "dev set chooses the out-of-scope threshold, the real test set is measured; neither "
                             "is trained on")


def _real_set(name: str, corpora: str | None) -> tuple[pd.DataFrame, list[str]] | None:
    """A real set (labelled failures, texts of its non-failures) when its files and the corpora are present."""
    from rootcause.realtexts import load_real_set

    try:
        return load_real_set(name, corpora)
    except DataError:
        return None


def main(args: argparse.Namespace) -> int:
    test = None if args.test.lower() == "none" else read_labelled(args.test)
    checked = validate([args.train, *args.data], test=test)
    if checked.problems:
        for problem in checked.problems[:50]:
            print(f"  {problem}")
        more = len(checked.problems) - 50
        counts = ", ".join(f"{kind} {n}" for kind, n in checked.counts().items())
        print(("  … and {more} more\n".format(more=more) if more > 0 else "") + f"skipped {len(checked.problems)} row(s): {counts}")
        if args.strict:
            raise DataError(f"{len(checked.problems)} problem row(s) and --strict: nothing was trained or written")
    train = checked.rows
    params = ModelParams(features=args.features, classifier=args.classifier, C=args.C, seed=args.seed,
                         char_weight=args.char_weight,
                         calibration=args.calibration)
    extra = {"sources": [args.train, *args.data], "skipped": checked.counts()}
    if args.search:
        print(f"searching {SEARCH_GRID} by {max(args.cv, 3)}-fold cross-validation …", flush=True)
        params, table = search(train["text"], train["label"], params, folds=max(args.cv, 3), n_jobs=args.jobs)
        for row in table:
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
        extra["search"] = table
        print(f"best: features={params.features} C={params.C}")
    print(f"training on {len(train)} rows ({params.features} n-grams, {params.classifier}) …", flush=True)
    out_of_scope = None
    if args.out_of_scope.lower() != "none" and Path(args.out_of_scope).is_file():
        out_of_scope = read_table(args.out_of_scope)["text"].dropna().astype(str).tolist()
    real, dev = _real_set("test", args.corpora), _real_set("dev", args.corpora)
    if out_of_scope and dev is None:
        print("no real dev set (data/real_dev_labels.csv and --corpora): the out-of-scope threshold falls back "
              "to the training texts, which flags more real failures")
    result = train_and_store(pd.DataFrame(train), test, args.models_dir, params=params, cv_folds=args.cv,
                             n_jobs=args.jobs, tolerance=args.tolerance, force=args.force, extra=extra,
                             out_of_scope=out_of_scope, real=real[0] if real else None,
                             real_out_of_scope=real[1] if real else None,
                             real_dev=(dev[0]["text"].tolist(), dev[1]) if dev else None)
    if result.cv:
        print(f"cross-validation ({args.cv} folds): macro-F1 {result.cv.macro_f1:.3f}")
    if result.test:
        print(f"test split: macro-F1 {result.test.macro_f1:.3f}, accuracy {result.test.accuracy:.3f}")
    real_metrics = result.info.manifest.get("metrics", {}).get("real")
    if real_metrics:
        print(f"real test set (measured only): macro-F1 {real_metrics['macro_f1']:.3f}, n={real_metrics['n']}")
    scope = result.info.manifest.get("scope", {})
    for key, name in (("real_dev", "real dev set"), ("real_test", "real test set")):
        if scope.get(key):
            m = scope[key]
            print(f"out-of-scope detector on the {name}: AUC {m['auc']}, non-failures flagged {m['out_of_scope_recall']}, "
                  f"failures wrongly flagged {m['failures_flagged']}")
    print(f"stored version {result.info.version} in {result.info.path}")
    print(("current: " if result.promoted else "NOT promoted: ") + result.reason)
    return 0
