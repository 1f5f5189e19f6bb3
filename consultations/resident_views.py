"""A resident's own pages: their contributions and their email choices."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt

from consultations.loop import idea_journeys
from consultations.models import Idea, OfflineContributor, PostStatus
from consultations.notifications import UNSUBSCRIBE_SALT
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


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_updates"]
        widgets = {"email_updates": forms.CheckboxInput}


@login_required
def notification_preferences(request):
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email choices are saved.")
        return redirect("consultations:preferences")
    return TemplateResponse(request, "consultations/preferences.html", {"form": form})


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
