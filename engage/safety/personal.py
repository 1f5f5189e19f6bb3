"""Personal data in a resident's text: what each kind is, and the rule that finds it.

Each finder returns `PersonalMatch`es. The rules, in plain words (docs/clinical-safety/
detection.md says the same, for the hazard log):

- **NHS number**: ten digits, written together or with spaces, hyphens or dots between any
  of them, that pass the NHS modulus-11 check (the `nhs-number` package, which also refuses
  Scottish CHI numbers whose first six digits are not a date). Nine in ten random ten-digit
  numbers fail the check, so most order numbers and the like are not flagged.
- **Phone number**: a number starting with 0, +, 00 or "(0", that Google's libphonenumber
  (the `phonenumbers` package) takes as a possible number for the UK or, with a +, for its
  country, with at least ten digits. Freephone (0800, 0808), 03, 084, 087 and premium-rate
  numbers are organisations' numbers and are not flagged; nor are short helpline numbers
  (111, 116 123). A practice's or a shop's ordinary landline is flagged: the engine cannot
  tell whose a number is, so a person decides.
- **Email address**: something@domain.tld.
- **Date of birth**: a date (3/4/1952, 3.4.52, 3rd April 1952, April 3 1952) with "born",
  "DOB", "D.O.B", "date of birth" or "birthday" shortly before it; or, without such a word,
  a numeric date with a four-digit year at least 16 years ago (3/4/1952), the form people
  copy from letters and records. A written date without a birth word ("it opened on 1 May
  1998") is not flagged.
- **Postcode with house number**: a house number, a street name of up to four words ending
  in a street word (Road, Street, Lane, Avenue, Close...), then a full UK postcode on the
  same line within a few words (12 Acacia Avenue, Leeds LS6 2AB). A postcode alone is not
  flagged: it covers a street, not a household; nor is "3 buses an hour to RV1 2AB".
- **Name with a title**: Mr, Mrs, Ms, Miss, Mx, Dr, Doctor, Prof, Professor, Sir, Dame or
  Rev followed by a capitalised name (Dr Patel, Mrs Ann Jones); and "mr" or "mrs" followed
  by any word that is not a common word (mrs jones), since people often type in lower case.
  Ms, Miss and Dr in lower case are not taken as titles ("MS clinic", "I miss the old
  surgery", "dr appointment").
"""

import datetime
import re
from dataclasses import dataclass

import nhs_number
import phonenumbers

NHS_NUMBER = "NHS number"
PHONE_NUMBER = "phone number"
EMAIL_ADDRESS = "email address"
DATE_OF_BIRTH = "date of birth"
POSTCODE = "postcode with house number"
NAME = "name with title"

KINDS = (NHS_NUMBER, PHONE_NUMBER, EMAIL_ADDRESS, DATE_OF_BIRTH, POSTCODE, NAME)


@dataclass(frozen=True)
class PersonalMatch:
    """Personal data found in the text: its kind, where it is, and the rule that found it."""

    kind: str
    start: int
    end: int
    text: str
    rule: str

    @property
    def label(self) -> str:
        return self.kind[0].upper() + self.kind[1:]


# NHS numbers: ten digits, any one space, hyphen or dot (or two spaces) between them, and no
# digit just before or after.
_TEN_DIGITS = re.compile(r"(?<![\d.])(?<!\d[ .-])\d(?:(?:[ .-]| {2})?\d){9}(?![ .-]?\d)")

# Phone numbers: a run of digits and the punctuation people write them with, starting as a
# number does; libphonenumber decides.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00|\(0|0)[\d ()\-.]{8,18}\d(?!\d)")
_ORGANISATION_TYPES = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
}
_PHONE_MIN_DIGITS = 10

# Email addresses; the look-behind makes a match start only at the start of a word, so a long
# run of letters is read once.
_EMAIL = re.compile(
    r"(?<![\w.%+'-])[\w.%+'-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+"
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-])")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_BIRTH_WORDS = re.compile(
    r"(?<!\w)(?:born|dob|d\.o\.b\.?|date\s+of\s+birth|birthday|birth\s+date)(?!\w)",
    re.IGNORECASE,
)
_BIRTH_WORD_REACH = 30  # characters between the birth word and the date
_ADULT_YEARS = 16

_STREET_WORDS = (
    "road|rd|street|st|lane|ln|avenue|ave|close|cl|drive|dr|way|court|ct|crescent|cres|"
    "place|pl|gardens|gdns|grove|terrace|hill|row|square|sq|walk|mews|view|park|green|rise|"
    "parade|estate|flats|house|cottages|villas|bank|fold|croft|mount|vale|side|wharf|yard"
)
_POSTCODE_WITH_NUMBER = re.compile(
    r"(?<![\w/-])\d{1,4}[a-z]?,?\s+(?:[a-z'\u2019-]+\s+){0,3}?"
    rf"(?:{_STREET_WORDS})(?!\w)[^\n\d]{{0,40}}?(?<!\w)"
    r"[a-z]{1,2}\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2}(?!\w)",
    re.IGNORECASE,
)

_TITLED_NAME = re.compile(
    r"(?<!\w)(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Sir|Dame|Revd|Rev)\.?[ \t]+"
    r"[A-Z][a-z'\u2019-]*[a-z](?:[ \t]+[A-Z][a-z'\u2019-]*[a-z])?(?!\w)"
)
_LOWER_CASE_TITLED_NAME = re.compile(
    r"(?<!\w)(?:mr|Mr|mrs|Mrs)\.?[ \t]+([a-z][a-z'\u2019-]*[a-z])(?!\w)"
)
# Words that follow "mr" or "mrs" in lower-case text without being a name.
_NOT_NAMES = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "but",
        "by",
        "did",
        "do",
        "for",
        "from",
        "had",
        "has",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "said",
        "says",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "they",
        "this",
        "to",
        "told",
        "too",
        "up",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    }
)


def find_personal_data(text: str) -> list[PersonalMatch]:
    """Every piece of personal data in `text`, in order, none overlapping another."""
    found = [
        *_emails(text),
        *_nhs_numbers(text),
        *_phone_numbers(text),
        *_dates_of_birth(text),
        *_postcodes(text),
        *_names(text),
    ]
    # Where two overlap, the one that starts first (or, starting together, the longer) stays.
    found.sort(key=lambda match: (match.start, -match.end))
    kept: list[PersonalMatch] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


def _nhs_numbers(text: str) -> list[PersonalMatch]:
    matches = []
    for found in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", found.group())
        if digits.startswith("0") and _is_phone_number(found.group()):
            continue
        if nhs_number.is_valid(digits):
            matches.append(
                PersonalMatch(
                    NHS_NUMBER,
                    found.start(),
                    found.end(),
                    found.group(),
                    "ten digits that pass the NHS modulus-11 check",
                )
            )
    return matches


def _is_phone_number(candidate: str) -> bool:
    if sum(character.isdigit() for character in candidate) < _PHONE_MIN_DIGITS:
        return False
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    try:
        number = phonenumbers.parse(candidate, "GB")
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_possible_number(number)
        and phonenumbers.number_type(number) not in _ORGANISATION_TYPES
    )


def _phone_numbers(text: str) -> list[PersonalMatch]:
    matches = []
    for found in _PHONE_CANDIDATE.finditer(text):
        candidate = found.group().rstrip(" -.(")
        if _is_phone_number(candidate):
            start = found.start()
            matches.append(
                PersonalMatch(
                    PHONE_NUMBER,
                    start,
                    start + len(candidate),
                    candidate,
                    "a UK or international phone number (libphonenumber), "
                    "not a freephone or other organisation's number",
                )
            )
    return matches


def _emails(text: str) -> list[PersonalMatch]:
    if "@" not in text:
        return []
    return [
        PersonalMatch(EMAIL_ADDRESS, found.start(), found.end(), found.group(), "an email address")
        for found in _EMAIL.finditer(text)
    ]


def _dates_of_birth(text: str) -> list[PersonalMatch]:
    birth_word_ends = [found.end() for found in _BIRTH_WORDS.finditer(text)]
    today = datetime.date.today()
    matches = []
    for found, (day, month, year), numeric in _dates(text):
        if year < 100:
            # A two-digit year: the most recent year that ends so and is not in the future.
            year += 2000 if year <= today.year % 100 else 1900
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        if date > today:
            continue
        after_birth_word = any(
            0 <= found.start() - end <= _BIRTH_WORD_REACH for end in birth_word_ends
        )
        if after_birth_word:
            rule = "a date after a birth word (born, DOB, date of birth, birthday)"
        elif numeric and len(found.group(4)) == 4 and year <= today.year - _ADULT_YEARS:
            rule = f"a full numeric date at least {_ADULT_YEARS} years ago"
        else:
            continue
        matches.append(
            PersonalMatch(DATE_OF_BIRTH, found.start(), found.end(), found.group(), rule)
        )
    return matches


def _dates(text: str):
    """(match, (day, month, year), numeric?) for each date written in a way we read."""
    for found in _NUMERIC_DATE.finditer(text):
        yield found, (int(found.group(1)), int(found.group(3)), int(found.group(4))), True
    for found in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTHS[found.group(2).lower()]
        yield found, (int(found.group(1)), month, int(found.group(3))), False
    for found in _MONTH_DAY_YEAR.finditer(text):
        month = _MONTHS[found.group(1).lower()]
        yield found, (int(found.group(2)), month, int(found.group(3))), False


def _postcodes(text: str) -> list[PersonalMatch]:
    return [
        PersonalMatch(
            POSTCODE,
            found.start(),
            found.end(),
            found.group(),
            "a house number and street, then a full postcode on the same line",
        )
        for found in _POSTCODE_WITH_NUMBER.finditer(text)
    ]


def _names(text: str) -> list[PersonalMatch]:
    matches = [
        PersonalMatch(
            NAME, found.start(), found.end(), found.group(), "a title and a capitalised name"
        )
        for found in _TITLED_NAME.finditer(text)
    ]
    for found in _LOWER_CASE_TITLED_NAME.finditer(text):
        if found.group(1).lower() not in _NOT_NAMES:
            matches.append(
                PersonalMatch(
                    NAME, found.start(), found.end(), found.group(), "mr or mrs and a name"
                )
            )
    return matches
