"""Spark throughput per executor core: local[1] against local[2] on a realistic table.

The table repeats the real texts of ../shared/corpora (read in place, written to a temporary
folder only). Each run classifies the whole table and writes Parquet.

    python benchmarks/bench_spark.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    from pyspark.sql import SparkSession

    from rootcause.spark import classify

    texts = pd.concat([pd.read_csv(CORPORA / "stc3-helpdesk" / "stc3_first_turn_cn.csv", dtype=str)["text"],
                       pd.read_csv(CORPORA / "icbc-app-reviews" / "icbc_app_reviews.csv", dtype=str)["text"]]).dropna()
    table = pd.DataFrame({"id": range(args.rows), "text": list(itertools.islice(itertools.cycle(texts), args.rows))})
    with tempfile.TemporaryDirectory() as tmp:
        source = f"{tmp}/in.parquet"
        table.to_parquet(source)
        for master in ("local[1]", "local[2]"):
            spark = SparkSession.builder.master(master).config("spark.sql.shuffle.partitions", "4").getOrCreate()
            df = spark.read.parquet(source).repartition(8)
            started = time.perf_counter()
            classify(df).write.mode("overwrite").parquet(f"{tmp}/out-{master[6]}")
            seconds = time.perf_counter() - started
            print(f"{master}: {args.rows} rows in {seconds:.1f} s = {args.rows / seconds:.0f} rows/s", flush=True)
            spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
