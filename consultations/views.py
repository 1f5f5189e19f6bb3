"""Views for taking part in a consultation.

They are routes of `ConsultationPage` (so every URL sits under its consultation and its
PCN's site). Each reads input with a form, calls one service, and renders or redirects.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from consultations import permissions, selectors, services
from consultations.forms import (
    CommentForm,
    FlagForm,
    IdeaFilterForm,
    IdeaForm,
    apply_validation_error,
)
from consultations.loop import idea_journeys
from consultations.models import Comment, ConsultationPage, Follow, Idea, PostStatus
from engage.ids import parse_id
from engage.spreadsheets import csv_lines

# Helpers


def _idea_or_404(request, page: ConsultationPage, idea_id: int) -> Idea:
    idea = selectors.idea_for_page(consultation=page, idea_id=idea_id, user=request.user)
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404("No such idea")
    idea.consultation = page
    return idea


def _comment_or_404(request, page: ConsultationPage, comment_id: int) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id, idea__consultation=page)
        .select_related("idea", "author")
        .first()
    )
    if comment is not None:
        comment.idea.consultation = page
    if comment is None or not permissions.can_view_comment(request.user, comment):
        raise Http404("No such comment")
    return comment


def _require_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _render(request, page, template, context, status=200):
    context = {"page": page, "self": page, **context}
    return TemplateResponse(request, template, context, status=status)


def _participation_block(request, page) -> str:
    """Why this user cannot take part right now, in plain English ("" when they can)."""
    user = request.user
    if not page.is_open:
        return "phase"
    if not user.is_authenticated:
        return "sign_in"
    if not permissions.is_verified_resident(user):
        return "verify"
    return ""


# The consultation page and its ideas


def consultation_detail(request, page: ConsultationPage):
    neighbourhoods = list(page.neighbourhoods.order_by("name"))
    themes = list(selectors.consultation_themes(consultation=page))
    filters = IdeaFilterForm(
        request.GET or None, consultation=page, neighbourhoods=neighbourhoods, themes=themes
    )
    values = (
        filters.values()
        if request.GET
        else {"query": "", "sort": "newest", "neighbourhood_id": None, "theme_id": None}
    )
    ideas = selectors.idea_list(consultation=page, user=request.user, **values)
    ideas_page = selectors.paginate(ideas, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        page,
        "consultations/consultation_page.html",
        {
            "filters": filters,
            "neighbourhoods": neighbourhoods,
            "ideas_page": ideas_page,
            "filter_query": query.urlencode(),
            "supported_ids": selectors.supported_idea_ids(user=request.user, ideas=ideas_page),
            "blocked_because": _participation_block(request, page),
            "is_following": request.user.is_authenticated
            and Follow.objects.filter(user=request.user, consultation=page).exists(),
            "searching": bool(values["query"]),
        },
    )


def idea_create(request, page: ConsultationPage):
    if response := _require_login(request):
        return response
    if not permissions.can_participate(request.user, page):
        return _render(
            request,
            page,
            "consultations/cannot_participate.html",
            {"blocked_because": _participation_block(request, page)},
            status=403,
        )
    form = IdeaForm(request.POST or None, consultation=page)
    similar = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" not in request.POST:
            similar = selectors.similar_ideas(
                consultation=page, title=data["title"], body=data["body"]
            )
        if not similar:
            try:
                idea = services.idea_submit(
                    consultation=page,
                    author=request.user,
                    title=data["title"],
                    body=data["body"],
                    neighbourhood=data["neighbourhood"],
                    attribution=data["attribution"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except services.RateLimited as error:
                form.add_error(None, str(error))
                status = 429
            else:
                if idea.status == PostStatus.PENDING:
                    messages.success(
                        request,
                        "Thank you. Your idea is waiting for a moderator. Only you can see it "
                        "until it is approved; we will email you when it is.",
                    )
                else:
                    messages.success(request, "Thank you. Your idea is published.")
                return redirect(page.url + page.reverse_subpage("idea-detail", args=[idea.pk]))
    return _render(
        request,
        page,
        "consultations/idea_form.html",
        {"form": form, "similar": similar, "editing": False},
        status=status,
    )


def idea_detail(request, page: ConsultationPage, idea_id: int):
    idea = _idea_or_404(request, page, idea_id)
    comments = selectors.idea_comments(
        idea=idea, user=request.user, page_number=request.GET.get("comments")
    )
    user = request.user
    return _render(
        request,
        page,
        "consultations/idea_detail.html",
        {
            "idea": idea,
            "comments": comments,
            "comment_form": CommentForm(),
            "can_comment": permissions.can_comment(user, idea),
            "can_support": permissions.can_support(user, idea),
            "can_edit": permissions.can_edit_idea(user, idea),
            "can_withdraw": permissions.can_withdraw_idea(user, idea),
            "can_flag": permissions.can_flag(user, idea),
            "can_follow": permissions.can_follow(user),
            "is_author": permissions.is_author(user, idea),
            "has_supported": idea.has_supported,
            "is_following": idea.is_following,
            "blocked_because": _participation_block(request, page),
            "journey": idea_journeys([idea])[idea.pk],
        },
    )


def idea_edit(request, page: ConsultationPage, idea_id: int):
    if response := _require_login(request):
        return response
    idea = _idea_or_404(request, page, idea_id)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied("You cannot edit this idea.")
    initial = {
        "title": idea.title,
        "body": idea.body,
        "neighbourhood": idea.neighbourhood_id,
        "attribution": idea.attribution,
    }
    form = IdeaForm(request.POST or None, initial=initial, consultation=page)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_update(idea=idea, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if idea.status == PostStatus.PENDING:
                messages.success(request, "Your changes are saved and waiting for a moderator.")
            else:
                messages.success(request, "Your changes are saved.")
            return redirect(page.url + page.reverse_subpage("idea-detail", args=[idea.pk]))
    return _render(
        request, page, "consultations/idea_form.html", {"form": form, "idea": idea, "editing": True}
    )


def idea_withdraw(request, page: ConsultationPage, idea_id: int):
    if response := _require_login(request):
        return response
    idea = _idea_or_404(request, page, idea_id)
    if not permissions.can_withdraw_idea(request.user, idea):
        raise PermissionDenied("You cannot withdraw this idea.")
    if request.method == "POST":
        services.idea_withdraw(idea=idea, user=request.user)
        messages.success(request, "Your idea has been withdrawn. Nobody else can see it now.")
        return redirect(page.url)
    return _render(
        request,
        page,
        "consultations/confirm_withdraw.html",
        {"post": idea, "kind": "idea", "cancel_url": _idea_url(page, idea)},
    )


def _idea_url(page, idea) -> str:
    return page.url + page.reverse_subpage("idea-detail", args=[idea.pk])


@require_POST
def idea_support(request, page: ConsultationPage, idea_id: int):
    if response := _require_login(request):
        return response
    idea = _idea_or_404(request, page, idea_id)
    if request.POST.get("action") == "remove":
        if services.support_remove(idea=idea, user=request.user):
            messages.success(request, "You no longer support this idea.")
    else:
        if services.support_add(idea=idea, user=request.user):
            messages.success(request, "Thank you. You support this idea.")
        else:
            messages.info(request, "You already support this idea.")
    return redirect(_idea_url(page, idea))


@require_POST
def idea_follow(request, page: ConsultationPage, idea_id: int):
    if response := _require_login(request):
        return response
    idea = _idea_or_404(request, page, idea_id)
    if request.POST.get("action") == "remove":
        services.follow_remove(user=request.user, idea=idea)
        messages.success(request, "You no longer follow this idea.")
    else:
        services.follow_add(user=request.user, idea=idea)
        messages.success(
            request, "You are following this idea. We will email you when it moves on."
        )
    return redirect(_idea_url(page, idea))


@require_POST
def consultation_follow(request, page: ConsultationPage):
    if response := _require_login(request):
        return response
    if request.POST.get("action") == "remove":
        services.follow_remove(user=request.user, consultation=page)
        messages.success(request, "You no longer follow this consultation.")
    else:
        services.follow_add(user=request.user, consultation=page)
        messages.success(
            request,
            "You are following this consultation. We will email you when it closes and when "
            "we respond.",
        )
    return redirect(page.url)


def _flag_view(request, page, *, idea=None, comment=None):
    target = idea or comment
    if not permissions.can_flag(request.user, target):
        raise PermissionDenied("You cannot report this.")
    idea_for_url = idea or comment.idea
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
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
            messages.success(request, "Thank you for telling us. A moderator will look at it soon.")
            return redirect(_idea_url(page, idea_for_url))
    return _render(
        request,
        page,
        "consultations/flag_form.html",
        {
            "form": form,
            "target": target,
            "kind": "idea" if idea else "comment",
            "cancel_url": _idea_url(page, idea_for_url),
        },
        status=status,
    )


def idea_flag(request, page: ConsultationPage, idea_id: int):
    if response := _require_login(request):
        return response
    return _flag_view(request, page, idea=_idea_or_404(request, page, idea_id))


def comment_flag(request, page: ConsultationPage, comment_id: int):
    if response := _require_login(request):
        return response
    return _flag_view(request, page, comment=_comment_or_404(request, page, comment_id))


# Comments


def comment_create(request, page: ConsultationPage, idea_id: int):
    if response := _require_login(request):
        return response
    idea = _idea_or_404(request, page, idea_id)
    form = CommentForm(request.POST or None)
    parent = None
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
                idea=idea, author=request.user, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except services.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        else:
            if comment.status == PostStatus.PENDING:
                messages.success(request, "Thank you. Your comment is waiting for a moderator.")
            else:
                messages.success(request, "Thank you. Your comment is published.")
            return redirect(f"{_idea_url(page, idea)}#comment-{comment.pk}")
    elif request.method == "GET":
        parent_id = parse_id(request.GET.get("reply_to"))
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, idea=idea, parent__isnull=True).first()
            if parent is None or not permissions.can_view_comment(request.user, parent):
                raise Http404("No such comment")
            form = CommentForm(initial={"parent": parent.pk})
    if not permissions.can_comment(request.user, idea):
        raise PermissionDenied("You cannot comment on this idea.")
    return _render(
        request,
        page,
        "consultations/comment_form.html",
        {"form": form, "idea": idea, "parent": parent, "cancel_url": _idea_url(page, idea)},
        status=status,
    )


def comment_edit(request, page: ConsultationPage, comment_id: int):
    if response := _require_login(request):
        return response
    comment = _comment_or_404(request, page, comment_id)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied("You cannot edit this comment.")
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_update(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your comment is saved.")
            return redirect(f"{_idea_url(page, comment.idea)}#comment-{comment.pk}")
    return _render(
        request,
        page,
        "consultations/comment_form.html",
        {
            "form": form,
            "idea": comment.idea,
            "comment": comment,
            "cancel_url": _idea_url(page, comment.idea),
        },
    )


def comment_withdraw(request, page: ConsultationPage, comment_id: int):
    if response := _require_login(request):
        return response
    comment = _comment_or_404(request, page, comment_id)
    if not permissions.can_withdraw_comment(request.user, comment):
        raise PermissionDenied("You cannot withdraw this comment.")
    if request.method == "POST":
        services.comment_withdraw(comment=comment, user=request.user)
        messages.success(request, "Your comment has been withdrawn.")
        return redirect(_idea_url(page, comment.idea))
    return _render(
        request,
        page,
        "consultations/confirm_withdraw.html",
        {"post": comment, "kind": "comment", "cancel_url": _idea_url(page, comment.idea)},
    )


# What we heard

FINDINGS_CSV_HEADER = [
    "Idea number",
    "Title",
    "Idea",
    "Neighbourhood",
    "How it was sent",
    "Date posted",
    "Supports",
    "Comments",
    "Themes",
]


def _findings_visible(request, page) -> bool:
    return page.has_findings or permissions.can_moderate(request.user, page)


def what_we_heard(request, page: ConsultationPage):
    if not _findings_visible(request, page):
        raise Http404("Not published yet")
    themes = list(selectors.findings(consultation=page))
    published = Idea.objects.filter(consultation=page, status=PostStatus.PUBLISHED)
    return _render(
        request,
        page,
        "consultations/what_we_heard.html",
        {
            "themes": themes,
            "idea_count": published.count(),
            "unthemed_count": published.filter(themes__isnull=True).count(),
            "preview": not page.has_findings,
        },
    )


def what_we_heard_csv(request, page: ConsultationPage):
    if not _findings_visible(request, page):
        raise Http404("Not published yet")
    rows = selectors.findings_export_rows(consultation=page)
    response = StreamingHttpResponse(
        csv_lines(FINDINGS_CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="what-we-heard-{page.slug}.csv"'
    return response
