"""Build data/train.csv and data/test.csv from the writers' JSON Lines files.

Each writer (a separate labelling session with its own domains and registers, see data/README.md)
wrote one file of hand-written, hand-labelled narratives. This script validates them, drops exact
and near duplicates (character 2-4-gram cosine >= 0.9, the later row dropped), gives every row a
stable id, and splits off a frozen test split stratified by label and writer.

    python tools/build_corpus.py STAGING_DIR [--test-size 0.2] [--seed 2026]
    python tools/build_corpus.py STAGING_DIR --extend     # add new writers, keep the frozen split

With ``--extend`` the rows already in ``data/train.csv`` and ``data/test.csv`` keep their ids and
their split; only writers not yet in the data are read, deduplicated against everything already
there, and split the same way (so the test split grows but never loses or moves a row). Writers'
out-of-scope files (``oos*.jsonl``, objects with ``text`` and ``kind``) are appended to
``data/out_of_scope.csv`` in the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from rootcause.labels import LABELS
from rootcause.quality import find_near_duplicates
from rootcause.text import normalize

COLUMNS = ["id", "text", "label", "source", "domain", "register", "difficulty"]


def json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each JSON object in a writer's file; other lines are reported and skipped."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict):
            yield number, record
        else:
            print(f"{path.name}:{number}: not a JSON object, skipped", file=sys.stderr)


def read_writer(path: Path) -> pd.DataFrame:
    rows = []
    for number, record in json_lines(path):
        text, label = str(record.get("text", "")).strip(), str(record.get("label", "")).strip()
        if not text or label not in LABELS:
            print(f"{path.name}:{number}: empty text or unknown label {label!r}, skipped", file=sys.stderr)
            continue
        rows.append({"text": text, "label": label, "source": f"handwritten:{path.stem}",
                     "domain": record.get("domain", ""), "register": record.get("register", ""),
                     "difficulty": record.get("difficulty", "")})
    lines = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    print(f"{path.name}: {len(rows)} rows, {lines - len(rows)} skipped", file=sys.stderr)
    return pd.DataFrame(rows)


def dedupe_against(existing: pd.DataFrame, new: pd.DataFrame, similarity: float) -> pd.DataFrame:
    """``new`` without rows that repeat (exactly or nearly) ``existing`` or an earlier new row."""
    seen = set(existing["text"].map(normalize))
    keys = new["text"].map(normalize)
    new = new[~keys.isin(seen) & ~keys.duplicated()].reset_index(drop=True)
    both = pd.concat([existing[["text"]], new[["text"]]], ignore_index=True).assign(label="")
    pairs = find_near_duplicates({"all": both}, threshold=similarity)
    offset = len(existing)
    drop = {row - 2 - offset for row in pairs["row_b"] if row - 2 >= offset}
    print(f"new rows: {len(new)} after exact duplicates; near duplicates removed: {len(drop)}", file=sys.stderr)
    return new.drop(index=sorted(drop)).reset_index(drop=True)


def next_ids(prefixes: pd.Series, existing_ids: pd.Series) -> list[str]:
    """Ids ``<prefix>-<n>`` numbered on from the largest number already used."""
    start = max((int(i.rsplit("-", 1)[1]) for i in existing_ids), default=0) + 1
    return [f"{prefix}-{n:05d}" for n, prefix in enumerate(prefixes, start=start)]


def read_out_of_scope(path: Path) -> pd.DataFrame:
    rows = []
    for number, record in json_lines(path):
        text = str(record.get("text", "")).strip()
        if not text:
            print(f"{path.name}:{number}: empty text, skipped", file=sys.stderr)
            continue
        rows.append({"text": text, "kind": str(record.get("kind", "")), "source": f"handwritten:{path.stem}"})
    print(f"{path.name}: {len(rows)} rows", file=sys.stderr)
    return pd.DataFrame(rows)


def extend(args: argparse.Namespace) -> int:
    train = pd.read_csv(args.out / "train.csv", dtype=str, keep_default_na=False)
    test = pd.read_csv(args.out / "test.csv", dtype=str, keep_default_na=False)
    known = pd.concat([train, test], ignore_index=True)
    oos_path = args.out / "out_of_scope.csv"
    oos = pd.read_csv(oos_path, dtype=str, keep_default_na=False)
    writers = [p for p in sorted(args.staging.glob("w*.jsonl")) if f"handwritten:{p.stem}" not in set(known["source"])]
    if writers:
        written = pd.concat([read_writer(p) for p in writers], ignore_index=True)
        new = dedupe_against(pd.concat([known, oos], ignore_index=True)[["text"]], written, args.similarity)
        new["id"] = next_ids(new["source"].str.split(":").str[1], known["id"])
        strata = new["label"] + "|" + new["source"]
        new_train, new_test = train_test_split(new, test_size=args.test_size, stratify=strata, random_state=args.seed)
        train = pd.concat([train, new_train.sort_values("id")[COLUMNS]], ignore_index=True)
        test = pd.concat([test, new_test.sort_values("id")[COLUMNS]], ignore_index=True)
        train.to_csv(args.out / "train.csv", index=False)
        test.to_csv(args.out / "test.csv", index=False)
        print(f"added {len(new_train)} rows to train and {len(new_test)} to test from "
              + ", ".join(p.stem for p in writers))
        known = pd.concat([train, test], ignore_index=True)
    files = [p for p in sorted(args.staging.glob("oos*.jsonl")) if f"handwritten:{p.stem}" not in set(oos["source"])]
    if files:
        new = pd.concat([read_out_of_scope(p) for p in files], ignore_index=True)
        new = dedupe_against(pd.concat([oos, known], ignore_index=True)[["text"]], new, args.similarity)
        new["id"] = next_ids(pd.Series(["oos"] * len(new)), oos["id"])
        pd.concat([oos, new[oos.columns]], ignore_index=True).to_csv(oos_path, index=False)
        print(f"added {len(new)} out-of-scope rows from " + ", ".join(p.stem for p in files))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("staging", type=Path)
    parser.add_argument("--out", type=Path, default=Path("data"))
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--similarity", type=float, default=0.9)
    parser.add_argument("--extend", action="store_true", help="add new writers; keep existing rows and split")
    args = parser.parse_args()
    if args.extend:
        return extend(args)

    frames = [read_writer(p) for p in sorted(args.staging.glob("w*.jsonl"))]
    corpus = dedupe_against(pd.DataFrame({"text": []}), pd.concat(frames, ignore_index=True), args.similarity)
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
