"""Spark in local mode gives the local batch classifier's labels and probabilities, row by row."""

import shutil

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

from rootcause.batch import classify_frame  # noqa: E402
from rootcause.cli import main  # noqa: E402

pytestmark = pytest.mark.slow

ROWS = pd.DataFrame({
    "id": list(range(1, 11)),
    "text": ["柜员态度差，一直玩手机", None, "   ", "网点突然停电，业务全停", "我忘记密码，卡被锁了",
             "只开一个窗口，每次排两小时", "卡号6222021234567890123被吞", "长" * 6000, "ATM 吞卡 😡😡", "我要打12378投诉"],
    "branch": ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"],
})


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = SparkSession.builder.master("local[2]").appName("rootcause-tests").getOrCreate()
    yield session
    session.stop()


def test_spark_equals_local_batch_row_by_row(spark, small_store, small_classifier):
    from rootcause.spark import classify

    df = spark.createDataFrame(ROWS, "id long, text string, branch string").repartition(3)
    got = classify(df, model=str(small_store)).toPandas().sort_values("id").reset_index(drop=True)
    expected = classify_frame(small_classifier, ROWS)
    assert list(got.columns) == list(expected.columns)
    assert got["status"].tolist() == expected["status"].tolist()
    assert got["root_cause"].fillna("").tolist() == expected["root_cause"].fillna("").tolist()
    for column in ("p_systemic", "p_staff", "p_customer", "p_random", "confidence"):
        np.testing.assert_allclose(got[column].to_numpy(float), expected[column].to_numpy(float), atol=1e-6)
    assert got["escalation"].tolist() == expected["escalation"].tolist()


def test_cli_engine_spark_reads_and_writes_parquet(spark, small_store, tmp_path, capsys):
    ROWS.to_parquet(tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    assert main(["classify", "--engine", "spark", "--master", "local[2]", str(tmp_path / "in.parquet"), "-o", str(out),
                 "--model", str(small_store)]) == 0
    result = pd.read_parquet(out).sort_values("id")
    assert len(result) == len(ROWS) and result["status"].iloc[1].startswith("empty")


def test_missing_java_is_a_clear_error(monkeypatch):
    from rootcause.errors import RootCauseError
    from rootcause.spark import _require_java

    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RootCauseError, match="Spark needs a Java runtime"):
        _require_java()
