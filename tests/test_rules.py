from pathlib import Path

import pytest

from rootcause.cli import main
from rootcause.errors import RulesError
from rootcause.rules import load_rules, parse_rules
from rootcause.text import prepare

SHIPPED = load_rules()

# rule id -> (label, confidence, a text it fires on, label, confidence, a text it must not fire on)
CASES = {
    "general.apologise": ("staff", 0.9, "柜员态度差", None, None, None),
    "general.solve-now": ("random", 0.9, "网点停电", None, None, None),
    "general.keep-contact": ("customer", 0.9, "忘记密码", None, None, None),
    "systemic.fix": ("systemic", 0.9, "只开一个窗口", "staff", 0.9, "只开一个窗口"),
    "staff.correct": ("staff", 0.9, "柜员输错金额", "customer", 0.9, "柜员输错金额"),
    "customer.guide": ("customer", 0.9, "我忘记密码", "random", 0.9, "我忘记密码"),
    "random.inform": ("random", 0.9, "突然停电", "systemic", 0.9, "突然停电"),
    "customer.suggest-product": ("customer", 0.9, "我以为保本", "staff", 0.9, "我以为保本"),
    "money.compensation": ("staff", 0.9, "多收了我200元", "staff", 0.9, "柜员态度很差"),
    "care.accompanied-service": ("systemic", 0.9, "我爸七十多岁了坐轮椅", "systemic", 0.9, "我今年三十岁"),
    "escalate.regulator": ("staff", 0.9, "我要向金融監管局投訴", "staff", 0.9, "我要投诉你们"),
    "escalate.media": ("staff", 0.9, "我要找记者曝光", "staff", 0.9, "我要找经理"),
    "escalate.legal": ("systemic", 0.9, "已经请了律师准备起诉", "systemic", 0.9, "我很生气"),
    "escalate.close-accounts": ("systemic", 0.9, "我要把所有账户都销户", "systemic", 0.9, "我要开户"),
    "review.low-confidence": ("staff", 0.4, "不知道怎么回事", "staff", 0.95, "不知道怎么回事"),
}


def fired(label, confidence, text):
    return {rule_id for rule_id, _ in SHIPPED.apply(label, confidence, prepare(text)).fired}


def test_every_shipped_rule_has_a_case():
    assert {r.id for r in SHIPPED.rules} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_shipped_rule_fires_and_abstains(rule_id):
    label, confidence, text, no_label, no_confidence, no_text = CASES[rule_id]
    assert rule_id in fired(label, confidence, text)
    if no_text is not None:
        assert rule_id not in fired(no_label, no_confidence, no_text)


def test_remedies_are_in_priority_order_without_duplicates_and_name_their_rule():
    outcome = SHIPPED.apply("staff", 0.3, prepare("老人被多收了手续费，我要打12378"))
    ids = [r.rule_id for r in outcome.remedies]
    priorities = {r.id: r.priority for r in SHIPPED.rules}
    assert [priorities[i] for i in ids] == sorted((priorities[i] for i in ids), reverse=True)
    assert len({r.zh for r in outcome.remedies}) == len(outcome.remedies)
    assert outcome.escalation == ("regulator complaint (监管投诉)",)


GOOD = '[[rules]]\nid = "a"\npriority = 1\nremedies = [{ zh = "道歉", en = "apologise" }]\n'


@pytest.mark.parametrize(
    "document, message",
    [
        ("not = [toml", "not valid TOML"),
        ("x = 1", "no \\[\\[rules\\]\\] entries"),
        ('[[rules]]\npriority = 1\nremedies = []', "rule #1: missing field 'id'"),
        ('[[rules]]\nid = "b"\nremedies = []', "rule 'b': missing field 'priority'"),
        ('[[rules]]\nid = "b"\npriority = 1', "rule 'b': missing field 'remedies'"),
        (GOOD + GOOD, "rule 'a': duplicate id"),
        (GOOD + '[rules.when]\nlabels = ["systemc"]', "rule 'a': unknown label\\(s\\) systemc"),
        (GOOD + '[rules.when]\npatterns = ["(unclosed"]', "rule 'a': bad regular expression '\\(unclosed'"),
        (GOOD + '[rules.when]\nmax_confidence = 2', "rule 'a': field 'when.max_confidence' must be a number"),
        (GOOD + '[rules.when]\nkeyword = ["x"]', "rule 'a': unknown condition\\(s\\) keyword"),
        (GOOD.replace('priority = 1', 'priority = "high"'), "rule 'a': field 'priority' must be an integer"),
        (GOOD.replace('zh = "道歉", ', ''), "rule 'a': remedies\\[0\\] must be a table with a non-empty 'zh'"),
    ],
)
def test_invalid_rules_are_rejected_naming_rule_and_field(document, message):
    with pytest.raises(RulesError, match=message):
        parse_rules(document, "my.toml")


def test_rules_check_cli(tmp_path: Path, capsys):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD + GOOD, encoding="utf-8")
    assert main(["rules", "check", str(good)]) == 0
    assert "1 rules, valid" in capsys.readouterr().out
    assert main(["rules", "check", str(bad)]) == 1
    assert "RulesError: " in (err := capsys.readouterr().err) and "rule 'a': duplicate id" in err


def test_rules_explain_cli(small_store, capsys):
    assert main(["rules", "explain", "--model", str(small_store), "柜员多收了200元手续费，我要打12378"]) == 0
    out = capsys.readouterr().out
    assert "escalate.regulator: text contains '12378'" in out and "money.compensation" in out


def test_user_rules_file_replaces_shipped_rules(small_store, tmp_path):
    from rootcause import load_classifier

    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    [p] = load_classifier(small_store, rules=path).predict(["柜员态度差"])
    assert [r.rule_id for r in p.remedies] == ["a"]
