"""Display names that cannot pass for someone they are not.

A resident's display name shows beside everything they post. It must not claim a role (a
PPG moderator, NHS staff, the Engage team), nor pass for an NHS organisation (a PCN, a
practice, an ICS or Place) or speak as a whole neighbourhood, however it is disguised:
other alphabets' lookalike letters, fullwidth forms, invisible characters, accents, extra
spaces and punctuation, or digits for letters ("Adm1n", "N.H.S", "R1verside PCN").

`validate_display_name(name, user=...)` is the one check. It compares *skeletons*: the name
normalised (NFKC), with lookalike letters and digits mapped to the Latin letter they look like,
transliterated to ASCII (`anyascii`), case-folded, and stripped of everything but letters.
Words are compared as words, so "Dr" is refused but "Andrew" is not, and "Badminton" passes
though "Admin" does not; longer words and names are also refused inside other words.

- Roles and organisation words (`ROLE_WORDS`) are refused anywhere in a name.
- The names of organisations (PCNs, practices, ICSs) are refused anywhere in a name.
- The names of places people live in (neighbourhoods, Places), and organisations' names
  without their generic words ("Riverside" of "Riverside Medical Centre"), are refused
  when they are all the name says ("Riverside", "Riverside Health"): "Rosa from Riverside"
  is how residents say where they live, and is welcome.

People who have a role (in any group, or staff) are exempt: they are who they say, and some
show it ("Asha Patel (PPG)"). The control and direction characters of any name are refused
by `engage.text.validate_single_line`, before this check.

Which organisations and places exist is not this module's business: the app that keeps them
registers a source with `reserved_names_register()` when it is ready (see `home.apps`).
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from django.core.exceptions import ValidationError

# The data: what a resident's display name may not say.

# Roles, and words only an organisation would use of itself. Refused anywhere in a name,
# with or without an "s" at the end.
ROLE_WORDS = (
    # Running the site and the discussion
    "admin",
    "administrator",
    "sysadmin",
    "moderator",
    "moderation",
    "mod",
    "ppg",
    "patient participation group",
    "engage",
    "engage team",
    "support team",
    "helpdesk",
    "official",
    "verified",
    "staff",
    # The NHS and the people who work in it
    "nhs",
    "gp",
    "dr",
    "doctor",
    "nurse",
    "practice manager",
    "practice nurse",
    "receptionist",
    "pharmacist",
    "paramedic",
    "clinician",
    "caldicott guardian",
    "safeguarding lead",
    "data protection officer",
    # NHS organisations, whatever their name
    "pcn",
    "primary care network",
    "icb",
    "integrated care board",
    "ics",
    "integrated care system",
    "ccg",
    "surgery",
    "medical centre",
    "medical center",
    "health centre",
    "health center",
)
# Generic words of an organisation's name: with these (and role words, and `FILLER_WORDS`)
# taken away, what is left of a name must not be just a place or an organisation's own name.
GENERIC_WORDS = (
    "health",
    "care",
    "healthcare",
    "team",
    "service",
    "services",
    "network",
    "partnership",
    "practice",
    "group",
    "centre",
    "center",
    "clinic",
    "medical",
    "hub",
    "community",
    "council",
    "family",
    "place",
    "neighbourhood",
    "trust",
    "board",
    "system",
    "primary",
    "integrated",
    "official",
    "news",
    "info",
    "updates",
)
# Words ignored when names are compared: "Riverside & Meadowbank" is "Riverside and Meadowbank".
FILLER_WORDS = ("the", "and", "of", "for", "at")

# Letters of other alphabets that look like a Latin letter but transliterate to another one
# (Cyrillic capital En is "N" to anyascii, but looks like "H"); anyascii maps the rest well.
# Each string of escapes is read against the Latin letters after it, one for one.
_LOOKALIKES = (
    # Cyrillic capitals: A, Ve, Ie, Ka, Em, En, O, Er, Es, Te, U, Ha, Dze, I, Je, Komi De
    (
        "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420"
        "\u0421\u0422\u0423\u0425\u0405\u0406\u0408\u0500",
        "ABEKMHOPCTYXSIJD",
    ),
    # Cyrillic small letters: the same, then Ghe, Pe, Shha, soft sign, Qa, We, Palochka
    (
        "\u0430\u0432\u0435\u043a\u043c\u043d\u043e\u0440"
        "\u0441\u0442\u0443\u0445\u0455\u0456\u0458\u0501"
        "\u0433\u043f\u04bb\u044c\u051b\u051d\u04cf",
        "abekmhopctyxsijdrnhbqwl",
    ),
    # Greek capitals: Alpha, Beta, Epsilon, Zeta, Eta, Iota, Kappa, Mu, Nu, Omicron, Rho,
    # Tau, Upsilon, Chi
    (
        "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
        "ABEZHIKMNOPTYX",
    ),
    # Greek small letters: alpha, beta, epsilon, iota, kappa, nu, omicron, rho, tau,
    # upsilon, chi, eta
    (
        "\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7\u03b7",
        "abeikvoptuxn",
    ),
    # Symbols used as letters
    ("@$!|\u20ac\u00a3", "asilel"),
)
LOOKALIKE_LETTERS = str.maketrans(
    "".join(lookalikes for lookalikes, _ in _LOOKALIKES),
    "".join(letters for _, letters in _LOOKALIKES),
)
# Digits that pass for letters, and letters that pass for each other once lowercase:
# a name and what it is compared with both go through this, so "Adm1n" meets "admin".
LOOKALIKE_DIGITS = str.maketrans(
    {"0": "o", "1": "l", "i": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}
)
LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))

# Words of up to this many letters (GP, Dr, NHS, PPG) are matched only as a whole word or
# spelt out letter by letter ("G. P."), never across two words ("Mo D" is not "mod").
SHORT_WORD = 3
# Words and names of at least this many letters are also refused inside other words
# ("TheModerator", "riversidemeadowbankpcn").
INSIDE_WORDS = 7
# Places and organisations whose name, without its generic words, is shorter than this are
# not compared with whole display names ("Practice 2" would otherwise refuse "Z").
MIN_PLACE_NAME = 3


ORGANISATION = "organisation"
PLACE = "place"
_reserved_name_sources: list[Callable[[], Iterable[tuple[str, str]]]] = []


def reserved_names_register(source: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Register a function giving `(ORGANISATION or PLACE, name)` for names to protect."""
    if source not in _reserved_name_sources:
        _reserved_name_sources.append(source)


# Skeletons


@dataclass(frozen=True)
class Word:
    """A word of a name: where it is in the (normalised) name, and its skeletons."""

    start: int
    end: int
    skeleton: str  # digits read as the letters they look like ("adm1n" is "admln")
    bare: str  # digits at either end dropped ("admin1" is "admln")


_WORD = re.compile(r"[^\W_]+")
# Where a word changes case inside: "NHSEngland" is "NHS England", "TheAdmin" "The Admin"
# (but "GPs" is one word: a plural "s" does not start one).
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")
_EDGE_DIGITS = re.compile(r"^[0-9]+|[0-9]+$")
_NOT_A_LETTER = re.compile(r"[^a-z0-9]")


def _normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name).translate(LOOKALIKE_LETTERS)


def _skeleton(text: str) -> str:
    """The letters `text` looks like: ASCII, lowercase, lookalikes mapped, nothing else."""
    if not text.isascii():
        text = "".join(
            character
            for character in unicodedata.normalize("NFD", text.translate(LOOKALIKE_LETTERS))
            if not unicodedata.combining(character) and unicodedata.category(character) != "Cf"
        )
        text = anyascii(text)
    text = _NOT_A_LETTER.sub("", text.casefold().translate(LOOKALIKE_DIGITS))
    for pair, letter in LOOKALIKE_PAIRS:
        text = text.replace(pair, letter)
    return text


def _words(name: str) -> tuple[str, list[Word]]:
    """The name normalised, and its words (filler words left out)."""
    text = _normalise(name)
    words = []
    for match in _WORD.finditer(text):
        start = match.start()
        for part in _CASE_CHANGE.split(match.group()):
            end = start + len(part)
            skeleton = _skeleton(part)
            bare = _skeleton(_EDGE_DIGITS.sub("", part)) or skeleton
            if skeleton and skeleton not in _FILLERS:
                words.append(Word(start, end, skeleton, bare))
            start = end
    return text, words


@lru_cache(maxsize=256)
def _term(phrase: str) -> str:
    return _skeleton(phrase)


_FILLERS = frozenset(_skeleton(word) for word in FILLER_WORDS)


# Matching


@dataclass(frozen=True)
class Match:
    first: int  # index of the first word matched
    last: int  # index of the last word matched, inclusive
    whole_words: bool  # one word, or a word spelt out letter by letter ("N H S")


class Name:
    """A display name read for comparison: its words, and every run of them joined up."""

    def __init__(self, name: str):
        self.text, self.words = _words(name)
        self.runs: dict[str, list[Match]] = {}
        for first in range(len(self.words)):
            for attribute in ("skeleton", "bare"):
                joined = ""
                spelt_out = True
                for last in range(first, len(self.words)):
                    joined += getattr(self.words[last], attribute)
                    spelt_out = spelt_out and len(self.words[last].skeleton) == 1
                    match = Match(first, last, first == last or spelt_out)
                    self.runs.setdefault(joined, []).append(match)
        self.joined = {
            "".join(getattr(word, attribute) for word in self.words)
            for attribute in ("skeleton", "bare")
        }

    def find(self, term: str, *, plural: bool = False) -> list[Match]:
        """Runs of words that spell `term`: short terms only as whole words (so "Mo D" is
        not "mod"), longer ones however the words are split ("Ad min")."""
        matches = self.runs.get(term, []) + (self.runs.get(term + "s", []) if plural else [])
        if len(term) <= SHORT_WORD:
            matches = [match for match in matches if match.whole_words]
        return matches

    def holds(self, term: str) -> bool:
        """Whether a long term is anywhere in the name, even inside a word."""
        return len(term) >= INSIDE_WORDS and any(term in joined for joined in self.joined)

    def shown(self, match: Match | None) -> str:
        """The words matched, as typed (normalised); the whole name if `match` is None."""
        if match is None:
            return " ".join(self.text.split())
        return self.text[self.words[match.first].start : self.words[match.last].end]

    def without_generic_words(self) -> str:
        """What is left of the name once role, generic and filler words are taken out."""
        terms = _generic_terms()
        removed = set()
        for joined, matches in self.runs.items():
            term = terms.get(joined)
            if term is None:
                continue
            for match in matches:
                if len(term) > SHORT_WORD or match.whole_words:
                    removed.update(range(match.first, match.last + 1))
        return "".join(word.skeleton for i, word in enumerate(self.words) if i not in removed)


@lru_cache(maxsize=1)
def _generic_terms() -> dict[str, str]:
    """Each role and generic word's skeleton, and its plural's, to the word's skeleton."""
    terms = {}
    for phrase in (*ROLE_WORDS, *GENERIC_WORDS):
        term = _term(phrase)
        terms.setdefault(term + "s", term)
    for phrase in (*ROLE_WORDS, *GENERIC_WORDS):
        terms[_term(phrase)] = _term(phrase)
    return terms


@lru_cache(maxsize=65536)
def _reserved_forms(kind: str, name: str) -> tuple[str, str]:
    """A reserved name's skeleton (for organisations) and what is left of it without its
    generic words (to compare with the whole of a display name)."""
    read = Name(name)
    whole = "".join(word.skeleton for word in read.words) if kind == ORGANISATION else ""
    return whole, read.without_generic_words()


def _reserved_names() -> Iterable[tuple[str, str]]:
    for source in _reserved_name_sources:
        yield from source()


# The check

ROLE_MESSAGE = (
    "Choose a display name without '{shown}': it could make people think you have a role "
    "here, such as PPG moderator, NHS staff or part of the Engage team."
)
ORGANISATION_MESSAGE = (
    "Choose a display name without '{shown}': it looks like the name of an NHS organisation, "
    "so people could think you speak for it."
)
PLACE_MESSAGE = (
    "Choose a display name that is more than the name of a place: '{shown}' on its own could "
    "look like it speaks for everyone there. Add your own name, for example 'Sam from {shown}'."
)


def has_a_role(user) -> bool:
    """Someone with a role (any group, staff or admin) rather than a resident."""
    if user is None or not getattr(user, "pk", None):
        return False
    return user.is_staff or user.is_superuser or user.groups.exists()


def display_name_problem(name: str) -> ValidationError | None:
    """Why a resident may not use `name` as their display name, or None if they may."""
    if not name:
        return None
    read = Name(name)
    for phrase in ROLE_WORDS:
        term = _term(phrase)
        matches = read.find(term, plural=True)
        if matches or read.holds(term):
            shown = read.shown(matches[0] if matches else None)
            return ValidationError(ROLE_MESSAGE.format(shown=shown), code="claims_a_role")
    remainder = read.without_generic_words()
    for kind, reserved in _reserved_names():
        whole, core = _reserved_forms(kind, reserved)
        if whole and ((matches := read.find(whole)) or read.holds(whole)):
            shown = read.shown(matches[0] if matches else None)
            return ValidationError(
                ORGANISATION_MESSAGE.format(shown=shown), code="claims_an_organisation"
            )
        if len(core) >= MIN_PLACE_NAME and remainder == core:
            return ValidationError(
                PLACE_MESSAGE.format(shown=read.shown(None)), code="claims_a_place"
            )
    return None


def validate_display_name(name: str, *, user=None) -> None:
    """Refuse a display name that passes for a role, an organisation or a place, unless
    `user` has a role (they are who they say)."""
    if has_a_role(user):
        return
    if problem := display_name_problem(name):
        raise problem
