"""The offline entry form: a contribution typed up for a resident, and how they hear back."""

from django import forms
from django.utils import timezone

from consultations.forms import (
    CommunicationNeedsFields,
    EqualityAnswersForm,
    ModelIdChoiceField,
    practices_of,
)
from consultations.models import ConsultationPage, Idea, ReplyBy
from consultations.viewsets.offline.policy import OFFLINE_CHANNELS
from home.models import Neighbourhood, Practice


class OfflineIdeaForm(EqualityAnswersForm, CommunicationNeedsFields):
    """The contribution, how they hear back and, optionally, "About you": the same questions
    a resident answers online (`EqualityAnswersForm`), recorded only with their consent."""

    # The contribution first (in the error summary too), then "About you".
    field_order = [
        "consultation",
        "channel",
        "received_on",
        "title",
        "body",
        "neighbourhood",
        "practice",
        "reply_by",
        "contributor_email",
        "contributor_name",
        "contributor_address",
    ]
    consultation = ModelIdChoiceField(
        label="Consultation",
        queryset=ConsultationPage.objects.none(),
        empty_label=None,
        help_text="Open consultations, and those closed in the last four weeks.",
    )
    channel = forms.ChoiceField(
        label="How was it sent?",
        choices=OFFLINE_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was sent"},
    )
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 17 3 2026.",
        error_messages={
            "required": "Enter the date it was received",
            "invalid": "Enter a real date, for example 17 3 2026",
        },
    )
    title = forms.CharField(
        label="A short title for the idea",
        max_length=Idea._meta.get_field("title").max_length,
        help_text="In the resident's words where you can.",
        error_messages={
            "required": "Enter a title for the idea",
            "max_length": "The title must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    body = forms.CharField(
        label="What they said",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=Idea._meta.get_field("body").max_length,
        help_text="Type it as they wrote or said it. Leave out their name, contact details and "
        "anything personal or medical: everyone can read this.",
        error_messages={
            "required": "Enter what they said",
            "max_length": "What they said must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    neighbourhood = ModelIdChoiceField(
        label="Which neighbourhood is it about?",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="They did not say",
        error_messages={"invalid_choice": "Choose one of the neighbourhoods in the list"},
    )
    practice = ModelIdChoiceField(
        label="Which GP practice are they registered with? (optional)",
        queryset=Practice.objects.none(),
        required=False,
        empty_label="They did not say, or would rather not say",
        help_text="Counted to see which practices' patients we hear from; never shown with "
        "the idea.",
        error_messages={"invalid_choice": "Choose one of the practices in the list"},
    )
    reply_by = forms.ChoiceField(
        label="How do they want to hear what happens to their idea?",
        choices=[
            (ReplyBy.NOTHING, "They do not want to hear back, or gave no contact details"),
            (ReplyBy.EMAIL, "By email"),
            (ReplyBy.LETTER, "By letter, sent to a postal address"),
        ],
        widget=forms.RadioSelect,
        initial=ReplyBy.NOTHING,
        error_messages={"required": "Choose how they want to hear back"},
    )
    contributor_email = forms.CharField(
        label="Their email address (if by email)",
        required=False,
        max_length=254,
        error_messages={
            "max_length": "The email address must be %(limit_value)d characters or fewer"
        },
    )
    contributor_name = forms.CharField(
        label="Their name (for a letter; optional for an email)",
        required=False,
        max_length=100,
        error_messages={"max_length": "The name must be %(limit_value)d characters or fewer"},
    )
    contributor_address = forms.CharField(
        label="Their postal address (if by letter)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=500,
        help_text="Kept only to send them letters about this idea. Never shown on the site.",
        error_messages={"max_length": "The address must be %(limit_value)d characters or fewer"},
    )

    postcode = forms.CharField(
        label="Their postcode (optional)",
        required=False,
        max_length=10,
        help_text="Used once to find how deprived their area is, as a number from 1 to 10, "
        "and then forgotten: the postcode is not kept.",
        error_messages={"max_length": "Enter a full UK postcode, like RB1 1AA, or leave it blank"},
    )
    equality_consent = forms.BooleanField(
        label="The resident agreed to share these answers",
        required=False,
        help_text="Ask them first. Record answers only if they said yes; leave them all blank "
        "if not.",
    )

    def __init__(self, *args, consultations, consultation, **kwargs):
        super().__init__(*args, has_area=False, **kwargs)
        self.fields[
            "communication_formats"
        ].label = "Do they need information from us in another format?"
        self.fields["communication_formats"].help_text = (
            "As the Accessible Information Standard asks. Letters to them say so, and large "
            "print letters print in large type."
        )
        self.fields["communication_language"].label = "Which language? (if another language)"
        self.fields["communication_other"].label = "What else do they need? (if something else)"
        self.fields["consultation"].queryset = consultations.order_by("-closes_at", "title")
        self.fields["neighbourhood"].queryset = consultation.neighbourhoods.order_by("name")
        self.fields["practice"].queryset = practices_of(consultation)

    def clean(self):
        """The common mistakes, so they show with the others at once; the service checks
        everything again (and what is left once markup is removed)."""
        cleaned = super().clean()
        received_on = cleaned.get("received_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", "The date it was received must be today or in the past")
        reply_by = cleaned.get("reply_by")
        if reply_by == ReplyBy.EMAIL and not cleaned.get("contributor_email"):
            self.add_error("contributor_email", "Enter the email address they gave")
        if reply_by == ReplyBy.LETTER:
            if not cleaned.get("contributor_name"):
                self.add_error("contributor_name", "Enter the name to put on the letter")
            if not cleaned.get("contributor_address"):
                self.add_error(
                    "contributor_address", "Enter the postal address to send the letter to"
                )
        return cleaned
