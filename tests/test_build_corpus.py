"""tools/build_corpus.py --extend: new writers join the corpus without moving a single existing row."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["systemic", "staff", "customer", "random"]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


def build(staging: Path, out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_corpus.py"), str(staging), "--out", str(out), *extra],
                   check=True, capture_output=True)


def test_extend_keeps_every_row_and_split(tmp_path):
    staging, out = tmp_path / "staging", tmp_path / "data"
    staging.mkdir()
    places = ["北京", "上海", "广州", "深圳", "成都", "武汉", "西安", "南京", "杭州", "重庆"]
    write_jsonl(staging / "w1.jsonl", [{"text": f"{place}分行第{i}次投诉：{LABELS[i % 4]}问题{'甲乙丙丁戊'[i % 5]}",
                                        "label": LABELS[i % 4]} for i, place in enumerate(places * 4)])
    build(staging, out)
    before = {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False) for name in ("train", "test")}
    pd.DataFrame({"id": ["oos-00001"], "text": ["谢谢"], "kind": ["praise"], "source": ["handwritten:oos"]}).to_csv(
        out / "out_of_scope.csv", index=False)

    new = [{"text": f"第二位写手写的第{i}条：手机银行{'登录转账查询缴费'[i % 4]}失败，等了{i + 3}天", "label": LABELS[i % 4]}
           for i in range(20)]
    new.append({"text": before["train"]["text"][0], "label": "staff"})        # repeats an existing row: dropped
    write_jsonl(staging / "w2.jsonl", new)
    write_jsonl(staging / "oos2.jsonl", [{"text": "请问周末营业吗", "kind": "question"}, {"text": "谢谢", "kind": "praise"}])
    build(staging, out, "--extend")

    after = {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False) for name in ("train", "test")}
    for name in ("train", "test"):
        assert after[name].head(len(before[name])).equals(before[name])     # nothing moved, nothing relabelled
    added = pd.concat([after[n].iloc[len(before[n]):] for n in ("train", "test")])
    assert len(added) == 20 and set(added["source"]) == {"handwritten:w2"} and len(after["test"]) > len(before["test"])
    assert not set(after["train"]["id"]) & set(after["test"]["id"])
    assert pd.concat(after.values())["id"].is_unique
    oos = pd.read_csv(out / "out_of_scope.csv", dtype=str)
    assert oos["text"].tolist() == ["谢谢", "请问周末营业吗"] and oos["id"].is_unique
