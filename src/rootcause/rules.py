"""Remedies and escalation as data: load, validate and apply the rules in a TOML file.

A rule that does not apply abstains; the rules that apply contribute their remedies (in
priority order, without duplicates) and, for escalation rules, a reason to escalate.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rootcause.errors import RulesError
from rootcause.labels import LABELS
from rootcause.text import normalize

_RULE_FIELDS = {"id", "priority", "remedies", "escalate", "when"}
_WHEN_FIELDS = {"labels", "keywords", "patterns", "min_confidence", "max_confidence"}


@dataclass(frozen=True)
class Remedy:
    """One suggested step of service recovery, with the rule that produced it."""

    zh: str
    en: str
    rule_id: str

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Rule:
    """A named rule: when it applies, and what it suggests."""

    id: str
    priority: int
    remedies: tuple[Remedy, ...] = ()
    escalate: str | None = None
    labels: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    min_confidence: float | None = None
    max_confidence: float | None = None

    def why(self, label: str, confidence: float, text: str) -> str | None:
        """Why the rule applies to this prediction, or ``None`` when it abstains.

        ``text`` is the normalised, masked complaint.
        """
        reasons = []
        if self.labels:
            if label not in self.labels:
                return None
            reasons.append(f"label is {label}")
        if self.keywords or self.patterns:
            hit = next((k for k in self.keywords if k in text), None)
            if hit is not None:
                reasons.append(f"text contains {hit!r}")
            else:
                match = next((m for p in self.patterns if (m := p.search(text))), None)
                if match is None:
                    return None
                reasons.append(f"text matches {match.re.pattern!r} at {match.group()!r}")
        if self.min_confidence is not None:
            if confidence < self.min_confidence:
                return None
            reasons.append(f"confidence {confidence:.2f} >= {self.min_confidence}")
        if self.max_confidence is not None:
            if confidence >= self.max_confidence:
                return None
            reasons.append(f"confidence {confidence:.2f} < {self.max_confidence}")
        return "; ".join(reasons) or "applies to every complaint"


@dataclass(frozen=True)
class Outcome:
    """What the rules say about one prediction."""

    remedies: tuple[Remedy, ...]
    escalation: tuple[str, ...]
    fired: tuple[tuple[str, str], ...] = field(default=())  # (rule id, why)


@dataclass(frozen=True)
class RuleSet:
    """An ordered, validated set of rules."""

    rules: tuple[Rule, ...]
    source: str

    def apply(self, label: str, confidence: float, text: str) -> Outcome:
        """Apply every rule to a prediction on the normalised, masked ``text``."""
        remedies: list[Remedy] = []
        seen: set[str] = set()
        escalation: list[str] = []
        fired = []
        for rule in self.rules:  # already sorted by priority
            reason = rule.why(label, confidence, text)
            if reason is None:
                continue
            fired.append((rule.id, reason))
            if rule.escalate and rule.escalate not in escalation:
                escalation.append(rule.escalate)
            for remedy in rule.remedies:
                if remedy.zh not in seen:
                    seen.add(remedy.zh)
                    remedies.append(remedy)
        return Outcome(tuple(remedies), tuple(escalation), tuple(fired))


def _fail(where: str, message: str) -> RulesError:
    return RulesError(f"{where}: {message}")


def _str_list(value: Any, where: str, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(where, f"field '{name}' must be a list of non-empty strings")
    return value


def _parse_rule(raw: Any, index: int, source: str) -> Rule:
    where = f"{source}: rule #{index + 1}"
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a table ([[rules]])")
    if "id" not in raw or not isinstance(raw["id"], str) or not raw["id"].strip():
        raise _fail(where, "missing field 'id' (a non-empty string)")
    where = f"{source}: rule '{raw['id']}'"
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_RULE_FIELDS))}")
    if "priority" not in raw:
        raise _fail(where, "missing field 'priority' (an integer)")
    if not isinstance(raw["priority"], int) or isinstance(raw["priority"], bool):
        raise _fail(where, "field 'priority' must be an integer")
    if "remedies" not in raw and "escalate" not in raw:
        raise _fail(where, "missing field 'remedies' (a rule must suggest remedies or escalate)")
    remedies = []
    for j, item in enumerate(raw.get("remedies", [])):
        if not isinstance(item, Mapping) or not isinstance(item.get("zh"), str) or not item["zh"].strip():
            raise _fail(where, f"remedies[{j}] must be a table with a non-empty 'zh' (and an 'en' gloss)")
        remedies.append(Remedy(item["zh"].strip(), str(item.get("en", "")).strip(), raw["id"]))
    escalate = raw.get("escalate")
    if escalate is not None and (not isinstance(escalate, str) or not escalate.strip()):
        raise _fail(where, "field 'escalate' must be a non-empty string")
    when = raw.get("when", {})
    if not isinstance(when, Mapping):
        raise _fail(where, "field 'when' must be a table")
    unknown = set(when) - _WHEN_FIELDS
    if unknown:
        raise _fail(where, f"unknown condition(s) {', '.join(sorted(unknown))} in 'when'; allowed: {', '.join(sorted(_WHEN_FIELDS))}")
    labels = _str_list(when.get("labels", []), where, "when.labels")
    bad = [label for label in labels if label not in LABELS]
    if bad:
        raise _fail(where, f"unknown label(s) {', '.join(bad)} in 'when.labels'; expected {', '.join(LABELS)}")
    patterns = []
    for pattern in _str_list(when.get("patterns", []), where, "when.patterns"):
        try:
            patterns.append(re.compile(pattern))
        except re.error as exc:
            raise _fail(where, f"bad regular expression {pattern!r} in 'when.patterns': {exc}") from exc
    bounds = {}
    for name in ("min_confidence", "max_confidence"):
        value = when.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1):
            raise _fail(where, f"field 'when.{name}' must be a number between 0 and 1")
        bounds[name] = value
    keywords = tuple(normalize(k) for k in _str_list(when.get("keywords", []), where, "when.keywords"))
    return Rule(
        id=raw["id"],
        priority=raw["priority"],
        remedies=tuple(remedies),
        escalate=escalate.strip() if escalate else None,
        labels=frozenset(labels),
        keywords=keywords,
        patterns=tuple(patterns),
        **bounds,
    )


def parse_rules(document: str, source: str = "<rules>") -> RuleSet:
    """Validate and build a rule set from the text of a TOML rules file."""
    try:
        data = tomllib.loads(document)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{source}: not valid TOML: {exc}") from exc
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError(f"{source}: no [[rules]] entries found")
    rules = [_parse_rule(raw, i, source) for i, raw in enumerate(raw_rules)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RulesError(f"{source}: rule '{rule.id}': duplicate id")
        seen.add(rule.id)
    ordered = sorted(rules, key=lambda r: -r.priority)  # stable: file order breaks ties
    return RuleSet(tuple(ordered), source)


def load_rules(path: Path | str | None = None) -> RuleSet:
    """Load the rules in ``path``, or the rules shipped with the package when ``None``."""
    if path is None:
        text = resources.files("rootcause.resources").joinpath("remedies.toml").read_text(encoding="utf-8")
        return parse_rules(text, "remedies.toml (shipped)")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RulesError(f"no rules file at {path}") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path}: not UTF-8 text ({exc})") from exc
    return parse_rules(text, str(path))

