"""Forms read and check input; services clean and store it."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from consultations.models import Attribution, Comment, FlagReason, Idea
from consultations.models import equality as answers
from engage.forms import (
    SIGNUP_MAX_AGE_SECONDS,
    HoneypotInput,
    SignupTimestampInput,
    signup_age,
)
from engage.ids import parse_id
from home.boundary import in_pcn
from home.models import Neighbourhood, Practice


class ModelIdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses a value that is not an id before it asks the database.

    Django's looks up whatever was sent and turns a wrong type into a form error, but not a
    number beyond 64 bits: SQLite cannot be asked about one (OverflowError, a 500) when the
    model's key is a page's (a one-to-one key, which Django does not range-check).
    """

    def to_python(self, value):
        if isinstance(value, self.queryset.model):
            return value
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdeaForm(forms.Form):
    title = forms.CharField(
        label="Give your idea a short title",
        max_length=Idea._meta.get_field("title").max_length,
        error_messages={
            "required": "Enter a title for your idea",
            "max_length": "The title must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    body = forms.CharField(
        label="Describe your idea",
        help_text="What would you like to happen, and why? Do not include personal or medical "
        "details about yourself or anyone else.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=Idea._meta.get_field("body").max_length,
        error_messages={
            "required": "Describe your idea",
            "max_length": "Your idea must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    neighbourhood = forms.ModelChoiceField(
        label="Which neighbourhood is it about?",
        queryset=Neighbourhood.objects.none(),
        empty_label="Choose a neighbourhood",
        error_messages={
            "required": "Choose the neighbourhood your idea is about",
            "invalid_choice": "Choose one of the neighbourhoods in the list",
        },
    )
    practice = ModelIdChoiceField(
        label="Which GP practice are you registered with? (optional)",
        help_text="We count how many ideas come from each practice's patients, to see whose "
        "voices we are hearing. It is never shown with your idea.",
        queryset=Practice.objects.none(),
        required=False,
        empty_label="I'd rather not say",
        error_messages={"invalid_choice": "Choose one of the practices in the list"},
    )
    attribution = forms.ChoiceField(
        label="How should we show who posted it?",
        choices=Attribution.choices,
        initial=Attribution.NAME,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we show who posted it"},
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = consultation.neighbourhoods.order_by("name")
        self.fields["practice"].queryset = practices_of(consultation)


def practices_of(consultation):
    """The GP practices a contributor to `consultation` may name: its PCN's, by name."""
    return in_pcn(Practice.objects.order_by("name"), consultation.pcn)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=Comment._meta.get_field("body").max_length,
        error_messages={
            "required": "Enter your comment",
            "max_length": "Your comment must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with it?",
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is wrong with it"},
    )
    details = forms.CharField(
        label="Tell us more (optional, required for 'Something else')",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        error_messages={"max_length": "Keep it to %(limit_value)d characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == FlagReason.OTHER and not (cleaned.get("details") or "").strip():
            self.add_error("details", "Tell us what is wrong with it")
        return cleaned


class ListedChoiceField(forms.ChoiceField):
    """A choice of one of a list of objects already read: listing and checking the choice
    take no query (a ModelChoiceField queries for each)."""

    def __init__(self, *, empty_label: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.set_objects([])

    def set_objects(self, objects) -> None:
        self.objects = {str(item.pk): item for item in objects}
        self.choices = [("", self.empty_label)] + [
            (key, str(item)) for key, item in self.objects.items()
        ]

    def clean(self, value):
        key = super().clean(value)
        return self.objects.get(key) if key else None


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label="Search ideas", required=False, max_length=100)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("newest", "Newest"),
            ("supported", "Most supported"),
            ("discussed", "Most discussed"),
        ],
    )
    neighbourhood = ListedChoiceField(label="Neighbourhood", empty_label="All neighbourhoods")
    theme = ListedChoiceField(label="Theme", empty_label="All themes")

    def __init__(self, *args, consultation, neighbourhoods, themes, **kwargs):
        """`neighbourhoods` and `themes`: lists the page has read already."""
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].set_objects(neighbourhoods)
        self.fields["theme"].set_objects(themes)
        if not themes:
            del self.fields["theme"]

    def values(self) -> dict:
        """The filters to apply; anything invalid is ignored rather than refused."""
        if not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        neighbourhood = data.get("neighbourhood")
        theme = data.get("theme")
        return {
            "query": (data.get("q") or "").strip(),
            "sort": data.get("sort") or "newest",
            "neighbourhood_id": neighbourhood.pk if neighbourhood else None,
            "theme_id": theme.pk if theme else None,
        }


# "About you": equality answers. Every question may be left unanswered.

_NOT_LISTED = {"invalid_choice": "Choose one of the answers in the list"}


def _question(label: str, choices, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages=_NOT_LISTED,
    )


class EqualityAnswersForm(forms.Form):
    """The questions of "About you", in the ONS 2021 census's words and categories; for a
    resident about themselves, or for a moderator recording an offline contributor's."""

    age_band = _question("How old are you?", answers.AgeBand)
    sex = _question(
        "What is your sex?",
        answers.Sex,
        "The next question asks about gender identity.",
    )
    gender_same_as_sex = _question(
        "Is the gender you identify with the same as your sex registered at birth?",
        answers.GenderSameAsSex,
    )
    ethnic_group = _question("What is your ethnic group?", answers.EthnicGroup)
    ethnic_group_detail = forms.ChoiceField(
        label="Which of these best describes your ethnic group? (optional)",
        choices=[("", "I would rather not say more")] + list(answers.EthnicGroupDetail.choices),
        required=False,
        error_messages=_NOT_LISTED,
    )
    disability = _question(
        "Do you have any physical or mental health conditions or illnesses lasting or "
        "expected to last 12 months or more?",
        answers.Disability,
    )
    unpaid_care = _question(
        "Do you look after, or give any help or support to, anyone because of a long-term "
        "condition, illness or problems related to old age?",
        answers.UnpaidCare,
        "Leave out anything you do as part of paid work.",
    )
    religion = _question("What is your religion?", answers.Religion)
    sexual_orientation = _question(
        "Which of these best describes your sexual orientation?", answers.SexualOrientation
    )
    postcode = forms.CharField(
        label="Your postcode (optional)",
        required=False,
        max_length=10,
        help_text="We use it once to find how deprived your area is, as a number from 1 to 10, "
        "and then forget it: your postcode is not kept.",
        error_messages={"max_length": "Enter a full UK postcode, like RB1 1AA, or leave it blank"},
    )
    forget_area = forms.BooleanField(
        label="Forget the area I gave before",
        required=False,
    )

    def __init__(self, *args, has_area: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_area:
            del self.fields["forget_area"]

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name, _choices in answers.QUESTIONS}


# Communication needs (the Accessible Information Standard).


class CommunicationNeedsFields(forms.Form):
    """The formats a person needs, for a resident's preferences and the offline entry form;
    checked again by `services.equality.communication_needs_save`."""

    communication_formats = forms.MultipleChoiceField(
        label="Do you need information in another format?",
        choices=answers.CommunicationFormat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick any you need. We use this only to send you what we write in a way "
        "you can read or hear it.",
        error_messages={"invalid_choice": "Choose formats from the list"},
    )
    communication_language = forms.CharField(
        label="Which language? (if another language)",
        required=False,
        max_length=50,
        error_messages={"max_length": "Keep it to %(limit_value)d characters or fewer"},
    )
    communication_other = forms.CharField(
        label="What else do you need? (if something else)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Keep it to %(limit_value)d characters or fewer"},
    )

    def communication_needs(self) -> dict:
        return {
            "formats": self.cleaned_data.get("communication_formats") or [],
            "language": self.cleaned_data.get("communication_language", ""),
            "other": self.cleaned_data.get("communication_other", ""),
        }


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's refusal beside the form's fields, or at the top when no field fits.

    An unbound form (an action with no fields of its own) is left alone; the caller shows
    the refusal as a message instead.
    """
    if not form.is_bound:
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# Taking part without an account (consultations/services/no_account.py).

NO_ACCOUNT_REFUSED = (
    "Sorry, we could not send this just now. Please check what you wrote and send it again."
)


class NoAccountFieldsMixin:
    """The email address to confirm, and the sign-up form's defence against bots: a field
    only a bot fills in, and the signed time the form was shown (`engage.forms`)."""

    def _no_account_fields(self, *, email_optional: bool, kind: str) -> None:
        self.fields["email"] = forms.EmailField(
            label="Your email address" + (" (optional)" if email_optional else ""),
            required=not email_optional,
            max_length=254,
            help_text=(
                f"We email you a link to confirm it is yours before your {kind} is sent, and "
                f"then only to tell you what happens to it. We never show it to anyone."
                + (
                    f" If you leave it blank, your {kind} waits for a moderator and we cannot "
                    "tell you what happens to it."
                    if email_optional
                    else ""
                )
            ),
            error_messages={
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        )
        self.fields["website"] = forms.CharField(
            label="Leave this blank", required=False, widget=HoneypotInput(), max_length=200
        )
        self.fields["started"] = forms.CharField(required=False, widget=SignupTimestampInput())

    def looks_like_a_bot(self) -> bool:
        if self.data.get("website", ""):
            return True
        minimum = settings.ENGAGE_SIGNUP_MIN_SECONDS
        if minimum <= 0:
            return False
        age = signup_age(self.data.get("started", ""))
        return age is None or not minimum <= age <= SIGNUP_MAX_AGE_SECONDS

    def clean(self):
        cleaned = super().clean()
        if self.looks_like_a_bot():
            raise ValidationError(NO_ACCOUNT_REFUSED, code="bot")
        return cleaned


class NoAccountIdeaForm(NoAccountFieldsMixin, forms.Form):
    """An idea from someone without an account: what the signed-in form asks (but how to
    show who posted it: always "A resident"), and their email address."""

    title = IdeaForm.base_fields["title"]
    body = IdeaForm.base_fields["body"]
    neighbourhood = IdeaForm.base_fields["neighbourhood"]

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = consultation.neighbourhoods.order_by("name")
        self._no_account_fields(
            email_optional=consultation.pcn.allow_posts_without_email, kind="idea"
        )


class NoAccountCommentForm(NoAccountFieldsMixin, forms.Form):
    body = CommentForm.base_fields["body"]

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self._no_account_fields(
            email_optional=consultation.pcn.allow_posts_without_email, kind="comment"
        )


class ConfirmationCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the email",
        max_length=20,
        help_text="6 numbers, like 123456",
        error_messages={"required": "Enter the code from the email"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
    )
