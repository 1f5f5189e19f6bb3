"""State changes for equality answers ("About you"): a resident's own, or a resident's who
took part offline, recorded by a moderator with their consent (`consultations.models.equality`);
and for communication needs (the Accessible Information Standard), a resident's or an
offline contributor's.

Only the listed choices are stored; a postcode is looked up for its deprivation decile and
then dropped: it is never saved, logged or put in an error message.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from consultations.models import (
    QUESTIONS,
    CommunicationFormat,
    CommunicationNeeds,
    EqualityAnswers,
    ethnic_group_of,
)
from consultations.models.equality import EthnicGroup
from engage.text import plain_text, text_problems
from home.postcodes import postcode_normalise
from home.selectors import postcode_deprivation_decile


def equality_answers_check(
    *, answers: dict[str, str], postcode: str = ""
) -> tuple[dict, int | None]:
    """The answers as they would be stored and the postcode's decile (None when no postcode
    was given). Raises ValidationError naming each field that is wrong, so the others can be
    kept on the form."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, choices in QUESTIONS:
        value = str(answers.get(name) or "")
        if value and value not in choices.values:
            errors[name] = "Choose one of the answers in the list"
            continue
        cleaned[name] = value
    detail = cleaned.get("ethnic_group_detail", "")
    group = cleaned.get("ethnic_group", "")
    if detail and "ethnic_group" not in errors:
        if not group:
            cleaned["ethnic_group"] = ethnic_group_of(detail)
        elif group != ethnic_group_of(detail):
            errors["ethnic_group_detail"] = (
                "Choose a detailed answer within the group you chose, or leave it blank"
            )
        if group == EthnicGroup.PREFER:
            errors["ethnic_group_detail"] = (
                "You chose not to say your ethnic group: leave the detailed answer blank"
            )
    decile = None
    postcode = str(postcode or "").strip()
    if postcode:
        try:
            postcode_normalise(postcode)
        except ValueError:
            errors["postcode"] = "Enter a full UK postcode, like RB1 1AA, or leave it blank"
        else:
            decile = postcode_deprivation_decile(postcode=postcode)
            if decile is None:
                errors["postcode"] = (
                    "We could not find that postcode in England. Check it, or leave it blank"
                )
    if errors:
        raise ValidationError(errors)
    return cleaned, decile


@transaction.atomic
def equality_answers_save(
    *,
    user=None,
    contributor=None,
    answers: dict[str, str],
    postcode: str = "",
    forget_area: bool = False,
) -> EqualityAnswers:
    """Store a person's answers (replacing any before): a resident's (`user`) or an offline
    contributor's (`contributor`), exactly one. A postcode sets the deprivation decile; no
    postcode keeps the one worked out before, unless `forget_area`. Raises ValidationError
    (by field) for an answer not in the list or a postcode not found; nothing is saved then.
    """
    if (user is None) == (contributor is None):
        raise ValueError("Equality answers belong to one resident or one offline contributor.")
    cleaned, decile = equality_answers_check(answers=answers, postcode=postcode)
    owner = {"user": user} if user is not None else {"contributor": contributor}
    record = EqualityAnswers.objects.select_for_update().filter(**owner).first()
    if record is None:
        record = EqualityAnswers(**owner)
    for name, value in cleaned.items():
        setattr(record, name, value)
    if decile is not None:
        record.deprivation_decile = decile
    elif forget_area:
        record.deprivation_decile = None
    record.full_clean()
    record.save()
    return record


def equality_answers_skip(*, user) -> EqualityAnswers:
    """The resident chose "Skip": remember that they were asked (so they are not asked again
    after each post), without changing any answers they gave before."""
    record, _created = EqualityAnswers.objects.get_or_create(user=user)
    return record


# Communication needs (the Accessible Information Standard)

_NEEDS_LIMITS = {
    "communication_language": CommunicationNeeds._meta.get_field("language").max_length,
    "communication_other": CommunicationNeeds._meta.get_field("other").max_length,
}


def communication_needs_check(
    *, formats: list[str], language: str = "", other: str = ""
) -> tuple[list[str], str, str]:
    """The formats, language and other need as they would be stored. Raises
    ValidationError by field (`communication_formats`, `communication_language`,
    `communication_other`), so the form keeps everything typed."""
    errors: dict[str, str | list[str]] = {}
    chosen = [str(key) for key in formats or []]
    if any(key not in CommunicationFormat.values for key in chosen):
        errors["communication_formats"] = "Choose formats from the list"
    chosen = [key for key in CommunicationFormat.values if key in chosen]  # listed order, once
    language = plain_text(str(language or ""), single_line=True)
    other = plain_text(str(other or ""), single_line=True)
    if CommunicationFormat.OTHER_LANGUAGE in chosen and not language:
        errors["communication_language"] = "Enter the language they need"
    elif language and CommunicationFormat.OTHER_LANGUAGE not in chosen:
        errors["communication_language"] = (
            'Tick "Another language" as well, or leave the language blank'
        )
    if CommunicationFormat.OTHER in chosen and not other:
        errors["communication_other"] = "Say what else they need"
    elif other and CommunicationFormat.OTHER not in chosen:
        errors["communication_other"] = 'Tick "Something else" as well, or leave this blank'
    for field, value in (("communication_language", language), ("communication_other", other)):
        limit = _NEEDS_LIMITS[field]
        if field not in errors and len(value) > limit:
            errors[field] = f"Keep it to {limit} characters or fewer (it has {len(value)})"
        elif field not in errors and (problems := text_problems(value, single_line=True)):
            errors[field] = ValidationError(problems).messages
    if errors:
        raise ValidationError(errors)
    return chosen, language, other


@transaction.atomic
def communication_needs_save(
    *, user=None, contributor=None, formats: list[str], language: str = "", other: str = ""
) -> CommunicationNeeds | None:
    """Record how a person needs us to communicate with them (replacing what was there): a
    resident (`user`) or an offline contributor (`contributor`), exactly one. No formats
    removes the record; returns it, or None. Raises ValidationError by field."""
    if (user is None) == (contributor is None):
        raise ValueError("Communication needs belong to one resident or one offline contributor.")
    chosen, language, other = communication_needs_check(
        formats=formats, language=language, other=other
    )
    owner = {"user": user} if user is not None else {"contributor": contributor}
    if not chosen:
        CommunicationNeeds.objects.filter(**owner).delete()
        return None
    record = CommunicationNeeds.objects.select_for_update().filter(**owner).first()
    if record is None:
        record = CommunicationNeeds(**owner)
    record.formats, record.language, record.other = chosen, language, other
    record.full_clean()
    record.save()
    return record
