"""The decision forms: one post's (approve, hide, restore) and the bulk decision's."""

from django import forms

from consultations.models import ModerationAction, ModerationReason


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (ModerationAction.APPROVE, "Approve"),
            (ModerationAction.HIDE, "Hide"),
            (ModerationAction.RESTORE, "Restore"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *ModerationReason.choices],
        required=False,
        help_text="The author is told this reason. Required when hiding.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="Optional. Sent to the author in the email, in plain English.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == ModerationAction.HIDE and not cleaned.get("reason"):
            self.add_error("reason", "Choose why you are hiding it, so its author knows.")
        return cleaned


class BulkDecisionForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *ModerationReason.choices],
        required=False,
        help_text="The authors are told this reason.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="Optional. Sent to the authors in the email, in plain English.",
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        if reason_required:
            self.fields["reason"].help_text = "Required: the authors are told why it is hidden."

    def clean(self):
        cleaned = super().clean()
        if self.reason_required and not cleaned.get("reason"):
            self.add_error("reason", "Choose why you are hiding it, so its author knows.")
        return cleaned
