"""Reporting an idea or a comment to the moderators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from consultations import moderation, permissions
from consultations.forms import FlagForm, apply_validation_error
from consultations.models import ConsultationPage
from consultations.services import participation as services
from consultations.views.common import (
    comment_or_404,
    idea_or_404,
    idea_url,
    login_redirect,
    page_render,
)


def _flag_view(request, page, *, idea=None, comment=None):
    target = idea or comment
    if not permissions.can_flag(request.user, target):
        raise PermissionDenied("You cannot report this.")
    idea_for_url = idea or comment.idea
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            flag = moderation.flag_report(
                reporter=request.user,
                idea=idea,
                comment=comment,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except services.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        else:
            if flag.hid_post is None:
                messages.success(
                    request, "Thank you for telling us. A moderator will look at it soon."
                )
                return redirect(idea_url(page, idea_for_url))
            # Theirs was the report that hid it: say so, and go where it no longer shows
            # (a hidden idea's own page is not found; a hidden comment's idea still is).
            kind = "idea" if idea else "comment"
            messages.success(
                request,
                f"Thank you for telling us. Other residents reported this {kind} too, so it is "
                "hidden until a moderator looks at it.",
            )
            return redirect(page.url if idea else idea_url(page, idea_for_url))
    return page_render(
        request,
        page,
        "consultations/flag_form.html",
        {
            "form": form,
            "target": target,
            "kind": "idea" if idea else "comment",
            "cancel_url": idea_url(page, idea_for_url),
        },
        status=status,
    )


def idea_flag(request, page: ConsultationPage, idea_id: int):
    if response := login_redirect(request):
        return response
    return _flag_view(request, page, idea=idea_or_404(request, page, idea_id))


def comment_flag(request, page: ConsultationPage, comment_id: int):
    if response := login_redirect(request):
        return response
    return _flag_view(request, page, comment=comment_or_404(request, page, comment_id))
