"""Peer comparison: the shipped model against fastText and a character n-gram baseline.

All three are trained on data/train.csv with the same text preparation (normalised, masked; jieba
words for fastText) and evaluated on data/test.csv and on the real labelled texts (read in place
from ../shared/corpora). Needs `pip install fasttext-wheel` (not a project dependency).

    python benchmarks/peers.py [--out benchmarks/results/peers.csv]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

from rootcause import load_classifier
from rootcause.data import read_labelled
from rootcause.evaluation import evaluate_predictions
from rootcause.labels import LABELS
from rootcause.realtexts import load_real
from rootcause.text import prepare, segment


def fasttext_predict(train: pd.DataFrame, tests: dict[str, pd.DataFrame], seed: int = 0) -> dict[str, list[str]]:
    import fasttext

    def line(text: str) -> str:
        return " ".join(segment(prepare(text))).replace("\n", " ")

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as handle:
        for text, label in zip(train["text"], train["label"]):
            handle.write(f"__label__{label} {line(text)}\n")
    model = fasttext.train_supervised(handle.name, epoch=25, lr=0.5, wordNgrams=2, dim=50, minCount=1,
                                      seed=seed, thread=1, verbose=0)
    Path(handle.name).unlink()
    def top(text: str) -> str:  # model.predict breaks on NumPy 2; the C++ call underneath does not
        return model.f.predict(line(text), 1, 0.0, "strict")[0][1].removeprefix("__label__")

    return {name: [top(t) for t in df["text"]] for name, df in tests.items()}


def char_baseline_predict(train: pd.DataFrame, tests: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    model = make_pipeline(CountVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=prepare), MultinomialNB())
    model.fit(train["text"], train["label"])
    return {name: list(model.predict(df["text"])) for name, df in tests.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="benchmarks/results/peers.csv")
    args = parser.parse_args()
    train = read_labelled("data/train.csv")
    tests = {"test split": read_labelled("data/test.csv"), "real texts": load_real()}
    clf = load_classifier()
    shipped = {name: [LABELS[i] for i in clf.predict_proba(df["text"].tolist()).argmax(axis=1)]
               for name, df in tests.items()}
    rows = []
    for model, predictions in (("rootcause (shipped)", shipped), ("fastText", fasttext_predict(train, tests)),
                               ("char 1-2-gram NB", char_baseline_predict(train, tests))):
        row = {"model": model}
        for name, df in tests.items():
            result = evaluate_predictions(df["label"].tolist(), predictions[name])
            row[f"{name} macro-F1"] = round(result.macro_f1, 4)
            row[f"{name} accuracy"] = round(result.accuracy, 4)
        rows.append(row)
    table = pd.DataFrame(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(table.to_string(index=False))
    return 0 if np.all(table.iloc[0, 1::2].to_numpy() >= table.iloc[1, 1::2].to_numpy()) else 1


if __name__ == "__main__":
    sys.exit(main())
