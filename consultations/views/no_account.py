"""Taking part without an account: the forms for an idea and a comment (routes of the
consultation page), the "check your email" page where the code is typed, and the page the
email's one-time link opens (site-wide addresses in `consultations.urls`).

The text is held on the server (`consultations.services.no_account`); the browser that sent
it keeps only the held post's id, in its session, so the code can be typed there. Nothing in
an address names what was sent but the link's own one-time token.
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from consultations import permissions
from consultations.forms import (
    ConfirmationCodeForm,
    NoAccountCommentForm,
    NoAccountIdeaForm,
    apply_validation_error,
)
from consultations.models import ConsultationPage, NoAccountPost, PostStatus
from consultations.services import no_account as services
from consultations.services import safety
from consultations.services.participation import RateLimited
from consultations.views.common import idea_or_404, idea_url, page_render, safety_seen

SESSION_KEY = "engage_no_account_post"

NO_REPLY = (
    "You did not give an email address, so we cannot tell you what happens to it. Come back "
    "to this page to see it once a moderator has published it."
)


def client_address(request) -> str:
    """The client's address, as allauth's own rate limits read it (behind a load balancer,
    `ALLAUTH_TRUSTED_PROXY_COUNT` says which forwarded address to trust)."""
    return get_adapter(request).get_client_ip(request) or ""


def _after_send(request, post: NoAccountPost, page: ConsultationPage):
    if post.status == NoAccountPost.Status.POSTED:  # no email address: posted, held
        kind = post.get_kind_display().lower()
        messages.success(
            request,
            f"Thank you. Your {kind} is waiting for a moderator: nobody else can see it "
            f"until one has read it. {NO_REPLY}",
        )
        return redirect(idea_url(page, post.idea) if post.idea_id else page.url)
    request.session[SESSION_KEY] = post.pk
    return redirect("consultations:no-account-sent")


def _send(request, page, form, *, idea=None):
    """Send the form's post through the service; returns (response, safety panel, status)."""
    data = form.cleaned_data
    try:
        post = services.no_account_post_send(
            consultation=page,
            user=request.user,
            email=data.get("email") or "",
            client_address=client_address(request),
            title=data.get("title", ""),
            body=data["body"],
            neighbourhood=data.get("neighbourhood"),
            idea=idea,
            safety_seen=safety_seen(request),
        )
    except safety.SafetyCheckNeeded as needed:
        return None, needed.check, 200
    except ValidationError as error:
        apply_validation_error(form, error)
        return None, None, 200
    except RateLimited as error:
        form.add_error(None, str(error))
        return None, None, 429
    return _after_send(request, post, page), None, 200


def idea_create_no_account(request, page: ConsultationPage):
    if request.user.is_authenticated:
        # Anyone signed in takes part with their account.
        return redirect(page.url + page.reverse_subpage("idea-create"))
    if not permissions.can_post_without_account(request.user, page):
        return page_render(
            request,
            page,
            "consultations/cannot_participate.html",
            {"blocked_because": "phase"},
            status=403,
        )
    form = NoAccountIdeaForm(request.POST or None, consultation=page)
    panel, status = None, 200
    if request.method == "POST" and form.is_valid():
        response, panel, status = _send(request, page, form)
        if response is not None:
            return response
    return page_render(
        request,
        page,
        "consultations/no_account/idea_form.html",
        {"form": form, "safety": panel},
        status=status,
    )


def comment_create_no_account(request, page: ConsultationPage, idea_id: int):
    idea = idea_or_404(request, page, idea_id)
    if request.user.is_authenticated:
        return redirect(page.url + page.reverse_subpage("comment-create", args=[idea.pk]))
    if not permissions.can_comment_without_account(request.user, idea):
        raise PermissionDenied("You cannot comment on this idea.")
    form = NoAccountCommentForm(request.POST or None, consultation=page)
    panel, status = None, 200
    if request.method == "POST" and form.is_valid():
        response, panel, status = _send(request, page, form, idea=idea)
        if response is not None:
            return response
    return page_render(
        request,
        page,
        "consultations/no_account/comment_form.html",
        {"form": form, "idea": idea, "safety": panel, "cancel_url": idea_url(page, idea)},
        status=status,
    )


def _where_it_went(request, post: NoAccountPost):
    """After confirming: to the idea when everyone can see it, else to the consultation,
    with a message saying what happens next."""
    made = post.posted_idea or post.posted_comment
    kind = post.get_kind_display().lower()
    consultation = post.consultation
    if made.status == PostStatus.PUBLISHED:
        messages.success(
            request,
            f"Thank you. Your {kind} is published. We will email you when anything happens to it.",
        )
    else:
        messages.success(
            request,
            f"Thank you. Your {kind} is waiting for a moderator: nobody else can see it until "
            "one has read it. We will email you when they have.",
        )
    idea = post.posted_idea if post.posted_idea_id else post.idea
    if idea is not None and idea.status == PostStatus.PUBLISHED:
        anchor = f"#comment-{made.pk}" if post.posted_comment_id else ""
        return redirect(idea_url(consultation, idea) + anchor)
    return redirect(consultation.url)


def no_account_sent(request):
    """ "Check your email": the code from the email, typed in the browser that sent the post."""
    post_id = request.session.get(SESSION_KEY)
    post = NoAccountPost.objects.filter(pk=post_id).select_related("consultation").first()
    if post is not None and post.status != NoAccountPost.Status.WAITING:
        post = None
    form = ConfirmationCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.no_account_post_confirm_code(
                post_id=post.pk if post else None, code=form.cleaned_data["code"]
            )
        except services.ConfirmationProblem as problem:
            form.add_error("code", str(problem))
            status = 400
        except RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        else:
            request.session.pop(SESSION_KEY, None)
            return _where_it_went(request, confirmed)
    return TemplateResponse(
        request,
        "consultations/no_account/check_email.html",
        {"post": post, "form": form, "hours": _link_hours()},
        status=status,
    )


def no_account_confirm(request, token: str):
    """The page the email's link opens. Confirming is a button (a POST): mail scanners that
    open links must not send anyone's post. An expired link keeps the text and offers a new
    one; a used, closed or unknown one says so plainly."""
    post = services.no_account_post_find(token)
    if post is None:
        return _confirm_page(request, None, "unknown", status=404)
    problem = None
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.no_account_post_resend(post=post)
        except services.ConfirmationProblem as refused:
            problem = refused
        except RateLimited as error:
            return _confirm_page(request, post, "expired", error=str(error), status=429)
        else:
            request.session[SESSION_KEY] = post.pk
            messages.success(request, "We have sent you a new link and code.")
            return redirect("consultations:no-account-sent")
    elif request.method == "POST":
        try:
            confirmed = services.no_account_post_confirm(token=token)
        except services.ConfirmationProblem as refused:
            problem = refused
        except RateLimited as error:
            return _confirm_page(request, post, "ready", error=str(error), status=429)
        else:
            if request.session.get(SESSION_KEY) == confirmed.pk:
                request.session.pop(SESSION_KEY, None)
            return _where_it_went(request, confirmed)
    if problem is not None:
        post.refresh_from_db()
        return _confirm_page(request, post, problem.reason, status=_STATUS[problem.reason])
    return _confirm_page(request, post, _state_of(post), status=_STATUS[_state_of(post)])


def _link_hours() -> int:
    return round(services.link_lifetime().total_seconds() / 3600)


_STATUS = {
    "unknown": 404,
    "expired": 410,
    "used": 200,
    "closed": 200,
    "ready": 200,
    "wrong_code": 400,
    "no_more_tries": 400,
}


def _state_of(post: NoAccountPost) -> str:
    if post.status != NoAccountPost.Status.WAITING:
        return "used"
    if post.is_expired:
        return "expired"
    consultation = post.consultation
    if not (consultation.live and consultation.is_open) or (
        post.idea_id and post.idea.status != PostStatus.PUBLISHED
    ):
        return "closed"
    return "ready"


def _confirm_page(request, post, state: str, *, error: str = "", status: int = 200):
    made = None
    if post is not None and state == "used":
        made = post.posted_idea or post.posted_comment
    return TemplateResponse(
        request,
        "consultations/no_account/confirm.html",
        {
            "post": post,
            "state": state,
            "error": error,
            "made_url": _published_url(post, made),
            "sent_url": reverse("consultations:no-account-sent"),
            "hours": _link_hours(),
        },
        status=status,
    )


def _published_url(post, made) -> str:
    """Where the confirmed post can be seen, only once everyone can see it."""
    if made is None or made.status != PostStatus.PUBLISHED:
        return ""
    idea = post.posted_idea or post.idea
    if idea is None or idea.status != PostStatus.PUBLISHED:
        return ""
    return idea_url(post.consultation, idea)
