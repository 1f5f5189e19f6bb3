"""Taking part without an account: an idea or a comment sent with only an email address
(or, where the PCN allows it, none), held until the address is confirmed.

- `no_account_post_send` checks the text as any post is checked (the safety panel, the
  neighbourhood, the fields' rules), applies the rate limits, and keeps the text in a
  `NoAccountPost`. With an email address it emails a one-time link and a six-digit code
  (`no_account_confirmation_send`); nothing is posted yet. With none (only
  where the PCN allows it) the post is made at once and always waits for a moderator.
- `no_account_post_confirm` (the link) and `no_account_post_confirm_code` (the code, for
  the post this browser sent) make the post, once, like any online post: pending or
  published by the consultation's moderation mode, held when the safety check holds it.
  The sender's address moves to an `OfflineContributor` of kind "no_account", one per PCN
  and address, through which moderators' decisions, journey steps and "You said, we did"
  updates reach them like anyone's (`consultations.loop`, `consultations.notifications`).
  A post with no email address gets a record of its own with no way to reply, so each such
  post counts as one person who took part (`consultations.representativeness`).
- `no_account_post_resend` sends a new link and code for a post whose link expired.

The link's token and the code are random, sent once, and stored only as keyed hashes
(HMAC with the site's secret key), so a copy of the database alone cannot confirm anything.
A link works for `ENGAGE_NO_ACCOUNT_LINK_HOURS` (24) hours, and once; a code allows five
wrong tries. An address that belongs to an account is treated the same way (the page says
the same thing); only the email, which reaches the address's owner alone, suggests signing in.

Rate limits (`ENGAGE_RATE_LIMITS`): posts per client address (`no_account_client`),
confirmation emails per email address (`confirmation_email`, so the form cannot be used to
flood someone's inbox), and, as for residents, ideas and comments per email address
(`idea`, `comment`), counted when they are posted.
"""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from consultations import permissions
from consultations.models import (
    Attribution,
    Channel,
    Comment,
    ConsultationPage,
    ContributorKind,
    Idea,
    ModerationMode,
    NoAccountPost,
    OfflineContributor,
    PostStatus,
)
from consultations.services.participation import (
    DEFAULT_RATE_LIMITS,
    RateLimited,
    comment_count_refresh,
    neighbourhood_check,
)
from consultations.services.safety import safety_gate, safety_hold_place
from engage.mail import absolute_url, email_enqueue
from engage.models import User
from engage.text import plain_text

CODE_LENGTH = 6
MAX_CODE_ATTEMPTS = 5

_TOKEN_SALT = "engage.no_account.token"  # noqa: S105 (a salt, not a password)
_CODE_SALT = "engage.no_account.code"
_EMAIL_SALT = "engage.no_account.email"
_CLIENT_SALT = "engage.no_account.client"

DEFAULT_LIMITS = {
    **DEFAULT_RATE_LIMITS,
    "no_account_client": (10, 60 * 60),
    "confirmation_email": (3, 60 * 60),
}


class ConfirmationProblem(Exception):
    """A link or code that confirms nothing, and why, in plain English.

    `reason`: "unknown" (no such link: mistyped, tampered with, or long gone), "expired",
    "used", "wrong_code", "no_more_tries", or "closed" (the consultation closed, or the idea
    stopped taking comments). `post` is the held post when there is one (its text is kept).
    """

    def __init__(self, reason: str, message: str, post: NoAccountPost | None = None):
        super().__init__(message)
        self.reason = reason
        self.post = post


def _digest(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()


def email_digest(email: str) -> str:
    return _digest(_EMAIL_SALT, email.strip().lower())


def client_digest(address: str) -> str:
    return _digest(_CLIENT_SALT, address or "unknown")


def token_digest(token: str) -> str:
    return _digest(_TOKEN_SALT, token)


def _code_digest(token_digest_value: str, code: str) -> str:
    return _digest(_CODE_SALT, f"{token_digest_value}:{code}")


def normalise_code(code: str) -> str:
    """What someone typed for the code, without spaces or dashes."""
    return "".join(ch for ch in str(code or "") if ch.isalnum())[:20]


def link_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "ENGAGE_NO_ACCOUNT_LINK_HOURS", 24))


def _limit(action: str) -> tuple[int, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "ENGAGE_RATE_LIMITS", {})}[action]


def _since(seconds: int):
    return timezone.now() - timedelta(seconds=seconds)


def _minutes(seconds: int) -> int:
    return max(1, seconds // 60)


def _client_limit(client: str) -> None:
    count, seconds = _limit("no_account_client")
    sent = NoAccountPost.objects.filter(client_digest=client, created_at__gte=_since(seconds))
    if sent.count() >= count:
        raise RateLimited(
            f"We have had {count} posts from your internet connection in the last "
            f"{_minutes(seconds)} minutes, which is our limit. Please wait a while and try "
            "again. What you wrote is still below."
        )


def _email_limit(digest: str) -> None:
    """Confirmation emails to one address: however many forms are sent with it."""
    count, seconds = _limit("confirmation_email")
    # Every email of a row emailed within the window counts (a resent link's earlier ones
    # too): the limit errs towards fewer emails.
    sent = NoAccountPost.objects.filter(
        email_digest=digest, last_emailed_at__gte=_since(seconds)
    ).aggregate(total=Sum("emails_sent"))["total"]
    if (sent or 0) >= count:
        raise RateLimited(
            f"We have sent {count} emails to this address in the last {_minutes(seconds)} "
            "minutes, which is our limit. Please use the link in one of them, or wait a "
            "while and try again. What you wrote is still below."
        )


def _posts_limit(post: NoAccountPost) -> None:
    """Ideas and comments from one email address, as for a resident's account."""
    action = post.kind
    count, seconds = _limit(action)
    model = Idea if action == NoAccountPost.Kind.IDEA else Comment
    recent = model.objects.filter(
        contributor__kind=ContributorKind.NO_ACCOUNT,
        contributor__email__iexact=post.email,
        created_at__gte=_since(seconds),
    )
    if recent.count() >= count:
        noun = "ideas" if action == NoAccountPost.Kind.IDEA else "comments"
        raise RateLimited(
            f"You have sent {count} {noun} in the last {_minutes(seconds)} minutes, which is "
            "our limit. Your link still works: please wait a while and use it again."
        )


def _new_secrets(post: NoAccountPost) -> tuple[str, str]:
    """A fresh link token and code for `post`, stored as digests; returns them to email."""
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    post.token_digest = token_digest(token)
    post.code_digest = _code_digest(post.token_digest, code)
    post.code_attempts = 0
    post.expires_at = timezone.now() + link_lifetime()
    return token, code


def _has_account(email: str) -> bool:
    return (
        EmailAddress.objects.filter(email__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    )


# The confirmation email. (Here rather than in `consultations.notifications`, which sits on
# the same floor as the services: like the safety check's alerts, it is this service's own.)


def no_account_confirm_url(post: NoAccountPost, token: str) -> str:
    """The one-time link that confirms a post sent without an account, on its PCN's site."""
    path = reverse("consultations:no-account-confirm", args=[token])
    site = post.consultation.get_site()
    return (site.root_url if site else absolute_url("").rstrip("/")) + path


def no_account_confirmation_send(
    *, post: NoAccountPost, token: str, code: str, has_account: bool
) -> bool:
    """Email the one-time link and code that confirm a post sent without an account.

    Handed to the mail queue at once, in the caller's transaction (the link and code exist
    nowhere else: the post keeps only their hashes). `has_account`: the address belongs to
    an account, which only this email, read by the address's owner alone, mentions."""
    consultation = post.consultation
    body = render_to_string(
        "consultations/emails/no_account_confirm.txt",
        {
            "post": post,
            "kind": post.get_kind_display().lower(),
            "consultation": consultation,
            "idea": post.idea,
            "confirm_url": no_account_confirm_url(post, token),
            "code": code,
            "hours": round((post.expires_at - timezone.now()).total_seconds() / 3600),
            "has_account": has_account,
            "sign_in_url": absolute_url(reverse("account_login")),
        },
    )
    return email_enqueue(
        key=f"no-account-confirm:{post.pk}:{post.emails_sent}",
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Confirm your email address to send "
        f"your {post.kind}",
        body=body,
        to=[post.email],
    )


@transaction.atomic
def no_account_post_send(
    *,
    consultation: ConsultationPage,
    user,
    email: str,
    client_address: str,
    body: str,
    title: str = "",
    neighbourhood=None,
    idea: Idea | None = None,
    safety_seen: str = "",
) -> NoAccountPost:
    """Keep an idea (`idea` None) or a comment on `idea`, from someone without an account,
    until its sender confirms `email`; or, with no email where the PCN allows it, post it
    now, waiting for a moderator. `user` is who is sending (anyone signed in uses the forms
    of their account instead). Raises SafetyCheckNeeded, ValidationError, RateLimited or
    PermissionDenied, and stores nothing then."""
    if idea is None:
        if not permissions.can_post_without_account(user, consultation):
            raise PermissionDenied("You cannot post an idea to this consultation.")
    elif idea.consultation_id != consultation.pk or not permissions.can_comment_without_account(
        user, idea
    ):
        raise PermissionDenied("You cannot comment here.")
    email = (email or "").strip()
    if not email and not consultation.pcn.allow_posts_without_email:
        raise ValidationError({"email": "Enter your email address"})
    check = safety_gate(title=title if idea is None else "", body=body, safety_seen=safety_seen)
    if idea is None:
        neighbourhood_check(consultation, neighbourhood)
    post = NoAccountPost(
        consultation=consultation,
        idea=idea,
        kind=NoAccountPost.Kind.IDEA if idea is None else NoAccountPost.Kind.COMMENT,
        title=plain_text(title, single_line=True) if idea is None else "",
        body=plain_text(body),
        neighbourhood=neighbourhood if idea is None else None,
        email=email,
        email_digest=email_digest(email) if email else "",
        client_digest=client_digest(client_address),
        safety_seen=safety_seen if check.needs_panel else "",
        expires_at=timezone.now() + link_lifetime(),
    )
    errors = {}
    if idea is None and not post.title:
        errors["title"] = "Enter a title for your idea"
    if not post.body:
        errors["body"] = "Describe your idea" if idea is None else "Enter your comment"
    if errors:
        raise ValidationError(errors)
    post.full_clean()
    _client_limit(post.client_digest)
    if not email:
        # No way to reply: posted now, always for a moderator to read first. Only what the
        # rate limit counts is kept here. The post gets a record of its own, with no way to
        # reply, so that its sender counts as one person who took part (nothing tells two
        # such posts by one person apart).
        _publish(post, contributor=_contributor_without_email(consultation.pcn), always_hold=True)
        post.status = NoAccountPost.Status.POSTED
        post.title = post.body = post.safety_seen = ""
        post.save()
        return post
    _email_limit(post.email_digest)
    token, code = _new_secrets(post)
    post.emails_sent = 1
    post.last_emailed_at = timezone.now()
    post.save()
    no_account_confirmation_send(post=post, token=token, code=code, has_account=_has_account(email))
    return post


@transaction.atomic
def no_account_post_resend(*, post: NoAccountPost) -> NoAccountPost:
    """A new link and code for a post still waiting (its link expired, or the email went
    astray), within the email rate limit. The caller has checked the sender holds it: the
    old link's token, or the session that sent it."""
    post = NoAccountPost.objects.select_for_update().get(pk=post.pk)
    if post.status != NoAccountPost.Status.WAITING:
        raise ConfirmationProblem("used", "You have already confirmed this.", post)
    _email_limit(post.email_digest)
    new_token, code = _new_secrets(post)
    post.emails_sent += 1
    post.last_emailed_at = timezone.now()
    post.save(
        update_fields=[
            "token_digest",
            "code_digest",
            "code_attempts",
            "expires_at",
            "emails_sent",
            "last_emailed_at",
        ]
    )
    no_account_confirmation_send(
        post=post, token=new_token, code=code, has_account=_has_account(post.email)
    )
    return post


def no_account_post_find(token: str) -> NoAccountPost | None:
    """The held post a link's token names, or None (mistyped, tampered with, or gone)."""
    if not token or len(token) > 100:
        return None
    return (
        NoAccountPost.objects.filter(token_digest=token_digest(token))
        .exclude(token_digest="")
        .select_related("consultation", "idea", "neighbourhood")
        .first()
    )


@transaction.atomic
def no_account_post_confirm(*, token: str) -> NoAccountPost:
    """Confirm the sender's address with the link's token, and make their post."""
    found = no_account_post_find(token)
    if found is None:
        raise ConfirmationProblem(
            "unknown",
            "This link does not work. It may have been copied wrongly, or it is too old.",
        )
    post = NoAccountPost.objects.select_for_update().get(pk=found.pk)
    return _confirm(post)


def no_account_post_confirm_code(*, post_id: int | None, code: str) -> NoAccountPost:
    """Confirm with the code from the email, for the post this browser sent (`post_id`,
    kept in its session, never in the page). Five wrong codes and only the link works."""
    with transaction.atomic():
        post = NoAccountPost.objects.select_for_update().filter(pk=post_id).first()
        if post is None or (post.status == NoAccountPost.Status.WAITING and not post.code_digest):
            raise ConfirmationProblem(
                "unknown",
                "We cannot find what you sent. Use the link in the email we sent you instead.",
            )
        if post.status != NoAccountPost.Status.WAITING:
            raise ConfirmationProblem("used", "You have already confirmed this.", post)
        if post.code_attempts >= MAX_CODE_ATTEMPTS:
            raise ConfirmationProblem(
                "no_more_tries",
                "The code has been typed wrongly too many times. Use the link in the email "
                "we sent you instead.",
                post,
            )
        if constant_time_compare(
            post.code_digest, _code_digest(post.token_digest, normalise_code(code))
        ):
            return _confirm(post)
        # A wrong try is counted in a transaction of its own that commits: raising inside
        # it would forget it.
        post.code_attempts += 1
        post.save(update_fields=["code_attempts"])
    left = MAX_CODE_ATTEMPTS - post.code_attempts
    if left:
        raise ConfirmationProblem(
            "wrong_code",
            f"The code is not right. Check the email and try again ({left} "
            f"{'try' if left == 1 else 'tries'} left).",
            post,
        )
    raise ConfirmationProblem(
        "no_more_tries",
        "The code is not right, and that was the last try. Use the link in the email we "
        "sent you instead.",
        post,
    )


def _confirm(post: NoAccountPost) -> NoAccountPost:
    if post.status != NoAccountPost.Status.WAITING:
        raise ConfirmationProblem(
            "used", "You have already confirmed this, so it has been sent.", post
        )
    if post.is_expired:
        raise ConfirmationProblem("expired", "This link has expired. We kept what you wrote.", post)
    consultation = post.consultation
    if post.idea_id is None:
        still_open = consultation.live and consultation.is_open
    else:
        still_open = (
            post.idea.status == PostStatus.PUBLISHED and consultation.live and consultation.is_open
        )
    if not still_open:
        raise ConfirmationProblem(
            "closed",
            "This consultation is no longer taking ideas and comments, so we cannot post it. "
            "We kept what you wrote.",
            post,
        )
    _posts_limit(post)
    contributor = _contributor_for(consultation.pcn, post.email)
    _publish(post, contributor=contributor, always_hold=False)
    post.status = NoAccountPost.Status.POSTED
    post.confirmed_at = timezone.now()
    # What moved to the post and its contributor is not kept twice.
    post.title = post.body = post.email = post.safety_seen = ""
    post.token_digest = post.code_digest = ""
    post.save()
    return post


def _contributor_for(pcn, email: str) -> OfflineContributor:
    """The PCN's one contributor without an account for this address (made the first time),
    wanting emails again: confirming a post is asking to hear what happens to it."""
    contributor = (
        OfflineContributor.objects.filter(
            pcn=pcn, kind=ContributorKind.NO_ACCOUNT, email__iexact=email
        )
        .order_by("-pk")
        .first()
    )
    if contributor is None:
        contributor = OfflineContributor(pcn=pcn, kind=ContributorKind.NO_ACCOUNT, email=email)
        contributor.full_clean()
        contributor.save()
    elif not contributor.email_updates:
        contributor.email_updates = True
        contributor.save(update_fields=["email_updates"])
    return contributor


def _contributor_without_email(pcn) -> OfflineContributor:
    """A record of one person who posted without an account and without an email address:
    no way to reply, and no equality answers (they were never asked)."""
    contributor = OfflineContributor(pcn=pcn, kind=ContributorKind.NO_ACCOUNT)
    contributor.full_clean()
    contributor.save()
    return contributor


def _publish(post: NoAccountPost, *, contributor, always_hold: bool):
    """Make the idea or comment `post` holds, as any online post is made: checked again by
    the safety net (held when its sender chose "Send anyway"), pending or published by the
    consultation's moderation mode, or always pending (`always_hold`: no email address)."""
    consultation = post.consultation
    is_idea = post.kind == NoAccountPost.Kind.IDEA
    check = safety_gate(
        title=post.title if is_idea else "", body=post.body, safety_seen=post.safety_seen
    )
    published = (
        not always_hold
        and not check.needs_panel
        and consultation.moderation_mode == ModerationMode.POST
    )
    status = PostStatus.PUBLISHED if published else PostStatus.PENDING
    if is_idea:
        made = Idea(
            consultation=consultation,
            author=None,
            title=post.title,
            body=post.body,
            neighbourhood=post.neighbourhood,
            attribution=Attribution.NAME,
            status=status,
            channel=Channel.ONLINE,
            contributor=contributor,
            published_at=timezone.now() if published else None,
        )
    else:
        made = Comment(
            idea=post.idea, author=None, body=post.body, status=status, contributor=contributor
        )
    made.full_clean()
    made.save()
    made.safety_hold = safety_hold_place(post=made, check=check)
    if is_idea:
        post.posted_idea = made
    else:
        post.posted_comment = made
        comment_count_refresh(post.idea_id)
    post.posted = made
    return made
