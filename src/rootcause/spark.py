"""The batch classification on Apache Spark: the same columns as the local batch classifier.

The model folder (and a rules file, if given) is shipped to the executors once with
``SparkContext.addFile``; rows are classified with ``mapInPandas`` (Arrow), and each Python worker
loads the model and jieba's dictionary once.

>>> from rootcause.spark import classify                     # doctest: +SKIP
>>> classify(spark.read.parquet("hdfs:///complaints"), text_col="content").write.parquet("out")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from rootcause.batch import MAX_CHARS, OUTPUT_COLUMNS, classify_frame
from rootcause.errors import RootCauseError
from rootcause.store import resolve

try:
    from pyspark import SparkFiles
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import types as T
except ImportError as exc:  # pragma: no cover - exercised where pyspark is absent
    raise RootCauseError("the Spark engine needs pyspark: pip install 'rootcause[spark]' (and a Java runtime)") from exc

def _require_java() -> None:
    """Spark runs on the JVM: say so plainly instead of failing deep inside pyspark."""
    import os
    import shutil

    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise RootCauseError("Spark needs a Java runtime (17 or newer): install one (e.g. Debian's "
                             "default-jre-headless) or set JAVA_HOME")


_TYPES = {"confidence": T.DoubleType(), "needs_review": T.BooleanType()}


def output_schema(schema: T.StructType) -> T.StructType:
    """The input schema plus the appended prediction columns (prefixed ``rc_`` on a name clash)."""
    names = set(schema.fieldNames())
    prefix = "rc_" if any(c in names for c in OUTPUT_COLUMNS) else ""
    fields = list(schema.fields)
    for column in OUTPUT_COLUMNS:
        kind = T.DoubleType() if column.startswith("p_") else _TYPES.get(column, T.StringType())
        fields.append(T.StructField(prefix + column, kind, nullable=True))
    return T.StructType(fields)


@functools.cache
def _executor_classifier(model_name: str, rules_name: str | None, threshold: float | None,
                         scope_threshold: float | None = None):
    """Loaded once per Python worker from the files Spark shipped to it."""
    from rootcause.classifier import load_classifier

    rules = SparkFiles.get(rules_name) if rules_name else None
    return load_classifier(SparkFiles.get(model_name), rules=rules, review_threshold=threshold,
                           scope_threshold=scope_threshold)


def classify(df: DataFrame, text_col: str = "text", *, model: str | Path | None = None,
             rules: str | Path | None = None, threshold: float | None = None, max_chars: int = MAX_CHARS,
             scope_threshold: float | None = None) -> DataFrame:
    """Return ``df`` with the local batch classifier's columns appended, row by row."""
    if text_col not in df.columns:
        raise RootCauseError(f"no column {text_col!r}; available columns: {', '.join(df.columns)}")
    version_dir = resolve(model)
    context = df.sparkSession.sparkContext
    model_name = _ship(context, version_dir)
    rules_name = _ship(context, Path(rules)) if rules else None
    schema = output_schema(df.schema)

    def classify_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        classifier = _executor_classifier(model_name, rules_name, threshold, scope_threshold)
        for batch in batches:
            yield classify_frame(classifier, batch, text_col, max_chars)

    return df.mapInPandas(classify_batches, schema)


def _ship(context, path: Path) -> str:
    """Add a file or folder to the Spark job; executors find it under its base name."""
    context.addFile(str(path.resolve()), recursive=path.is_dir())
    return path.name


def run(input_path: str, output_path: str, *, text_col: str = "text", input_format: str | None = None,
        output_format: str | None = None, master: str | None = None, model: str | None = None,
        rules: str | None = None, threshold: float | None = None, max_chars: int = MAX_CHARS,
        scope_threshold: float | None = None) -> None:
    """Read a Parquet or CSV path with Spark, classify it, write it (the output must not exist)."""
    _require_java()
    builder = SparkSession.builder.appName("rootcause")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    in_fmt = input_format or ("parquet" if input_path.rstrip("/").endswith(".parquet") else "csv")
    out_fmt = output_format or ("csv" if output_path.rstrip("/").endswith(".csv") else "parquet")
    reader = spark.read
    if in_fmt == "csv":
        reader = reader.option("header", True).option("multiLine", True).option("escape", '"')
    df = reader.format(in_fmt).load(input_path)
    result = classify(df, text_col, model=model, rules=rules, threshold=threshold, max_chars=max_chars,
                      scope_threshold=scope_threshold)
    writer = result.write.mode("errorifexists")
    if out_fmt == "csv":
        writer = writer.option("header", True).option("escape", '"')
    writer.format(out_fmt).save(output_path)
