from pathlib import Path

import pandas as pd
import pytest

from rootcause.cli import main
from rootcause.data import read_labelled
from rootcause.pipeline import ModelParams
from rootcause.store import current_version, list_versions, promotion_history
from rootcause.training import train_and_store
from rootcause.validation import validate

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "labelled_small.csv"


def write(tmp_path, name, rows):
    path = tmp_path / name
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    return str(path)


def test_validation_finds_each_kind_of_problem(tmp_path):
    test = pd.DataFrame({"text": ["测试集里的投诉"], "label": ["staff"]})
    existing = pd.DataFrame({"text": ["已有的投诉"], "label": ["random"]})
    new = write(tmp_path, "new.csv", [
        ["柜员态度很差", "staff"],          # row 2 ok
        ["系统老是崩溃", "系统性失误"],       # row 3 ok (Chinese label)
        ["柜员态度很差", "staff"],          # row 4 duplicate of row 2
        ["忘记密码", "custmer"],            # row 5 unknown label, suggests customer
        ["", "random"],                    # row 6 empty
        ["测试集里的投诉", "staff"],        # row 7 in the test split
        ["已有的投诉", "staff"],            # row 8 conflicts with the existing data
        ["ATM吞卡", "random"],              # row 9 conflicts with row 10
        ["ATM吞卡", "staff"],               # row 10
    ])
    result = validate([new], existing=existing, test=test)
    problems = {(p.row, p.kind) for p in result.problems}
    assert problems == {(4, "duplicate"), (5, "unknown-label"), (6, "empty-text"), (7, "in-test-split"),
                        (8, "conflict"), (9, "conflict"), (10, "conflict")}
    assert result.rows["label"].tolist() == ["staff", "systemic"]
    message = next(str(p) for p in result.problems if p.kind == "unknown-label")
    assert "new.csv, row 5" in message and "Did you mean 'customer'" in message


def test_train_cli_reports_problems_and_strict_writes_nothing(tmp_path, capsys):
    new = write(tmp_path, "new.csv", [["柜员把金额输错了", "staff"], ["忘记密码", "nonsense"]])
    store = tmp_path / "models"
    args = ["train", "--train", str(SMALL), "--test", "none", "--models-dir", str(store), "--cv", "0", "--data", new]
    assert main([*args, "--strict"]) == 1
    assert "row 3: unknown-label" in capsys.readouterr().out
    assert not list_versions(store)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "skipped 1 row(s): unknown-label 1" in out and "training on 49 rows" in out


def test_worse_model_is_kept_but_not_promoted_unless_forced(tmp_path):
    data = read_labelled(SMALL)
    store = tmp_path / "models"
    good = train_and_store(data, data, store, params=ModelParams(min_df=1), cv_folds=0)
    assert good.promoted
    shuffled = data.assign(label=data["label"].sample(frac=1, random_state=3).tolist())
    bad = train_and_store(shuffled, data, store, params=ModelParams(min_df=1), cv_folds=0)
    assert not bad.promoted and "worse than the current version" in bad.reason
    assert current_version(store) == good.info.version
    assert len(list_versions(store)) == 2
    forced = train_and_store(shuffled, data, store, params=ModelParams(min_df=1), cv_folds=0, force=True)
    assert forced.promoted and forced.info.manifest["promotion"]["forced"] is True


def test_promote_and_rollback_round_trip(tmp_path, capsys):
    store = tmp_path / "models"
    base = ["train", "--train", str(SMALL), "--test", "none", "--models-dir", str(store), "--cv", "0"]
    assert main(base) == 0
    first = current_version(store)
    assert main([*base, "--force"]) == 0
    second = current_version(store)
    assert second != first
    assert main(["models", "--models-dir", str(store), "rollback"]) == 0
    assert current_version(store) == first
    assert main(["models", "--models-dir", str(store), "promote", second]) == 0
    assert current_version(store) == second
    assert promotion_history(store)[-1] == second
    capsys.readouterr()
    assert main(["models", "--models-dir", str(store), "list"]) == 0
    listing = capsys.readouterr().out
    assert f"* {second}" in listing and first in listing
    assert main(["models", "--models-dir", str(store), "show", first]) == 0
    assert '"version": "' + first in capsys.readouterr().out
    assert main(["models", "--models-dir", str(store), "promote", "no-such-version"]) == 1


def test_evaluate_report_folder(tmp_path, small_store, capsys):
    import matplotlib.image

    folder = tmp_path / "report"
    assert main(["evaluate", str(SMALL), "--model", str(small_store), "--report", str(folder)]) == 0
    for name in ("confusion.png", "reliability.png"):
        image = matplotlib.image.imread(folder / name)
        assert image.shape[0] > 200 and image.shape[1] > 200
    page = (folder / "report.md").read_text(encoding="utf-8")
    assert "![confusion matrix](confusion.png)" in page and "macro-F1" in page
    assert set(pd.read_csv(folder / "per_class.csv")["label"]) == {"systemic", "staff", "customer", "random"}
    assert "text" in pd.read_csv(folder / "confused.csv").columns


def test_suggest_picks_uncertain_unfamiliar_rows_ready_to_label(tmp_path, small_store, capsys):
    texts = ["柜员一直在玩手机，让我等了半小时", "量子纠缠的猫咪在火星上跳舞", "今天天气不错", "", "柜员一直在玩手机，让我等了半小时"]
    pd.DataFrame({"id": range(5), "text": texts}).to_csv(tmp_path / "u.csv", index=False)
    out = tmp_path / "next.csv"
    assert main(["suggest", str(tmp_path / "u.csv"), "-n", "2", "-o", str(out), "--model", str(small_store)]) == 0
    picked = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert len(picked) == 2 and list(picked.columns[-1:]) == ["label"] and (picked["label"] == "").all()
    assert "柜员一直在玩手机，让我等了半小时" not in picked["text"].tolist()
    assert picked["score"].is_monotonic_decreasing


def test_review_threshold_reaches_target_precision():
    import numpy as np

    from rootcause.evaluation import coverage_at, review_threshold

    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.3, 1.0, 2000)
    truth = ["staff" if rng.uniform() < c else "random" for c in confidence]
    proba = np.column_stack([np.zeros(2000), confidence, np.zeros(2000), 1 - confidence])
    threshold = review_threshold(truth, proba, 0.95)
    assert 0.85 < threshold < 1.0
    assert coverage_at(truth, proba, threshold)["precision"] >= 0.95


OUT_OF_SCOPE = ["谢谢大堂经理的耐心服务，点赞", "请问信用卡年费是多少", "你好，在吗", "POS机办理加微信", "营业时间是几点到几点",
                "好评好评", "想咨询一下理财产品", "测试", "客服小姐姐声音很好听", "希望增加夜间模式", "今天天气不错",
                "兼职刷单日结加我", "表扬柜员小王", "怎么开通手机银行", "五星好评，转账很方便", "请问在哪里办社保卡"]


def test_out_of_scope_detector_and_model_card(tmp_path):
    from rootcause import load_classifier
    from rootcause.batch import classify_frame

    data = read_labelled(SMALL)
    store = tmp_path / "models"
    info = train_and_store(data, data, store, params=ModelParams(min_df=1), cv_folds=3,
                           out_of_scope=OUT_OF_SCOPE * 3).info
    assert {"model.joblib", "scope.joblib", "MODEL_CARD.md"} <= set(info.manifest["files"])
    card = (info.path / "MODEL_CARD.md").read_text(encoding="utf-8")
    for heading in ("## Intended use", "## Labels", "## Data", "## Metrics", "## Known limits", "test split (frozen)"):
        assert heading in card
    clf = load_classifier(store)
    praise, failure = clf.predict(["谢谢大堂经理的耐心服务，点赞", "柜员一直在玩手机，让我等了半小时"])
    assert not praise.in_scope and praise.needs_review and praise.failure_score < failure.failure_score
    assert failure.in_scope
    frame = classify_frame(clf, pd.DataFrame({"text": ["谢谢大堂经理的耐心服务，点赞", "柜员一直在玩手机，让我等了半小时"]}))
    assert frame["status"].tolist() == ["out of scope: describes no service failure", "ok"]
    assert pd.isna(frame["root_cause"][0]) and frame["root_cause"][1]
    never = load_classifier(store, scope_threshold=0.0)     # the user's override: nothing is out of scope
    assert all(p.in_scope for p in never.predict(["谢谢大堂经理的耐心服务，点赞", "柜员一直在玩手机，让我等了半小时"]))
    assert 0 < info.manifest["temperature"] and "temperature" in card


def test_a_real_dev_set_sets_the_out_of_scope_threshold(tmp_path):
    """With real failures to hold on to, at most 5% of them may be flagged; the rule is recorded."""
    import numpy as np

    from rootcause.scope import MAX_REAL_FAILURES_FLAGGED, failure_scores, fit_scope
    from rootcause.text import prepare_all

    data = read_labelled(SMALL)
    dev_failures = prepare_all(["网银又登不上了", "排队两小时", "卡被吞了没人管", "转账失败三次", "客服踢皮球",
                                "扣了我年费", "理财亏了说保本", "APP闪退", "柜员态度差", "突然停电"] * 2)
    dev_others = prepare_all(["谢谢", "请问几点开门", "好评"])
    scope, info = fit_scope(prepare_all(data["text"]), prepare_all(OUT_OF_SCOPE * 3), real_dev=(dev_failures, dev_others))
    flagged = np.mean(failure_scores(scope, dev_failures) < info["threshold"])
    assert flagged <= MAX_REAL_FAILURES_FLAGGED
    assert info["real_dev"]["failures_flagged"] == round(float(flagged), 4) and "real dev" in info["threshold_rule"]


def test_search_is_reproducible_and_recorded(tmp_path):
    from rootcause.training import search

    data = read_labelled(SMALL)
    grid = {"C": [1.0, 10.0]}
    first = search(data["text"], data["label"], ModelParams(min_df=1, seed=7), grid, folds=3)
    again = search(data["text"], data["label"], ModelParams(min_df=1, seed=7), grid, folds=3)
    assert first == again
    best, table = first
    assert len(table) == 2 and best.C == max(table, key=lambda r: (r["macro_f1"], -r["ece"]))["C"]
