"""The form a place lead links a Place priority with: a theme or a priority of the Place's
own PCNs only (`home.boundary.in_place`), of public consultations and visions."""

from django import forms

from consultations.models import ConsultationPage, Theme
from home.boundary import in_place
from home.models import HomePage, VisionPage, VisionPriority


class PlaceLinkForm(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        label="A PCN theme",
        help_text="Themes of the Place's PCNs' public consultations.",
    )
    vision_priority = forms.ModelChoiceField(
        queryset=VisionPriority.objects.none(),
        required=False,
        label="Or a PCN priority",
        help_text="A priority of one of the Place's PCNs' shared visions.",
    )

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.pcn_names = {
            home.path: home.pcn.name
            for home in HomePage.objects.filter(pcn__place=place).select_related("pcn")
        }
        public = ConsultationPage.objects.live().public().values("pk")
        self.fields["theme"].queryset = (
            in_place(Theme.objects.filter(consultation__in=public), place)
            .select_related("consultation")
            .order_by("consultation__path", "name")
        )
        self.fields["theme"].label_from_instance = self.theme_label
        self.fields["vision_priority"].queryset = (
            in_place(
                VisionPriority.objects.filter(page__in=VisionPage.objects.live().values("pk")),
                place,
            )
            .select_related("page")
            .order_by("page__path", "sort_order")
        )
        self.fields["vision_priority"].label_from_instance = self.priority_label

    def pcn_name(self, path: str) -> str:
        for length in range(4, len(path) + 1, 4):
            if path[:length] in self.pcn_names:
                return self.pcn_names[path[:length]]
        return ""

    def theme_label(self, theme) -> str:
        consultation = theme.consultation
        return f"{theme.name} ({self.pcn_name(consultation.path)}: {consultation.title})"

    def priority_label(self, priority) -> str:
        return f"{priority.title} ({self.pcn_name(priority.page.path)})"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("theme")) == bool(cleaned.get("vision_priority")):
            raise forms.ValidationError("Choose one PCN theme or one PCN priority to link.")
        return cleaned
