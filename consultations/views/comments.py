"""Comments on an idea, and replies to them: posting, editing and withdrawing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from consultations import permissions
from consultations.forms import CommentForm, apply_validation_error
from consultations.models import Comment, ConsultationPage, PostStatus
from consultations.services import participation as services
from consultations.services import safety
from consultations.views.common import (
    after_post,
    comment_or_404,
    held_message,
    idea_or_404,
    idea_url,
    login_redirect,
    page_render,
    safety_seen,
)
from engage.ids import parse_id


def comment_create(request, page: ConsultationPage, idea_id: int):
    if response := login_redirect(request):
        return response
    idea = idea_or_404(request, page, idea_id)
    form = CommentForm(request.POST or None)
    parent = None
    panel = None
    status = 200
    if request.method == "POST" and form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        if parent_id:
            parent = Comment.objects.filter(pk=parent_id, idea=idea).select_related("idea").first()
            if parent is None or not permissions.can_view_comment(request.user, parent):
                raise Http404("No such comment")
            parent.idea = idea
        try:
            comment = services.comment_create(
                idea=idea,
                author=request.user,
                body=form.cleaned_data["body"],
                parent=parent,
                safety_seen=safety_seen(request),
            )
        except safety.SafetyCheckNeeded as needed:
            panel = needed.check
        except ValidationError as error:
            apply_validation_error(form, error)
        except services.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        else:
            if comment.safety_hold is not None:
                messages.success(
                    request, "Thank you. " + held_message("comment", comment.safety_hold)
                )
            elif comment.status == PostStatus.PENDING:
                messages.success(request, "Thank you. Your comment is waiting for a moderator.")
            else:
                messages.success(request, "Thank you. Your comment is published.")
            return after_post(request, comment, f"{idea_url(page, idea)}#comment-{comment.pk}")
    elif request.method == "GET":
        parent_id = parse_id(request.GET.get("reply_to"))
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, idea=idea, parent__isnull=True).first()
            if parent is None or not permissions.can_view_comment(request.user, parent):
                raise Http404("No such comment")
            form = CommentForm(initial={"parent": parent.pk})
    if not permissions.can_comment(request.user, idea):
        raise PermissionDenied("You cannot comment on this idea.")
    return page_render(
        request,
        page,
        "consultations/comment_form.html",
        {
            "form": form,
            "idea": idea,
            "parent": parent,
            "safety": panel,
            "cancel_url": idea_url(page, idea),
        },
        status=status,
    )


def comment_edit(request, page: ConsultationPage, comment_id: int):
    if response := login_redirect(request):
        return response
    comment = comment_or_404(request, page, comment_id)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied("You cannot edit this comment.")
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    panel = None
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_update(
                comment=comment,
                user=request.user,
                body=form.cleaned_data["body"],
                safety_seen=safety_seen(request),
            )
        except safety.SafetyCheckNeeded as needed:
            panel = needed.check
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if comment.safety_hold is not None and comment.status == PostStatus.PENDING:
                messages.success(
                    request,
                    "Your comment is saved. " + held_message("comment", comment.safety_hold),
                )
            else:
                messages.success(request, "Your comment is saved.")
            return redirect(f"{idea_url(page, comment.idea)}#comment-{comment.pk}")
    return page_render(
        request,
        page,
        "consultations/comment_form.html",
        {
            "form": form,
            "idea": comment.idea,
            "comment": comment,
            "safety": panel,
            "cancel_url": idea_url(page, comment.idea),
        },
    )


def comment_withdraw(request, page: ConsultationPage, comment_id: int):
    if response := login_redirect(request):
        return response
    comment = comment_or_404(request, page, comment_id)
    if not permissions.can_withdraw_comment(request.user, comment):
        raise PermissionDenied("You cannot withdraw this comment.")
    if request.method == "POST":
        services.comment_withdraw(comment=comment, user=request.user)
        messages.success(request, "Your comment has been withdrawn.")
        return redirect(idea_url(page, comment.idea))
    return page_render(
        request,
        page,
        "consultations/confirm_withdraw.html",
        {"post": comment, "kind": "comment", "cancel_url": idea_url(page, comment.idea)},
    )
