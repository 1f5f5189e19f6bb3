"""Account forms: allauth's sign-up with a display name, and changing the display name."""

import time

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.conf import settings
from django.core import signing

from engage.models import User
from engage.names import validate_display_name
from engage.text import plain_text, validate_single_line

DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length
DISPLAY_NAME_HELP_TEXT = (
    "Shown beside your ideas and comments. Use your own name or a nickname, not a role or an "
    "organisation. Leave blank to appear as 'A resident'."
)
DISPLAY_NAME_TOO_LONG = f"Display name must be {DISPLAY_NAME_MAX_LENGTH} characters or fewer"


def clean_display_name(value: str, *, user=None) -> str:
    """The display name as plain text on one line; markup is removed, not escaped.

    Refuses control and direction characters (`engage.text.validate_single_line`) and, for a
    resident, a name that passes for a role, an organisation or a place
    (`engage.names.validate_display_name`). `user`: who is choosing it (None at sign-up).
    """
    name = plain_text(value, single_line=True)
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise forms.ValidationError(DISPLAY_NAME_TOO_LONG, code="max_length")
    validate_single_line(name)
    validate_display_name(name, user=user)
    return name


# The sign-up form's defence against bots, needing no third party and no puzzle: a field only
# a bot fills in, and the time the form was shown, signed so it cannot be forged.
SIGNUP_TIMESTAMP_SALT = "engage.forms.SignupForm.started"
# A form shown longer ago than this is refused too, so one harvested timestamp cannot be
# replayed for ever. A person who left the page open that long just sends it again.
SIGNUP_MAX_AGE_SECONDS = 24 * 60 * 60
SIGNUP_REFUSED = (
    "Sorry, we could not create your account just now. Please check your details and select "
    "'Create account' again."
)


def signup_timestamp(*, seconds_ago: float = 0) -> str:
    """A signed note of when the sign-up form was shown (for tests: `seconds_ago`)."""
    return signing.dumps(time.time() - seconds_ago, salt=SIGNUP_TIMESTAMP_SALT)


def signup_age(token: str) -> float | None:
    """Seconds since the form carrying `token` was shown, or None if it is missing or forged."""
    try:
        shown_at = signing.loads(token, salt=SIGNUP_TIMESTAMP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(shown_at, int | float):
        return None
    return time.time() - shown_at


class SignupTimestampInput(forms.HiddenInput):
    """Always renders a fresh timestamp, so a form shown again with errors starts the clock
    again rather than sending back the one it was sent with."""

    def format_value(self, value):
        return signup_timestamp()


class HoneypotInput(forms.TextInput):
    """A text box people never see or reach: the template hides it from screens, from
    assistive technology (aria-hidden) and from the keyboard (tabindex -1)."""

    is_honeypot = True

    def __init__(self):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off", "spellcheck": "false"})

    def format_value(self, value):
        return None


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (email and password) with an optional display name.

    Refuses, with a polite error, a form whose hidden "leave blank" field was filled in, or
    that came back sooner than ENGAGE_SIGNUP_MIN_SECONDS after it was shown (0 turns the
    timing check off). What the person typed stays in the form, so they can send it again.
    """

    # Named like something a bot would fill in; people never see it (see HoneypotInput).
    website = forms.CharField(
        label="Leave this blank", required=False, widget=HoneypotInput(), max_length=200
    )
    started = forms.CharField(required=False, widget=SignupTimestampInput())

    display_name = forms.CharField(
        label="Display name (optional)",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=DISPLAY_NAME_HELP_TEXT,
        error_messages={"max_length": DISPLAY_NAME_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )

    field_order = ["email", "display_name", "password1", "password2", "website", "started"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        if "password1" in self.fields:
            self.fields["password1"].error_messages["required"] = "Enter a password"
        if "password2" in self.fields:
            self.fields["password2"].label = "Confirm your password"
            self.fields["password2"].error_messages["required"] = "Enter your password again"

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name", ""))

    def clean(self):
        cleaned_data = super().clean()
        if self.looks_like_a_bot():
            raise forms.ValidationError(SIGNUP_REFUSED, code="too_fast")
        return cleaned_data

    def looks_like_a_bot(self) -> bool:
        if self.data.get("website", ""):
            return True
        minimum = settings.ENGAGE_SIGNUP_MIN_SECONDS
        if minimum <= 0:
            return False
        age = signup_age(self.data.get("started", ""))
        return age is None or not minimum <= age <= SIGNUP_MAX_AGE_SECONDS

    def signup(self, request, user) -> None:
        """Called by allauth once the user is saved."""
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["display_name"])


class DisplayNameForm(forms.ModelForm):
    """Change the name shown beside a resident's ideas and comments."""

    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": "Display name"}
        help_texts = {"display_name": DISPLAY_NAME_HELP_TEXT}
        error_messages = {"display_name": {"max_length": DISPLAY_NAME_TOO_LONG}}
        widgets = {
            "display_name": forms.TextInput(
                attrs={"autocomplete": "nickname", "spellcheck": "false"}
            )
        }

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name", ""), user=self.instance)


# Two-factor authentication (allauth.mfa): the same forms in our words.

AUTHENTICATOR_CODE_HINT = "The 6-digit code from your app, or one of your recovery codes"


def _word_code_field(form, *, label: str, help_text: str) -> None:
    field = form.fields["code"]
    field.label = label
    field.help_text = help_text
    field.error_messages["required"] = "Enter the code from your authenticator app"
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class AuthenticateForm(AllauthAuthenticateForm):
    """Signing in, second step: the code from the authenticator app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word_code_field(self, label="Authenticator code", help_text=AUTHENTICATOR_CODE_HINT)


class ReauthenticateForm(AllauthReauthenticateForm):
    """Confirming it is you, with a code, before changing two-factor settings."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word_code_field(self, label="Authenticator code", help_text=AUTHENTICATOR_CODE_HINT)


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """Setting up the authenticator app: the first code it shows proves it works."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word_code_field(
            self, label="Code from the app", help_text="The 6-digit code the app shows for Engage"
        )


class AccountEraseForm(forms.Form):
    """Delete my account: what happens to my posts, and my password to prove it is me."""

    REMOVE, KEEP = "remove", "keep"

    posts = forms.ChoiceField(
        label="What should happen to your ideas and comments?",
        choices=[
            (REMOVE, "Delete them"),
            (KEEP, "Keep them without my name: they will show as 'A resident'"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what should happen to your ideas and comments"},
    )
    password = forms.CharField(
        label="Your password",
        help_text="To be sure it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, user, allowed_attempt=lambda: True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.allowed_attempt = allowed_attempt

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.allowed_attempt():
            raise forms.ValidationError(
                "You have tried too many times. Wait a minute, then try again.",
                code="rate_limited",
            )
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right", code="wrong_password")
        return password

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.KEEP
