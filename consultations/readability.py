"""How easy an update is to read: a warning for staff when "You said" or "We did" reads
above a reading age of about 11 (the level NHS content aims for).

The score is textstat's Flesch-Kincaid grade (a US school grade, from sentence length and
syllables per word), plus 5 for the age of a reader in that grade. A guide, not a rule: it
warns, and never stops anyone publishing. Only staff text is scored, on this server.
"""

import html
import math
from dataclasses import dataclass

import textstat
from django.utils.html import strip_tags

# A reading age above this gets a warning ("about 11": 11 years and a bit is fine).
READING_AGE_TARGET = 11
# Below this many words a score means little (one short sentence can score anything).
MINIMUM_WORDS = 12

HINT = (
    "Shorter sentences (under 20 words) and everyday words help: 'help' rather than "
    "'facilitate', 'we will' rather than 'it is intended'. If it must stay as it is, add an "
    "easy-read version."
)


@dataclass(frozen=True)
class Readability:
    field: str  # the field's label, as the editor shows it
    words: int
    reading_age: int | None  # None when too short to score

    @property
    def too_hard(self) -> bool:
        return self.reading_age is not None and self.reading_age > READING_AGE_TARGET

    @property
    def message(self) -> str:
        return (
            f'"{self.field}" reads at a reading age of about {self.reading_age} '
            f"(we aim for {READING_AGE_TARGET} or under). {HINT}"
        )


def plain_words(rich_text: str) -> str:
    """The words of a rich text field, without its markup; a list item ends a sentence."""
    text = str(rich_text or "").replace("</li>", ".</li> ").replace("</p>", "</p>\n")
    return " ".join(html.unescape(strip_tags(text)).split())


def reading_age(text: str) -> int | None:
    """About how old a reader must be to read `text` easily (None if too short to say)."""
    words = textstat.lexicon_count(text)
    if words < MINIMUM_WORDS:
        return None
    return max(5, math.ceil(textstat.flesch_kincaid_grade(text) + 5))


def update_readability(update) -> list[Readability]:
    """The reading age of an update's "You said" and "We did"."""
    results = []
    for name in ("you_said", "we_did"):
        text = plain_words(getattr(update, name))
        label = str(type(update)._meta.get_field(name).verbose_name).capitalize()
        results.append(
            Readability(
                field=label, words=textstat.lexicon_count(text), reading_age=reading_age(text)
            )
        )
    return results
