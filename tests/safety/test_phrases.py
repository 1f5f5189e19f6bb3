"""The phrase language of the urgent-need rules, and the checks on the rules file."""

import re
from pathlib import Path

import pytest

from engage.safety import RulesError, check_text, load_rules
from engage.safety.phrases import RULES_FILE, compile_phrase, parse_rules


def matches(phrase: str, text: str) -> bool:
    return bool(re.search(compile_phrase(phrase), text, re.IGNORECASE))


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("chest pain", "Chest  pain", True),
        ("chest pain", "chest, pain", True),
        ("chest pain", "chestpain", False),
        ("chest pain", "chest painful", False),
        ("chest pain*", "chest painful", True),
        ("overdos*", "she overdosed", True),
        ("overdos*", "nonoverdose", False),
        ("can't breathe", "cant breathe", True),
        ("can't breathe", "can\u2019t breathe", True),
        ("self-harm", "self harm", True),
        ("self-harm", "selfharm", True),
        ("self-harm", "self-harm", True),
        ("(pills|tablets) taken", "tablets taken", True),
        ("feeling (really|very)? low", "feeling low", True),
        ("feeling (really|very)? low", "feeling very low", True),
        ("feeling (really|very)? low", "feeling quite low", False),
        ("(really )?bad pain", "bad pain", True),
        ("can't ... breathe", "can't really properly breathe", True),
        ("can't ... breathe", "can't one two three four breathe", False),
        ("(my|his) (left|right)? arm", "his right arm", True),
    ],
)
def test_the_phrase_language(phrase, text, expected):
    assert matches(phrase, text) is expected


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("", "empty"),
        ("(chest pain", "never closed"),
        ("chest pain)", "unexpected ')'"),
        ("chest [pain]", "unexpected '['"),
        ("... chest", "between two words"),
        ("chest ...", "between two words"),
        ("chest ... ... pain", "two gaps"),
        ("(a|b)?", "at least one word"),
        ("(chest|)", "at least one word"),
    ],
)
def test_a_malformed_phrase_is_refused_with_the_reason(phrase, problem):
    with pytest.raises(RulesError, match=re.escape(problem)):
        compile_phrase(phrase)


GOOD = {
    "category": [{"key": "breathing", "label": "Difficulty breathing", "advice": "Call 999."}],
    "trigger": [{"category": "breathing", "phrases": ["can't breathe"]}],
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"category": []}, "no [[category]] entries"),
        ({"trigger": []}, "categories with no trigger: ['breathing']"),
        ({"trigger": [{"category": "strok", "phrases": ["x"]}]}, "trigger 1: no category"),
        ({"trigger": [{"category": "breathing", "phrases": []}]}, "trigger 1: 'phrases'"),
        ({"trigger": [{"category": "breathing", "phrases": [3]}]}, "every phrase must be text"),
        (
            {"trigger": [{"category": "breathing", "phrases": ["(can't"]}]},
            "trigger 1: the phrase '(can't': a bracket is opened but never closed",
        ),
        ({"category": [{"key": "breathing", "label": ""}]}, "category 1: 'label'"),
        ({"history_categories": ["bleeding"]}, "history_categories: no category"),
        ({"triggers": []}, "unknown tables ['triggers']"),
    ],
)
def test_a_bad_entry_in_the_rules_is_refused_naming_it(change, problem):
    with pytest.raises(RulesError, match=re.escape(problem)):
        parse_rules({**GOOD, **change})


def test_a_rules_file_that_is_not_toml_is_refused(tmp_path: Path):
    broken = tmp_path / "rules.toml"
    broken.write_text("[[category]\nkey = ")
    with pytest.raises(RulesError, match=r"rules\.toml is not valid TOML"):
        load_rules(broken)


def test_rules_passed_in_are_used_instead_of_the_file():
    rules = parse_rules(GOOD)
    report = check_text("I can't breathe", rules=rules)
    assert [category.advice for category in report.urgent_categories] == ["Call 999."]
    assert not check_text("I have chest pain", rules=rules).is_urgent


def test_the_rules_file_loads_and_every_category_has_a_label_and_advice():
    rules = load_rules(RULES_FILE)
    assert len(rules.categories) == 9
    for category in rules.categories.values():
        assert category.label and category.advice
