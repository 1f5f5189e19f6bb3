"""The hazard log (docs/clinical-safety/hazard-log.md) stays honest: every hazard cites at
least one test, every cited test exists, and a hazard with controls still planned says it is
open."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
CITATION = re.compile(r"`?(tests/[\w/]+\.py)::(\w+)`?")
HAZARD = re.compile(r"^### (H\d+): (.+)$", re.MULTILINE)


def hazards(text: str) -> dict[str, str]:
    """{"H1: Missed emergency": its section's text}."""
    found = list(HAZARD.finditer(text))
    sections = {}
    for number, match in enumerate(found):
        end = found[number + 1].start() if number + 1 < len(found) else len(text)
        next_part = text.find("\n## ", match.end())
        if next_part != -1:
            end = min(end, next_part)
        sections[f"{match.group(1)}: {match.group(2)}"] = text[match.end() : end]
    return sections


@cache
def functions_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def problems_of(text: str) -> list[str]:
    problems = []
    sections = hazards(text)
    if not sections:
        return ["no hazards found"]
    for name, section in sections.items():
        cited = CITATION.findall(section)
        if not cited:
            problems.append(f"{name} cites no test")
        for path, function in cited:
            if not (ROOT / path).is_file():
                problems.append(f"{name} cites {path}, which does not exist")
            elif function not in functions_in(path):
                problems.append(f"{name} cites {path}::{function}, which does not exist")
        status = re.search(r"\*\*Status\*\*: (.+)", section)
        if status is None:
            problems.append(f"{name} has no status")
        elif "Planned" in section and not status.group(1).startswith("Open"):
            problems.append(f"{name} has planned controls but its status is not Open")
    return problems


def test_every_hazard_cites_tests_that_exist():
    assert problems_of(LOG.read_text(encoding="utf-8")) == []


def test_the_log_covers_the_hazards_the_issue_names():
    names = " ".join(hazards(LOG.read_text(encoding="utf-8"))).lower()
    for hazard in (
        "missed emergency",
        "false reassurance",
        "published before anyone sees it",
        "personal data published",
        "safeguarding contact not reached",
        "wrong pcn told",
        "hostile text in highlights",
        "moderator misses an urgent hold",
    ):
        assert hazard in names


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("- **Controls**: none yet.\n- **Status**: Open", "cites no test"),
        (
            "- `tests/safety/test_check.py::test_that_does_not_exist`\n**Status**: Closed",
            "test_that_does_not_exist, which does not exist",
        ),
        ("- `tests/safety/test_nothing_here.py::test_x`\n**Status**: Closed", "does not exist"),
        (
            "- `tests/safety/test_check.py::test_a_hostile_label_is_escaped_too`\n"
            "- Planned: a queue.\n**Status**: Closed",
            "planned controls but its status is not Open",
        ),
    ],
)
def test_the_check_catches_a_dishonest_log(section, problem):
    text = f"# Log\n\n### H9: Something\n\n{section}\n"
    assert any(problem in found for found in problems_of(text)), problems_of(text)
