"""The consultation page and its ideas: the list, posting, editing and withdrawing an idea,
supporting it, and following an idea or a consultation.
"""

import math
import re
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from consultations import permissions, selectors
from consultations.forms import CommentForm, IdeaFilterForm, IdeaForm, apply_validation_error
from consultations.loop import idea_journeys
from consultations.models import ConsultationPage, Follow, Idea, PostStatus
from consultations.services import participation as services
from consultations.services import safety
from consultations.views.common import (
    SubpageLinks,
    after_post,
    held_message,
    idea_or_404,
    idea_url,
    keeping,
    kept,
    kept_for_visitors,
    login_redirect,
    page_render,
    participation_block,
    safety_seen,
)

# The consultation page and its ideas


class KeptRows(NamedTuple):
    """A page of an idea list as visitors see it (kept until the site's content changes):
    how many ideas match, their ids, the rows with their page links, the rows with where
    "You support this" goes marked, and the page links alone, for a resident whose page
    shows the same ideas; and where its last row stands in each sort (`selectors.sort_key`),
    to tell whether a resident's own unlisted ideas come after this page."""

    count: int
    ids: tuple[int, ...]
    html: str
    marked: str
    pages: str
    last: dict[str, tuple]


# Where a row says "You support this" (`includes/idea_rows.html`): kept in a visitor's
# rows, marked, so a resident's page can fill it in. Nobody can write such a comment into a
# page: every resident's word is escaped.
_SUPPORT_MARK = re.compile(r"<!--engage-support:(\d+)-->(.*?)<!--/engage-support-->", re.S)


def _supports_shown(marked: SafeString, supported: set[int]) -> SafeString:
    """The rows saying "You support this" on the ideas in `supported` alone."""
    shown = _SUPPORT_MARK.sub(lambda match: match[2] if int(match[1]) in supported else "", marked)
    # Rendered rows with parts of their own markup taken out: as safe as they were.
    return mark_safe(shown)  # noqa: S308


# What `KeptRows` are kept under: a new name whenever what they hold changes, so rows kept
# by an earlier version are never read as these.
KEPT_ROWS = "idea-rows-with-last"


class _SignedInNobody:
    """Someone signed in who wrote nothing: whom a comment thread kept for everyone signed
    in is rendered for, so that no comment in it is ever shown as the reader's own."""

    is_authenticated = True
    is_anonymous = False
    pk = id = object()  # equal to no author's id, not even a comment's missing author's


SIGNED_IN_NOBODY = _SignedInNobody()

# The query parameters the idea list reads: its pages' links carry them, and nothing else.
IDEA_LIST_FILTERS = ("q", "sort", "neighbourhood", "theme")


def consultation_detail(request, page: ConsultationPage):
    neighbourhoods, themes = selectors.idea_filter_choices(consultation=page)
    filters = IdeaFilterForm(
        request.GET or None, consultation=page, neighbourhoods=neighbourhoods, themes=themes
    )
    values = (
        filters.values()
        if request.GET
        else {"query": "", "sort": "newest", "neighbourhood_id": None, "theme_id": None}
    )
    query = request.GET.copy()
    for name in list(query):
        if name not in IDEA_LIST_FILTERS:
            del query[name]
    filter_query = query.urlencode()
    page_number = request.GET.get("page")

    def ideas_of(user):
        ideas = selectors.idea_list(consultation=page, user=user, **values)
        return selectors.paginate(ideas, page_number=page_number)

    def rows(user, ideas_page) -> KeptRows:
        """The page of ideas asked for as `user` sees it, with its page links."""
        if not ideas_page.object_list:
            return KeptRows(0, (), "", "", "", {})
        links = SubpageLinks(request, page)
        for idea in ideas_page:
            idea.detail_url = links("idea-detail", idea.pk)
        marked = render_to_string(
            "consultations/includes/idea_rows.html", {"ideas_page": ideas_page}
        )
        ids = tuple(idea.pk for idea in ideas_page)
        supported = selectors.supported_idea_ids(user=user, idea_ids=ids)
        pages = pagination(ideas_page)
        last = ideas_page[-1]
        return KeptRows(
            count=ideas_page.paginator.count,
            ids=ids,
            html=_supports_shown(marked, supported) + pages,
            marked=marked,
            pages=pages,
            last={sort: selectors.sort_key(last, sort) for sort in selectors.SORTS},
        )

    def pagination(ideas_page) -> str:
        context = {"ideas_page": ideas_page, "filter_query": filter_query}
        return render_to_string("consultations/includes/idea_pages.html", context)

    def visitors_rows() -> KeptRows:
        visitor = AnonymousUser()
        return rows(visitor, ideas_of(visitor))

    def residents_rows() -> tuple[int, str]:
        """A signed-in person's page of ideas: the visitors' kept rows, with what they
        support marked, when their page shows the same ideas (`same_page_as_visitors`);
        else their own, rendered."""
        user = request.user
        if keeping():
            unlisted = selectors.own_unlisted_ideas(consultation=page, user=user, **values)
            visitors = kept(request, page, KEPT_ROWS, parts, visitors_rows, for_everyone=True)
            if same_page_as_visitors(visitors, unlisted):
                supported = selectors.supported_idea_ids(user=user, idea_ids=visitors.ids)
                shown = _supports_shown(visitors.marked, supported) + visitors.pages
                return visitors.count + len(unlisted), shown
        mine = rows(user, ideas_of(user))
        return mine.count, mine.html

    def same_page_as_visitors(visitors: KeptRows, unlisted: list[Idea]) -> bool:
        """Whether the page asked for, with its links, is the visitors' one for a resident
        whose list is the visitors' list and their own `unlisted` ideas.

        Exact: every sort is a total order (`selectors.sort_key`), so the resident's list
        is the visitors' with each unlisted idea in its place. When each comes after the
        last row of a full page N, the resident's first N pages are the visitors' first N.
        With as many pages in all, the page number asked for is made the same N
        (`Paginator.get_page` turns a number that is no page into the first or the last
        from the number of pages alone), and the page links (previous, next, "Page N of
        M") are the same too. Only the count differs."""
        if not unlisted:
            return True
        if len(visitors.ids) < selectors.IDEAS_PER_PAGE:
            return False
        pages = math.ceil(visitors.count / selectors.IDEAS_PER_PAGE)
        if math.ceil((visitors.count + len(unlisted)) / selectors.IDEAS_PER_PAGE) != pages:
            return False
        last = visitors.last.get(values["sort"])
        return last is not None and all(
            selectors.sort_key(idea, values["sort"]) < last for idea in unlisted
        )

    def filters_form() -> str:
        context = {"page": page, "filters": filters}
        return render_to_string("consultations/includes/idea_filters.html", context)

    parts = (filter_query, page_number)
    if request.user.is_authenticated:
        idea_count, idea_rows = residents_rows()
    else:
        visitors = kept_for_visitors(request, page, KEPT_ROWS, parts, visitors_rows)
        idea_count, idea_rows = visitors.count, visitors.html
    idea_filters = kept(
        request, page, "idea-filters", (filter_query,), filters_form, for_everyone=True
    )
    return page_render(
        request,
        page,
        "consultations/consultation_page.html",
        {
            "idea_filters": idea_filters,
            "neighbourhoods": neighbourhoods,
            "idea_count": idea_count,
            "idea_rows": idea_rows,
            "blocked_because": participation_block(request, page),
            "is_following": request.user.is_authenticated
            and Follow.objects.filter(user=request.user, consultation=page).exists(),
            "searching": bool(values["query"]),
        },
    )


def idea_create(request, page: ConsultationPage):
    if response := login_redirect(request):
        return response
    if not permissions.can_participate(request.user, page):
        return page_render(
            request,
            page,
            "consultations/cannot_participate.html",
            {"blocked_because": participation_block(request, page)},
            status=403,
        )
    form = IdeaForm(request.POST or None, consultation=page)
    similar = []
    panel = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seen = safety_seen(request)
        # The safety panel comes first: help for someone who needs it before anything else.
        check = safety.post_check(title=data["title"], body=data["body"])
        if not safety.safety_acknowledged(check, seen):
            panel = check
        elif "confirm" not in request.POST:
            similar = selectors.similar_ideas(
                consultation=page, title=data["title"], body=data["body"]
            )
        if panel is None and not similar:
            try:
                idea = services.idea_submit(
                    consultation=page,
                    author=request.user,
                    title=data["title"],
                    body=data["body"],
                    neighbourhood=data["neighbourhood"],
                    practice=data["practice"],
                    attribution=data["attribution"],
                    safety_seen=seen,
                )
            except safety.SafetyCheckNeeded as needed:
                panel = needed.check
            except ValidationError as error:
                apply_validation_error(form, error)
            except services.RateLimited as error:
                form.add_error(None, str(error))
                status = 429
            else:
                if idea.safety_hold is not None:
                    messages.success(
                        request, "Thank you. " + held_message("idea", idea.safety_hold)
                    )
                elif idea.status == PostStatus.PENDING:
                    messages.success(
                        request,
                        "Thank you. Your idea is waiting for a moderator. Only you can see it "
                        "until it is approved; we will email you when it is.",
                    )
                else:
                    messages.success(request, "Thank you. Your idea is published.")
                return after_post(request, idea, idea_url(page, idea))
    return page_render(
        request,
        page,
        "consultations/idea_form.html",
        {"form": form, "similar": similar, "safety": panel, "editing": False},
        status=status,
    )


def idea_detail(request, page: ConsultationPage, idea_id: int):
    user = request.user
    comments_page = request.GET.get("comments")

    def summary(idea: Idea) -> str:
        """The idea down to its journey and how many support it: a published idea's is the
        same for everyone who may see it, so it is kept for them all."""

        def render(shown: Idea) -> str:
            selectors.idea_placements_read(idea=shown)
            context = {
                "page": page,
                "idea": shown,
                "is_author": permissions.is_author(user, shown),
                "journey": idea_journeys([shown])[shown.pk],
            }
            return render_to_string("consultations/includes/idea_summary.html", context)

        def published() -> str | None:
            # Read again: what is kept is read after the site's generations are (`idea`
            # was read before them), so a change made meanwhile is never kept as current.
            current = selectors.idea_for_page(consultation=page, idea_id=idea.pk)
            if current is None or current.status != PostStatus.PUBLISHED:
                return None
            return render(current)

        if idea.status == PostStatus.PUBLISHED and keeping():
            shown = kept(request, page, "idea-summary", (idea.pk,), published, for_everyone=True)
            if shown is not None:
                return shown
        return render(idea)

    def thread_for(reader, idea: Idea, comments, **flags) -> str:
        """The idea's page of comments as `reader` sees them, with their links."""
        links = SubpageLinks(request, page)
        reply_url = links("comment-create", idea.pk) + "?reply_to="
        for comment in comments:
            comment.reply_url = f"{reply_url}{comment.pk}"
            for each in (comment, *comment.visible_replies):
                each.edit_url = links("comment-edit", each.pk)
                each.withdraw_url = links("comment-withdraw", each.pk)
                each.flag_url = links("comment-flag", each.pk)
        context = {"user": reader, "idea": idea, "comments": comments, **flags}
        return render_to_string("consultations/includes/comment_thread.html", context)

    def everyones_thread(idea: Idea, **flags) -> str:
        """The idea's page of comments for someone signed in with none of their own on it:
        its published comments, as everyone signed in with none sees them who has the same
        `flags` (whether they may comment and report, and why they cannot take part), so
        kept for them all. Rendered for `SIGNED_IN_NOBODY`, never for the person asking:
        a comment of theirs published since they were found to have none shows as anyone
        else's."""

        def render() -> str:
            # Read again, as the summary is: what is kept is read after the site's
            # generations are, so its count of comments is never older than its comments.
            current = selectors.idea_for_page(consultation=page, idea_id=idea.pk) or idea
            comments = selectors.idea_comments(
                idea=current, user=AnonymousUser(), page_number=comments_page
            )
            return thread_for(SIGNED_IN_NOBODY, current, comments, **flags)

        parts = (idea.pk, comments_page, "signed in", *sorted(flags.items()))
        return kept(request, page, "idea-thread", parts, render, for_everyone=True)

    def parts() -> tuple[Idea, str, str]:
        """The idea, its summary and its comments as `user` sees them. For a visitor, kept:
        the idea as a few plain fields, which is all the rest of its page reads."""
        idea = idea_or_404(request, page, idea_id)
        flags = {
            "can_comment": permissions.can_comment(user, idea),
            "can_follow": permissions.can_follow(user),
            "blocked_because": participation_block(request, page),
        }
        if user.is_authenticated and not idea.has_own_comment and keeping():
            return idea, summary(idea), everyones_thread(idea, **flags)
        comments = selectors.idea_comments(idea=idea, user=user, page_number=comments_page)
        comment_thread = thread_for(user, idea, comments, **flags)
        if user.is_authenticated:
            return idea, summary(idea), comment_thread
        shown = Idea(
            pk=idea.pk,
            consultation_id=idea.consultation_id,
            author_id=idea.author_id,
            title=idea.title,
            status=idea.status,
        )
        return shown, summary(idea), comment_thread

    idea, idea_summary, thread = kept_for_visitors(
        request, page, "idea-page", (int(idea_id), comments_page), parts
    )
    idea.consultation = page
    return page_render(
        request,
        page,
        "consultations/idea_detail.html",
        {
            "idea": idea,
            "idea_summary": idea_summary,
            "comment_thread": thread,
            "comment_form": CommentForm(),
            "can_comment": permissions.can_comment(user, idea),
            "can_comment_without_account": permissions.can_comment_without_account(user, idea),
            "can_support": permissions.can_support(user, idea),
            "can_edit": permissions.can_edit_idea(user, idea),
            "can_withdraw": permissions.can_withdraw_idea(user, idea),
            "can_flag": permissions.can_flag(user, idea),
            "can_follow": permissions.can_follow(user),
            "is_author": permissions.is_author(user, idea),
            "has_supported": user.is_authenticated and idea.has_supported,
            "is_following": user.is_authenticated and idea.is_following,
            "blocked_because": participation_block(request, page),
        },
    )


def idea_edit(request, page: ConsultationPage, idea_id: int):
    if response := login_redirect(request):
        return response
    idea = idea_or_404(request, page, idea_id)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied("You cannot edit this idea.")
    initial = {
        "title": idea.title,
        "body": idea.body,
        "neighbourhood": idea.neighbourhood_id,
        "practice": idea.practice_id,
        "attribution": idea.attribution,
    }
    form = IdeaForm(request.POST or None, initial=initial, consultation=page)
    panel = None
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_update(
                idea=idea, user=request.user, safety_seen=safety_seen(request), **form.cleaned_data
            )
        except safety.SafetyCheckNeeded as needed:
            panel = needed.check
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if idea.safety_hold is not None and idea.status == PostStatus.PENDING:
                messages.success(
                    request, "Your changes are saved. " + held_message("idea", idea.safety_hold)
                )
            elif idea.status == PostStatus.PENDING:
                messages.success(request, "Your changes are saved and waiting for a moderator.")
            else:
                messages.success(request, "Your changes are saved.")
            return redirect(page.url + page.reverse_subpage("idea-detail", args=[idea.pk]))
    return page_render(
        request,
        page,
        "consultations/idea_form.html",
        {"form": form, "idea": idea, "safety": panel, "editing": True},
    )


def idea_withdraw(request, page: ConsultationPage, idea_id: int):
    if response := login_redirect(request):
        return response
    idea = idea_or_404(request, page, idea_id)
    if not permissions.can_withdraw_idea(request.user, idea):
        raise PermissionDenied("You cannot withdraw this idea.")
    if request.method == "POST":
        services.idea_withdraw(idea=idea, user=request.user)
        messages.success(request, "Your idea has been withdrawn. Nobody else can see it now.")
        return redirect(page.url)
    return page_render(
        request,
        page,
        "consultations/confirm_withdraw.html",
        {"post": idea, "kind": "idea", "cancel_url": idea_url(page, idea)},
    )


@require_POST
def idea_support(request, page: ConsultationPage, idea_id: int):
    if response := login_redirect(request):
        return response
    idea = idea_or_404(request, page, idea_id)
    if request.POST.get("action") == "remove":
        if services.support_remove(idea=idea, user=request.user):
            messages.success(request, "You no longer support this idea.")
    else:
        if services.support_add(idea=idea, user=request.user):
            messages.success(request, "Thank you. You support this idea.")
        else:
            messages.info(request, "You already support this idea.")
    return redirect(idea_url(page, idea))


@require_POST
def idea_follow(request, page: ConsultationPage, idea_id: int):
    if response := login_redirect(request):
        return response
    idea = idea_or_404(request, page, idea_id)
    if request.POST.get("action") == "remove":
        services.follow_remove(user=request.user, idea=idea)
        messages.success(request, "You no longer follow this idea.")
    else:
        services.follow_add(user=request.user, idea=idea)
        messages.success(
            request, "You are following this idea. We will email you when it moves on."
        )
    return redirect(idea_url(page, idea))


@require_POST
def consultation_follow(request, page: ConsultationPage):
    if response := login_redirect(request):
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
