"""Account forms: allauth's sign-up with a display name, and changing the display name."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from engage.models import User
from engage.text import plain_text

DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length
DISPLAY_NAME_HELP_TEXT = (
    "Shown beside your ideas and comments. Leave blank to appear as 'A resident'."
)
DISPLAY_NAME_TOO_LONG = f"Display name must be {DISPLAY_NAME_MAX_LENGTH} characters or fewer"


def clean_display_name(value: str) -> str:
    """The display name as plain text on one line; markup is removed, not escaped."""
    name = plain_text(value, single_line=True)
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise forms.ValidationError(DISPLAY_NAME_TOO_LONG, code="max_length")
    return name


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (email and password) with an optional display name."""

    display_name = forms.CharField(
        label="Display name (optional)",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=DISPLAY_NAME_HELP_TEXT,
        error_messages={"max_length": DISPLAY_NAME_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )

    field_order = ["email", "display_name", "password1", "password2"]

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
        return clean_display_name(self.cleaned_data.get("display_name", ""))


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
