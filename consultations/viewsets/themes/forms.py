"""The theme form (consultation, name, summary, priority) and the merge form."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from consultations.forms import ModelIdChoiceField
from consultations.models import ConsultationPage, Theme
from consultations.selectors import moderated_consultations
from consultations.viewsets.themes.policy import _moderated_pcns
from home.boundary import PcnScopedFormMixin, in_pcns


class ThemeForm(PcnScopedFormMixin, WagtailAdminModelForm):
    """A theme's consultation (when it is made), name, summary and priority.

    The choices are the user's own: the consultations they moderate, and the vision
    priorities of those PCNs (of the theme's own PCN once it exists).
    """

    class Meta:
        model = Theme
        fields = ["consultation", "name", "summary", "priority"]
        labels = {"summary": "What we heard", "priority": "Feeds into the vision priority"}
        help_texts = {"summary": "A short, plain-English summary of what residents said."}
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        consultations = moderated_consultations(user).order_by("title")
        if self.instance.pk:
            # A theme stays with its consultation: its ideas are that consultation's.
            consultations = ConsultationPage.objects.filter(pk=self.instance.consultation_id)
            self.fields["consultation"].disabled = True
        self.fields["consultation"] = _select_field(
            self.fields["consultation"], consultations, empty_label=None
        )
        priorities = self.fields["priority"].queryset
        self.fields["priority"] = _select_field(
            self.fields["priority"],
            in_pcns(priorities, _moderated_pcns(user)).order_by("page__path", "sort_order"),
            empty_label="No priority yet",
        )


def _select_field(field, queryset, *, empty_label):
    """A plain select of `queryset` in place of the chooser Wagtail gives a page or snippet."""
    return ModelIdChoiceField(
        queryset=queryset,
        label=field.label,
        help_text=field.help_text,
        required=field.required,
        disabled=field.disabled,
        empty_label=empty_label,
        widget=forms.Select,
    )


class MergeThemesForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Keep this theme; the others' ideas, quotes and summaries move into it",
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the theme to keep"},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        self.fields["into"].queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])

    def clean(self):
        cleaned = super().clean()
        if len(self.themes) < 2:
            raise ValidationError("Tick two or more themes to merge.")
        if len({theme.consultation_id for theme in self.themes}) > 1:
            raise ValidationError("Only themes of the same consultation can be merged.")
        return cleaned
