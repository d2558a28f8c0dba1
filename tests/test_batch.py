import io
import json
import sys

import pandas as pd
import pytest

from rootcause import batch
from rootcause.batch import BatchConfig, run_batch
from rootcause.cli import main
from rootcause.errors import DataError

CSV = "id,text,amount\n001,柜员态度很差,100\n002,,5\n003,\"多行\n文本 卡号6222021234567890123\",7\n004,a,b,c\n005,只有两列\n006,网点停电了,9\n"


def classify(tmp_path, store, content: bytes | str, name="in.csv", out="out.csv", **kw):
    source = tmp_path / name
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not source.exists() or source.read_bytes() != data:  # rewriting would change its mtime
        source.write_bytes(data)
    target = tmp_path / out
    config = BatchConfig(input=str(source), output=str(target), model=str(store), progress=False, **kw)
    return run_batch(config), target


def read_back(path):
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if path.suffix == ".xlsx":
        return pd.read_excel(path, dtype=str)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_every_row_kept_in_order_and_malformed_rows_flagged(tmp_path, small_store):
    summary, out = classify(tmp_path, small_store, CSV, jobs=1)
    df = read_back(out)
    assert df["id"].tolist() == ["001", "002", "003", "004", "005", "006"]
    assert list(df.columns[:3]) == ["id", "text", "amount"]
    assert {"root_cause", "root_cause_zh", "confidence", "p_systemic", "p_staff", "p_customer", "p_random",
            "needs_review", "remedies", "escalation", "status"} <= set(df.columns)
    status = dict(zip(df["id"], df["status"]))
    assert status["001"] == "ok" and status["003"] == "ok" and status["006"] == "ok"
    assert status["002"].startswith("empty")
    assert status["004"].startswith("malformed: 4 fields") and status["005"].startswith("malformed: 2 fields")
    assert df.loc[df["id"] == "004", "root_cause"].item() == ""
    assert summary.rows == 6 and summary.flagged == 3 and sum(summary.per_label.values()) == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(tmp_path, small_store, encoding):
    _, out = classify(tmp_path, small_store, CSV.encode(encoding), jobs=1)
    df = read_back(out)
    assert df.loc[0, "text"] == "柜员态度很差" and df.loc[0, "status"] == "ok"


def test_missing_text_column_lists_available_columns(tmp_path, small_store):
    with pytest.raises(DataError, match="no column 'complaint'.*available columns: id, text, amount.*--text-col"):
        classify(tmp_path, small_store, CSV, text_col="complaint", jobs=1)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.csv.parts").exists()


@pytest.mark.parametrize("out", ["out.jsonl", "out.xlsx", "out.parquet", "out.tsv"])
def test_output_formats_keep_all_rows(tmp_path, small_store, out):
    _, path = classify(tmp_path, small_store, CSV, out=out, jobs=1)
    df = read_back(path) if path.suffix != ".tsv" else pd.read_csv(path, sep="\t", dtype=str, encoding="utf-8-sig")
    assert len(df) == 6 and df["status"].tolist()[0] == "ok"


def test_jsonl_input_with_a_broken_line(tmp_path, small_store):
    lines = [json.dumps({"id": 1, "text": "柜员把金额输错了"}, ensure_ascii=False), "{not json", json.dumps({"id": 3})]
    _, out = classify(tmp_path, small_store, "\n".join(lines) + "\n", name="in.jsonl", out="out.jsonl", jobs=1)
    df = read_back(out)
    assert df["status"].tolist()[0] == "ok"
    assert df["status"].tolist()[1].startswith("malformed: line 2")
    assert df["status"].tolist()[2].startswith("empty")


def test_excel_and_parquet_inputs(tmp_path, small_store):
    frame = pd.DataFrame({"编号": ["a1", "a2"], "投诉内容": ["忘记密码卡被锁了", None]})
    frame.to_excel(tmp_path / "in.xlsx", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    for name in ("in.xlsx", "in.parquet"):
        config = BatchConfig(input=str(tmp_path / name), output=str(tmp_path / f"{name}.csv"), text_col="投诉内容",
                             model=str(small_store), progress=False, jobs=1)
        run_batch(config)
        df = read_back(tmp_path / f"{name}.csv")
        assert df["编号"].tolist() == ["a1", "a2"] and df["status"].tolist()[0] == "ok"


def test_crash_leaves_no_output_and_resume_gives_the_same_result(tmp_path, small_store, monkeypatch):
    rows = "\n".join(f"{i},第{i}个投诉：柜员态度差还是系统故障{i % 7}" for i in range(40))
    content = "id,text\n" + rows + "\n"
    _, expected = classify(tmp_path, small_store, content, out="full.csv", chunk_rows=5, jobs=1)

    calls = {"n": 0}
    real = batch._classify_part

    def dies_after_three(*args):
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(batch, "_classify_part", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        classify(tmp_path, small_store, content, out="resumed.csv", chunk_rows=5, jobs=1)
    assert not (tmp_path / "resumed.csv").exists()
    assert len(list((tmp_path / "resumed.csv.parts").glob("part-*.parquet"))) == 3
    with pytest.raises(DataError, match="--resume"):
        classify(tmp_path, small_store, content, out="resumed.csv", chunk_rows=5, jobs=1)

    monkeypatch.setattr(batch, "_classify_part", real)
    summary, resumed = classify(tmp_path, small_store, content, out="resumed.csv", chunk_rows=5, jobs=1, resume=True)
    assert summary.resumed_rows == 15 and summary.rows == 40
    assert resumed.read_bytes() == expected.read_bytes()
    assert not (tmp_path / "resumed.csv.parts").exists()


@pytest.mark.slow
def test_worker_processes_give_the_same_output_as_one_process(tmp_path, small_store):
    content = "id,text\n" + "\n".join(f"{i},投诉{i}：ATM吞卡，大堂经理不理人，等了{i}分钟" for i in range(60)) + "\n"
    _, one = classify(tmp_path, small_store, content, out="one.csv", chunk_rows=7, jobs=1)
    _, two = classify(tmp_path, small_store, content, out="two.csv", chunk_rows=7, jobs=2)
    assert one.read_bytes() == two.read_bytes()


def test_cli_reads_stdin_and_writes_stdout(small_store, monkeypatch, capsysbinary):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CSV.encode("gbk"))))
    assert main(["classify", "-", "-o", "-", "--model", str(small_store), "--quiet", "--jobs", "1"]) == 0
    df = pd.read_csv(io.BytesIO(capsysbinary.readouterr().out), dtype=str, keep_default_na=False)
    assert df["id"].tolist() == ["001", "002", "003", "004", "005", "006"]


def test_cli_table_prints_a_summary(tmp_path, small_store, capsys):
    (tmp_path / "in.csv").write_text(CSV, encoding="utf-8")
    assert main(["classify", str(tmp_path / "in.csv"), "--model", str(small_store), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "6 rows" in err and "flagged (status not ok): 3" in err
    assert (tmp_path / "in.classified.csv").is_file()


def test_explain_adds_a_column(tmp_path, small_store):
    _, out = classify(tmp_path, small_store, CSV, jobs=1, explain=True)
    df = read_back(out)
    assert df.columns[-1] == "explanation"
    assert df.loc[0, "explanation"] and df.loc[1, "explanation"] == ""
