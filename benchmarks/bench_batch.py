"""Batch throughput and memory: rows/s and peak RSS for growing inputs and 1 vs all cores.

Builds complaint logs in a temporary folder by repeating the real texts of ../shared/corpora
(never copied into the project), then times `rootcause classify` on them.

    python benchmarks/bench_batch.py [--rows 20000 80000] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def real_texts() -> list[str]:
    icbc = pd.read_csv(CORPORA / "icbc-app-reviews" / "icbc_app_reviews.csv", dtype=str)["text"]
    stc3 = pd.read_csv(CORPORA / "stc3-helpdesk" / "stc3_first_turn_cn.csv", dtype=str)["text"]
    return [t for t in pd.concat([icbc, stc3]).dropna().tolist() if t.strip()]


def write_log(path: Path, rows: int, texts: list[str]) -> None:
    with open(path, "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        for i, text in zip(range(rows), itertools.cycle(texts)):
            writer.writerow([f"C{i:09d}", "hotline" if i % 3 else "app", text])


def run(path: Path, jobs: int) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rootcause", "classify", str(path), "-o", str(path.with_suffix(".out.csv")),
                    "--jobs", str(jobs), "--quiet"], check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", nargs="+", type=int, default=[20_000, 80_000])
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args()
    texts = real_texts()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'rows':>8} {'MB':>6} {'jobs':>4} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12}")
        for rows in args.rows:
            path = Path(tmp) / f"log_{rows}.csv"
            write_log(path, rows, texts)
            size = path.stat().st_size / 1e6
            for jobs in args.jobs:
                seconds, peak = run(path, jobs)
                print(f"{rows:>8} {size:>6.1f} {jobs:>4} {seconds:>8.1f} {rows / seconds:>8.0f} {peak:>12.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
