"""Print the data card's tables (Markdown) for data/train.csv and data/test.csv.

    python tools/corpus_stats.py
"""

from __future__ import annotations

import sys

import pandas as pd


def table(frame: pd.DataFrame) -> str:
    frame = frame.reset_index()
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def main() -> int:
    train = pd.read_csv("data/train.csv", dtype=str, keep_default_na=False).assign(split="train")
    test = pd.read_csv("data/test.csv", dtype=str, keep_default_na=False).assign(split="test")
    both = pd.concat([train, test])
    both["length"] = pd.cut(both["text"].str.len(), [0, 25, 150, 400, 100_000],
                            labels=["≤25", "26-150", "151-400", ">400"])
    print("### Rows per label and split\n")
    print(table(pd.crosstab(both["label"], both["split"], margins=True, margins_name="all")))
    print("\n### Rows per source (writer) and label\n")
    print(table(pd.crosstab(both["source"], both["label"], margins=True, margins_name="all")))
    print("\n### Difficulty\n")
    print(table(pd.crosstab(both["difficulty"], both["label"], margins=True, margins_name="all")))
    print("\n### Length (characters)\n")
    print(table(pd.crosstab(both["length"], both["label"], margins=True, margins_name="all")))
    print("\n### Domains (top 40)\n")
    print(table(both["domain"].value_counts().head(40).rename("rows").to_frame()))
    print("\n### Registers (top 25)\n")
    print(table(both["register"].value_counts().head(25).rename("rows").to_frame()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
