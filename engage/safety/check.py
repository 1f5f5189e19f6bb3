"""`check_text()`: what in a resident's text reads as an urgent need, and what is personal data.

The urgent-need rules are data (`urgent_phrases.toml`, read once by `phrases.load_rules`);
each match says which phrase found it, so a clinician can see why. A match is set aside
when an exception phrase overlaps it ("chest clinic") or, for the categories that allow it,
when its sentence tells it as history ("last year") and does not say it is happening now.
Set-aside matches are kept in the report too, with the phrase that set them aside, so a
reviewer can see what the engine decided not to raise.
"""

import bisect
import re
from dataclasses import dataclass, field, replace

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from engage.safety.personal import PersonalMatch, find_personal_data
from engage.safety.phrases import Category, Rules, load_rules

# Where a sentence ends, for the history rule: a full stop, ! or ? with a space after it,
# or a line break.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s)|\n")


@dataclass(frozen=True)
class UrgentMatch:
    """Words that read as an urgent need: the category, where, and the phrase that matched."""

    category: str
    label: str
    start: int
    end: int
    text: str
    phrase: str
    # The phrase that set this match aside, if one did ("" for a match that stands).
    set_aside_by: str = ""


@dataclass(frozen=True)
class SafetyReport:
    """What `check_text` found in one text."""

    text: str
    urgent_matches: tuple[UrgentMatch, ...] = ()
    personal_matches: tuple[PersonalMatch, ...] = ()
    # The categories found, once each, in the order of the rules file: label and advice.
    urgent_categories: tuple[Category, ...] = ()
    # Matches an exception or a history phrase set aside, for reviewers; never shown.
    set_aside_matches: tuple[UrgentMatch, ...] = field(default=(), repr=False)

    @property
    def is_urgent(self) -> bool:
        return bool(self.urgent_matches)

    @property
    def has_personal_data(self) -> bool:
        return bool(self.personal_matches)

    def redacted(self) -> str:
        """The text with each piece of personal data replaced by "[phone number removed]"."""
        pieces, position = [], 0
        for match in self.personal_matches:
            pieces += [self.text[position : match.start], f"[{match.kind} removed]"]
            position = match.end
        pieces.append(self.text[position:])
        return "".join(pieces)

    def highlighted_html(self, *, urgent: bool = True, personal: bool = True) -> SafeString:
        """The text as HTML, escaped, with each match in a `<mark>` saying what it is."""
        spans = []
        if urgent:
            spans += [(match.start, match.end, match.label) for match in self.urgent_matches]
        if personal:
            spans += [(match.start, match.end, match.label) for match in self.personal_matches]
        return highlight_html(self.text, spans)


def highlight_html(text: str, spans: list[tuple[int, int, str]]) -> SafeString:
    """`text` escaped, each (start, end, label) span in a `<mark>`, line breaks as `<br>`.

    Overlapping spans are joined into one mark that names every label. The label follows the
    marked words in a visually hidden span, for screen readers, which announce no `<mark>`.
    """
    merged: list[list] = []
    for start, end, label in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if label not in merged[-1][2]:
                merged[-1][2].append(label)
        else:
            merged.append([start, end, [label]])
    pieces, position = [], 0
    for start, end, labels in merged:
        pieces.append(_escaped(text[position:start]))
        pieces.append(
            format_html(
                '<mark class="engage-safety-match">{}<span class="nhsuk-u-visually-hidden">'
                " ({})</span></mark>",
                _escaped(text[start:end]),
                ", ".join(labels),
            )
        )
        position = end
    pieces.append(_escaped(text[position:]))
    # Every piece is escaped text or built by format_html.
    return mark_safe("".join(pieces))  # noqa: S308


def _escaped(text: str) -> SafeString:
    return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 - escaped first


def check_text(text: str, *, rules: Rules | None = None) -> SafetyReport:
    """Check `text` for urgent needs and personal data; see the module's docstring."""
    text = text or ""
    rules = rules or load_rules()
    standing, set_aside = _urgent_matches(text, rules)
    found = {match.category for match in standing}
    return SafetyReport(
        text=text,
        urgent_matches=tuple(standing),
        urgent_categories=tuple(
            category for key, category in rules.categories.items() if key in found
        ),
        personal_matches=tuple(find_personal_data(text)),
        set_aside_matches=tuple(set_aside),
    )


def _urgent_matches(text: str, rules: Rules) -> tuple[list[UrgentMatch], list[UrgentMatch]]:
    # Rules are written in lower case, and lower-case text is matched about four times faster
    # without IGNORECASE. A character whose lower case is longer (İ) is kept as it is, so
    # every position in the scanned text is the same as in `text`.
    scanned = text.lower()
    if len(scanned) != len(text):
        scanned = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    candidates: list[UrgentMatch] = []
    for scanner in rules.scanners:
        for found in scanner.finditer(scanned):
            rule = rules.trigger_of(found.lastgroup)
            candidates.append(
                UrgentMatch(
                    category=rule.category,
                    label=rules.categories[rule.category].label,
                    start=found.start(),
                    end=found.end(),
                    text=text[found.start() : found.end()],
                    phrase=rule.phrase,
                )
            )
    if not candidates:
        return [], []

    # A phrase never reaches past the end of a sentence, so an exception or a history phrase
    # is looked for only in the sentences that have a candidate, and only for its categories.
    sentences = _sentences(text)
    starts = [start for start, _ in sentences]
    by_sentence: dict[tuple[int, int], list[UrgentMatch]] = {}
    for match in candidates:
        sentence = sentences[bisect.bisect_right(starts, match.start) - 1]
        by_sentence.setdefault(sentence, []).append(match)
    standing, set_aside = [], []
    for (start, end), matches in by_sentence.items():
        categories = {match.category for match in matches}
        exceptions = [
            (rule, found.start(), found.end())
            for rule in rules.exceptions
            if rule.category == "*" or rule.category in categories
            for found in rule.pattern.finditer(scanned, start, end)
        ]
        history = (
            _history_in(scanned[start:end], rules) if categories & rules.history_categories else ""
        )
        for match in matches:
            reason = _exception_for(match, exceptions) or (
                history if match.category in rules.history_categories else ""
            )
            if reason:
                set_aside.append(replace(match, set_aside_by=reason))
            else:
                standing.append(match)
    return _without_overlaps(standing), set_aside


def _exception_for(match: UrgentMatch, exceptions) -> str:
    for rule, start, end in exceptions:
        if rule.category in ("*", match.category) and start < match.end and match.start < end:
            return f"exception: {rule.phrase}"
    return ""


def _history_in(sentence: str, rules: Rules) -> str:
    """The history phrase that tells `sentence` as past, unless it also says "now"; or ""."""
    if any(rule.pattern.search(sentence) for rule in rules.present):
        return ""
    for rule in rules.history:
        if rule.pattern.search(sentence):
            return f"history: {rule.phrase}"
    return ""


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for found in _SENTENCE_END.finditer(text):
        bounds.append((start, found.end()))
        start = found.end()
    bounds.append((start, len(text)))
    return bounds


def _without_overlaps(matches: list[UrgentMatch]) -> list[UrgentMatch]:
    """One match for overlapping matches of one category: the first, or the longer."""
    matches.sort(key=lambda match: (match.start, -match.end))
    kept: list[UrgentMatch] = []
    last_end: dict[str, int] = {}
    for match in matches:
        if match.start < last_end.get(match.category, -1):
            continue
        kept.append(match)
        last_end[match.category] = match.end
    return kept
