"""The admin's "Set up a PCN" screen: `home.services.pcn_onboard` behind a form.

A custom view, not Wagtail's snippet create view: that saves one PrimaryCareNetwork row,
while setting up a PCN makes its role groups, collection, site, pages, neighbourhoods and
practices in one step, from fields that are not the PCN's own (host name, practices).
Only admins may use it (they alone hold permissions on PCNs).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from engage.text import validate_single_line
from home.models import Place, ods_pcn_code, ods_practice_code
from home.services import PracticeEntry, pcn_onboard


class PcnSetupForm(forms.Form):
    name = forms.CharField(max_length=150, validators=[validate_single_line])
    ods_code = forms.CharField(
        label="ODS code",
        max_length=6,
        help_text="The PCN's code in the NHS Organisation Data Service, like U12345.",
    )
    place = forms.ModelChoiceField(queryset=Place.objects.select_related("integrated_care_system"))
    hostname = forms.CharField(
        label="Site address",
        max_length=255,
        help_text="The host name residents will visit, like riverside.example.nhs.uk.",
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        help_text="Shown in the footer and the accessibility statement.",
    )
    safeguarding_contact_name = forms.CharField(
        label="Safeguarding contact's name or role (optional)",
        max_length=150,
        required=False,
        validators=[validate_single_line],
        help_text="For example: Safeguarding lead, Riverside Surgery.",
    )
    safeguarding_contact_email = forms.EmailField(
        label="Safeguarding contact's email address (optional)",
        required=False,
        help_text="Emailed at once when a resident sends a post that reads like an emergency "
        "or a risk to someone's safety. Without one, the PCN's PPG moderators are emailed.",
    )
    neighbourhoods = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One per line.",
    )
    practices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One per line: ODS code, name, and optionally its neighbourhood, separated "
        "by commas. For example: Y12345, Riverside Surgery, Riverside",
    )

    def clean_ods_code(self):
        code = self.cleaned_data["ods_code"].strip().upper()
        ods_pcn_code(code)
        return code

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower()
        if not hostname or any(character in hostname for character in "/: @"):
            raise ValidationError("Enter a host name only, like riverside.example.nhs.uk.")
        return hostname

    def clean_neighbourhoods(self):
        names = []
        for line in self.cleaned_data["neighbourhoods"].splitlines():
            name = line.strip()
            if not name:
                continue
            validate_single_line(name)
            if len(name) > 100:
                raise ValidationError(f"“{name[:40]}…” is longer than 100 characters.")
            names.append(name)
        return list(dict.fromkeys(names))

    def clean_practices(self):
        entries = []
        for number, line in enumerate(self.cleaned_data["practices"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            if len(parts) not in (2, 3) or not all(parts[:2]):
                raise ValidationError(
                    f"Line {number}: write the ODS code, then the name, then optionally "
                    "the neighbourhood, separated by commas."
                )
            code = parts[0].upper()
            try:
                ods_practice_code(code)
                validate_single_line(parts[1])
            except ValidationError as error:
                raise ValidationError(f"Line {number}: {' '.join(error.messages)}") from error
            entries.append(PracticeEntry(code, *parts[1:]))
        return entries


class PcnSetupView(WagtailAdminTemplateMixin, FormView):
    form_class = PcnSetupForm
    template_name = "home/admin/pcn_setup.html"
    page_title = "Set up a PCN"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied("Only admins set up PCNs.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {
                "url": reverse("wagtailsnippets_home_primarycarenetwork:list"),
                "label": "Primary care networks",
            },
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = pcn_onboard(
                name=data["name"],
                ods_code=data["ods_code"],
                place=data["place"],
                hostname=data["hostname"],
                contact_email=data["contact_email"],
                safeguarding_contact_email=data["safeguarding_contact_email"],
                safeguarding_contact_name=data["safeguarding_contact_name"],
                neighbourhoods=data["neighbourhoods"],
                practices=data["practices"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        if result.made:
            messages.success(
                self.request, f"{result.pcn.name}: made " + "; ".join(result.made) + "."
            )
        else:
            messages.info(self.request, f"{result.pcn.name} was already set up; nothing changed.")
        return redirect("wagtailsnippets_home_primarycarenetwork:edit", result.pcn.pk)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
