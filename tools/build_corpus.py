"""Build data/train.csv and data/test.csv from the writers' JSON Lines files.

Each writer (a separate labelling session with its own domains and registers, see data/README.md)
wrote one file of hand-written, hand-labelled narratives. This script validates them, drops exact
and near duplicates (character 2-4-gram cosine >= 0.9, the later row dropped), gives every row a
stable id, and splits off a frozen test split stratified by label and writer.

    python tools/build_corpus.py STAGING_DIR [--test-size 0.2] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from rootcause.labels import LABELS
from rootcause.quality import find_near_duplicates
from rootcause.text import normalize

COLUMNS = ["id", "text", "label", "source", "domain", "register", "difficulty"]


def read_writer(path: Path) -> pd.DataFrame:
    rows, bad = [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            print(f"{path.name}:{number}: not JSON, skipped", file=sys.stderr)
            continue
        text, label = str(record.get("text", "")).strip(), str(record.get("label", "")).strip()
        if not text or label not in LABELS:
            bad += 1
            print(f"{path.name}:{number}: empty text or unknown label {label!r}, skipped", file=sys.stderr)
            continue
        rows.append({"text": text, "label": label, "source": f"handwritten:{path.stem}",
                     "domain": record.get("domain", ""), "register": record.get("register", ""),
                     "difficulty": record.get("difficulty", "")})
    print(f"{path.name}: {len(rows)} rows, {bad} skipped", file=sys.stderr)
    return pd.DataFrame(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("staging", type=Path)
    parser.add_argument("--out", type=Path, default=Path("data"))
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--similarity", type=float, default=0.9)
    args = parser.parse_args()

    frames = [read_writer(p) for p in sorted(args.staging.glob("w*.jsonl"))]
    corpus = pd.concat(frames, ignore_index=True)
    corpus = corpus[~corpus["text"].map(normalize).duplicated()].reset_index(drop=True)
    pairs = find_near_duplicates({"all": corpus}, threshold=args.similarity)
    drop = {row - 2 for row in pairs["row_b"]}
    print(f"exact duplicates removed; near duplicates removed: {len(drop)}", file=sys.stderr)
    corpus = corpus.drop(index=sorted(drop)).reset_index(drop=True)
    corpus["id"] = [f"{source.split(':')[1]}-{i:05d}" for i, source in enumerate(corpus["source"], start=1)]
    strata = corpus["label"] + "|" + corpus["source"]
    train, test = train_test_split(corpus, test_size=args.test_size, stratify=strata, random_state=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    train.sort_values("id")[COLUMNS].to_csv(args.out / "train.csv", index=False)
    test.sort_values("id")[COLUMNS].to_csv(args.out / "test.csv", index=False)
    for name, part in (("train", train), ("test", test)):
        print(f"{name}: {len(part)} rows; " + ", ".join(f"{k} {v}" for k, v in part["label"].value_counts().items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
