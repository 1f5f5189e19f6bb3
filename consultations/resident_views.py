"""A resident's own pages: their contributions, their email choices and "About you"."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from consultations.forms import (
    CommunicationNeedsFields,
    EqualityAnswersForm,
    apply_validation_error,
)
from consultations.loop import idea_journeys
from consultations.models import (
    QUESTIONS,
    CommunicationNeeds,
    EqualityAnswers,
    Idea,
    OfflineContributor,
    PostStatus,
)
from consultations.notifications import UNSUBSCRIBE_SALT
from consultations.services.equality import (
    communication_needs_save,
    equality_answers_save,
    equality_answers_skip,
)
from engage.models import User


@login_required
def my_contributions(request):
    ideas = (
        Idea.objects.filter(author=request.user)
        .exclude(status=PostStatus.WITHDRAWN)
        .select_related("consultation", "neighbourhood")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(ideas, 20).get_page(request.GET.get("page"))
    journeys = idea_journeys(page.object_list)
    return TemplateResponse(
        request,
        "consultations/my_contributions.html",
        {"page_obj": page, "items": [(idea, journeys[idea.pk]) for idea in page.object_list]},
    )


class PreferencesForm(forms.ModelForm, CommunicationNeedsFields):
    """Emails, and the formats the resident needs (the Accessible Information Standard)."""

    class Meta:
        model = User
        fields = ["email_updates"]
        widgets = {"email_updates": forms.CheckboxInput}


@login_required
def notification_preferences(request):
    needs = CommunicationNeeds.objects.filter(user=request.user).first()
    initial = {}
    if needs is not None:
        initial = {
            "communication_formats": needs.formats,
            "communication_language": needs.language,
            "communication_other": needs.other,
        }
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        instance=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                communication_needs_save(user=request.user, **form.communication_needs())
                form.save()
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your choices are saved.")
            return redirect("consultations:preferences")
    return TemplateResponse(
        request,
        "consultations/preferences.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@csrf_exempt  # the signed token is the authority; mail clients post here (RFC 8058)
def unsubscribe(request, token):
    """Stop update emails, for a user or for a resident who took part offline."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
        if "contributor" in payload:
            recipients = OfflineContributor.objects.filter(pk=int(payload["contributor"]))
        else:
            recipients = User.objects.filter(pk=int(payload["user"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        recipients = None
    if recipients is None or not recipients.exists():
        return TemplateResponse(
            request, "consultations/unsubscribe.html", {"invalid": True}, status=400
        )
    offline = recipients.model is OfflineContributor
    if request.method == "POST":
        recipients.update(email_updates=False)
        return TemplateResponse(
            request, "consultations/unsubscribe.html", {"done": True, "offline": offline}
        )
    return TemplateResponse(request, "consultations/unsubscribe.html", {"token": token})


def _next_url(request) -> str:
    """Where to go after "About you": back to the post they just made, if that is where they
    came from (an address on this site only), else "About you" itself."""
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


@login_required
def about_you(request):
    """The resident's equality answers: optional, each with "Prefer not to say", skipped in
    one click, changed whenever they like. Asked once after their first post."""
    record = EqualityAnswers.objects.filter(user=request.user).first()
    has_area = record is not None and record.deprivation_decile is not None
    next_url = _next_url(request)
    if request.method == "POST" and "skip" in request.POST:
        equality_answers_skip(user=request.user)
        return redirect(next_url or "consultations:my-contributions")
    initial = {}
    if record is not None:
        initial = {name: getattr(record, name) for name, _choices in QUESTIONS}
    form = EqualityAnswersForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        has_area=has_area,
    )
    if request.method == "POST" and form.is_valid():
        try:
            equality_answers_save(
                user=request.user,
                answers=form.answers(),
                postcode=form.cleaned_data["postcode"],
                forget_area=form.cleaned_data.get("forget_area", False),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect(next_url or reverse("consultations:about-you"))
    return TemplateResponse(
        request,
        "consultations/about_you.html",
        {
            "form": form,
            "next_url": next_url,
            "record": record,
            "has_area": has_area,
        },
    )
