"""The phrase language of the urgent-need rules, and the rules file that uses it.

A rule is a phrase a clinician can read, not a regular expression. `compile_phrase()` turns
one into a regular expression; `load_rules()` reads `urgent_phrases.toml`, checks every entry
and compiles it once.

The phrase language (every match is case-insensitive and of whole words):

- `chest pain` — the words in that order, with spaces or punctuation between them, but not
  the end of a sentence (. ! ? or a line break).
- `overdos*` — a word that starts so: overdose, overdosed, overdosing.
- `can't` — the apostrophe is optional, straight or curly (U+2019): can't, cant.
- `self-harm` — the hyphen is optional or a space: self-harm, self harm, selfharm.
- `(pills|tablets|paracetamol)` — any one of the choices; a choice may be several words and
  may hold choices of its own: `(my|his|her) (arm|leg)`.
- `(really|very)?` — the choice may be left out: "feeling suicidal", "feeling very suicidal".
- `...` — up to three other words may stand here: `can't ... breathe` matches "can't
  breathe" and "cant really properly breathe".
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).with_name("urgent_phrases.toml")

# What stands between two words of a phrase: spaces and punctuation, but no more than a few
# characters, and never the end of a sentence (. ! ? or a line break): a phrase, and so an
# exception, stays within one sentence.
_BETWEEN = r"[^\w.!?\n]{1,5}"
# The `...` gap: up to three words, each with what stands before it.
_GAP_WORDS = 3
_WORD = re.compile(r"[a-z0-9][a-z0-9'\u2019-]*\*?")


class RulesError(ValueError):
    """The rules file, or one phrase in it, is not written as the phrase language expects."""


def compile_phrase(phrase: str, *, whole_words: bool = True) -> str:
    """The regular expression (a string) that `phrase` stands for; RulesError if malformed."""
    text = phrase.strip().lower()
    if not text:
        raise RulesError("the phrase is empty")
    body, position = _sequence(text, 0)
    if position != len(text):
        raise RulesError(f"unexpected '{text[position]}' at character {position + 1}")
    return _whole_words(body) if whole_words else body


def _whole_words(regex: str) -> str:
    # Every phrase starts with a letter or digit: `(?=\w)` lets a scan pass over spaces and
    # punctuation without trying each phrase there.
    return rf"(?<!\w)(?=\w)(?:{regex})(?!\w)"


def _sequence(text: str, position: int) -> tuple[str, int]:
    """Items separated by spaces, up to `|`, `)` or the end."""
    items: list[tuple[str, str]] = []  # (kind: word, optional or gap; regular expression)
    while position < len(text):
        character = text[position]
        if character == " ":
            position += 1
        elif character in "|)":
            break
        elif text.startswith("...", position):
            if items and items[-1][0] == "gap":
                raise RulesError("two gaps (...) in a row")
            items.append(("gap", ""))
            position += 3
        elif character == "(":
            choices, position = _choices(text, position + 1)
            if position < len(text) and text[position] == "?":
                items.append(("optional", choices))
                position += 1
            else:
                items.append(("word", choices))
        elif found := _WORD.match(text, position):
            items.append(("word", _word(found.group())))
            position = found.end()
        else:
            raise RulesError(f"unexpected '{character}' at character {position + 1}")
    if not any(kind == "word" for kind, _ in items):
        raise RulesError("a phrase (or a choice in it) needs at least one word that must be there")
    if items[0][0] == "gap" or items[-1][0] == "gap":
        raise RulesError("a gap (...) must stand between two words")
    return _join(items), position


def _choices(text: str, position: int) -> tuple[str, int]:
    """`a|b c|d)` after an opening bracket: the choices, and the position after `)`."""
    alternatives = []
    while True:
        alternative, position = _sequence(text, position)
        alternatives.append(alternative)
        if position >= len(text):
            raise RulesError("a bracket is opened but never closed")
        if text[position] == ")":
            return "(?:" + "|".join(alternatives) + ")", position + 1
        position += 1  # past the "|"


def _word(word: str) -> str:
    starred = word.endswith("*")
    word = word.rstrip("*")
    pieces = []
    for character in word:
        if character in "'\u2019":
            pieces.append("['\u2019]?")
        elif character == "-":
            pieces.append(r"[\s-]?")
        else:
            pieces.append(re.escape(character))
    return "".join(pieces) + (r"\w*" if starred else "")


def _join(items: list[tuple[str, str]]) -> str:
    """Join the items with what may stand between words; an optional item takes its own."""
    pattern = ""
    needs_between = False  # has a word been placed that the next one must be kept apart from?
    gap = False
    for kind, regex in items:
        if kind == "gap":
            gap = True
            continue
        between = rf"(?:{_BETWEEN}\w+){{0,{_GAP_WORDS}}}{_BETWEEN}" if gap else _BETWEEN
        gap = False
        if kind == "optional":
            # The optional item carries the space on its own side, so leaving it out leaves
            # one space between its neighbours.
            pattern += f"(?:{between}{regex})?" if needs_between else f"(?:{regex}{_BETWEEN})?"
        else:
            pattern += (between if needs_between else "") + regex
            needs_between = True
    return pattern


@dataclass(frozen=True)
class Category:
    """A kind of urgent need: its key, its label in plain English, and what to do."""

    key: str
    label: str
    advice: str


@dataclass(frozen=True)
class Rule:
    """One phrase that signals a category, or (an exception) that sets a match aside."""

    category: str  # a category's key; for an exception, "*" for every category
    phrase: str
    # For text in lower case: phrases are lower case, and matching without IGNORECASE is
    # about four times faster. `check_text` lowers the text once.
    pattern: re.Pattern
    note: str = ""


@dataclass(frozen=True)
class Rules:
    categories: dict[str, Category]
    triggers: tuple[Rule, ...]
    exceptions: tuple[Rule, ...]
    # Exceptions that reach the whole sentence: "last year" sets aside a chest pain match.
    history: tuple[Rule, ...]
    history_categories: frozenset[str]
    # In a sentence that says it is happening now ("again", "right now"), history does not.
    present: tuple[Rule, ...]
    # One scan per category, of text in lower case: every trigger of the category as one
    # alternation, a named group per trigger ("t12" is triggers[12]).
    scanners: tuple[re.Pattern, ...] = ()

    def trigger_of(self, group_name: str) -> Rule:
        return self.triggers[int(group_name[1:])]


def parse_rules(data: dict, *, source: str = "the rules") -> Rules:
    """Check and compile rules read from TOML; RulesError naming the bad entry."""
    categories: dict[str, Category] = {}
    for index, entry in enumerate(data.get("category", []), start=1):
        where = f"{source}: category {index}"
        key, label, advice = (_text(entry, field, where) for field in ("key", "label", "advice"))
        if key in categories:
            raise RulesError(f"{where}: the key '{key}' is used twice")
        categories[key] = Category(key=key, label=label, advice=advice)
    if not categories:
        raise RulesError(f"{source}: no [[category]] entries")

    def rules_of(table: str, *, any_category: bool) -> tuple[Rule, ...]:
        rules = []
        for index, entry in enumerate(data.get(table, []), start=1):
            where = f"{source}: {table} {index}"
            category = _text(entry, "category", where)
            if category not in categories and not (any_category and category == "*"):
                raise RulesError(f"{where}: no category has the key '{category}'")
            phrases = entry.get("phrases")
            if not isinstance(phrases, list) or not phrases:
                raise RulesError(f"{where}: 'phrases' must be a list of at least one phrase")
            note = entry.get("note", "")
            if not isinstance(note, str):
                raise RulesError(f"{where}: 'note' must be text")
            for phrase in phrases:
                if not isinstance(phrase, str):
                    raise RulesError(f"{where}: every phrase must be text, not {phrase!r}")
                try:
                    pattern = re.compile(compile_phrase(phrase))
                except (RulesError, re.error) as problem:
                    raise RulesError(f"{where}: the phrase '{phrase}': {problem}") from None
                rules.append(
                    Rule(
                        category=category,
                        phrase=phrase,
                        pattern=pattern,
                        note=note,
                    )
                )
        return tuple(rules)

    extra = set(data) - {
        "category",
        "trigger",
        "exception",
        "history",
        "history_categories",
        "present",
    }
    if extra:
        raise RulesError(f"{source}: unknown tables {sorted(extra)}")
    triggers = rules_of("trigger", any_category=False)
    history_categories = data.get("history_categories", [])
    for key in history_categories:
        if key not in categories:
            raise RulesError(f"{source}: history_categories: no category has the key '{key}'")
    missing = set(categories) - {rule.category for rule in triggers}
    if missing:
        raise RulesError(f"{source}: categories with no trigger: {sorted(missing)}")
    return Rules(
        categories=categories,
        triggers=triggers,
        exceptions=rules_of("exception", any_category=True),
        history=rules_of("history", any_category=True),
        history_categories=frozenset(history_categories),
        present=rules_of("present", any_category=True),
        scanners=_scanners(triggers),
    )


def _scanners(triggers: tuple[Rule, ...]) -> tuple[re.Pattern, ...]:
    by_category: dict[str, list[str]] = {}
    for index, rule in enumerate(triggers):
        body = compile_phrase(rule.phrase, whole_words=False)
        by_category.setdefault(rule.category, []).append(f"(?P<t{index}>{body})")
    scanners = []
    for alternatives in by_category.values():
        # The word boundaries once, outside: a scan then looks at each word's start only.
        scanners.append(re.compile(_whole_words("|".join(alternatives))))
    return tuple(scanners)


def _text(entry, field: str, where: str) -> str:
    value = entry.get(field) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: '{field}' must be some text")
    return value.strip()


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rules of `path`, read, checked and compiled once per process."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as problem:
        raise RulesError(f"{path.name} is not valid TOML: {problem}") from None
    return parse_rules(data, source=path.name)
