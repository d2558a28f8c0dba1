import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from rootcause.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "labelled_small.csv"


def test_console_script_is_declared():
    scripts = {ep.name: ep.value for ep in metadata.entry_points(group="console_scripts")}
    assert scripts.get("rootcause") == "rootcause.cli:main"
    assert shutil.which("rootcause")


def test_classify_prints_label_probabilities_and_remedies(small_store, capsys):
    assert main(["classify", "--model", str(small_store), "柜员一直在玩手机，让我等了半小时"]) == 0
    out = capsys.readouterr().out
    assert "root cause:" in out and "probabilities:" in out and "remedies:" in out
    assert any(zh in out for zh in ("系统性失误", "员工操作性失误", "客户方面的原因", "随机因素"))


def test_classify_json(small_store, capsys):
    assert main(["classify", "--json", "--model", str(small_store), "网点停电了", "忘记密码了"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2 and all(set(line["probabilities"]) == {"systemic", "staff", "customer", "random"} for line in lines)


def test_classify_empty_text_is_a_clear_error(small_store, capsys):
    assert main(["classify", "--model", str(small_store), "  "]) == 1
    assert "ValueError: text #0 is empty" in capsys.readouterr().err


def test_evaluate_prints_macro_f1_report_and_confusion(small_store, capsys):
    assert main(["evaluate", str(SMALL), "--model", str(small_store)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "confusion" in out
    for label in ("systemic", "staff", "customer", "random"):
        assert label in out


def test_evaluate_missing_file(capsys, small_store):
    assert main(["evaluate", "nope.csv", "--model", str(small_store)]) == 1
    assert "DataError: no file at nope.csv" in capsys.readouterr().err


def test_train_writes_a_new_current_version(tmp_path, capsys):
    store = tmp_path / "models"
    assert main(["train", "--train", str(SMALL), "--test", "none", "--models-dir", str(store), "--cv", "0"]) == 0
    assert (store / "CURRENT").is_file()
    assert "stored version" in capsys.readouterr().out


def test_predict_py_help_runs():
    done = subprocess.run([sys.executable, str(ROOT / "predict.py"), "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "TEXT" in done.stdout


def test_classify_says_out_of_scope_instead_of_a_root_cause(capsys):
    """The shipped model has an out-of-scope detector: praise gets no remedies; --scope-threshold 0 restores them."""
    assert main(["classify", "谢谢客服小姐姐的耐心解答，五星好评"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("out of scope:") and "remedies:" not in out
    assert main(["classify", "--scope-threshold", "0", "谢谢客服小姐姐的耐心解答，五星好评"]) == 0
    assert "remedies:" in capsys.readouterr().out
