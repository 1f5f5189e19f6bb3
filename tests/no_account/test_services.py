"""consultations.services.no_account: held until confirmed, confirmed once, and every way a
link or a code can fail; the rate limits; the PCN's "no email at all" setting."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from consultations.models import (
    Comment,
    ContributorKind,
    Idea,
    NoAccountPost,
    OfflineContributor,
    PostStatus,
    ReplyBy,
    SafetyHold,
)
from consultations.services import RateLimited, SafetyCheckNeeded
from consultations.services import no_account as services
from tests.consultations.conftest import make_idea
from tests.factories import UserFactory
from tests.no_account.conftest import confirmation_sent, send_comment, send_idea


def test_nothing_is_posted_until_the_address_is_confirmed_and_then_once(consultation):
    held = send_idea(consultation)
    assert not Idea.objects.exists()
    assert held.status == NoAccountPost.Status.WAITING
    token, code, message = confirmation_sent()
    assert message.to == ["sam@example.org"]
    assert code in message.body

    confirmed = services.no_account_post_confirm(token=token)

    idea = Idea.objects.get()
    assert confirmed.posted_idea == idea
    assert idea.author is None
    assert idea.channel == "online"
    assert idea.status == PostStatus.PENDING  # pre-moderated, like any online post
    assert idea.shown_author == "A resident"
    assert (idea.title, idea.body) == ("Evening appointments", "Open until 8pm on Tuesdays.")
    assert idea.contributor.kind == ContributorKind.NO_ACCOUNT
    assert idea.contributor.email == "sam@example.org"
    # What moved to the idea and its contributor is not kept twice.
    confirmed.refresh_from_db()
    assert (confirmed.title, confirmed.body, confirmed.email) == ("", "", "")
    with pytest.raises(services.ConfirmationProblem) as used:
        services.no_account_post_confirm(token=token)
    assert used.value.reason == "unknown"  # the token's hash is gone with it
    with pytest.raises(services.ConfirmationProblem) as used:
        services.no_account_post_confirm_code(post_id=held.pk, code=code)
    assert used.value.reason == "used"
    assert Idea.objects.count() == 1


def test_in_a_post_moderated_consultation_a_confirmed_idea_is_published_at_once(post_moderated):
    send_idea(post_moderated)
    token, _, _ = confirmation_sent()
    services.no_account_post_confirm(token=token)
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PUBLISHED
    assert idea.published_at is not None


def test_the_link_and_code_are_stored_only_as_keyed_hashes(consultation):
    held = send_idea(consultation)
    token, code, _ = confirmation_sent()
    held.refresh_from_db()
    assert held.token_digest and held.code_digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM consultations_noaccountpost")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert token not in stored
    assert code not in held.code_digest and code not in held.token_digest
    # The client's address is not stored either: only its keyed hash.
    assert "203.0.113.7" not in stored


def test_a_tampered_link_confirms_nothing(consultation):
    send_idea(consultation)
    token, _, _ = confirmation_sent()
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 500):
        with pytest.raises(services.ConfirmationProblem) as refused:
            services.no_account_post_confirm(token=forged)
        assert refused.value.reason == "unknown"
    assert not Idea.objects.exists()


def test_an_expired_link_keeps_the_text_and_a_new_one_replaces_it(consultation):
    held = send_idea(consultation)
    old_token, old_code, _ = confirmation_sent()
    NoAccountPost.objects.filter(pk=held.pk).update(expires_at=timezone.now())
    with pytest.raises(services.ConfirmationProblem) as expired:
        services.no_account_post_confirm(token=old_token)
    assert expired.value.reason == "expired"
    assert expired.value.post.body == "Open until 8pm on Tuesdays."
    with pytest.raises(services.ConfirmationProblem) as expired:
        services.no_account_post_confirm_code(post_id=held.pk, code=old_code)
    assert expired.value.reason == "expired"

    services.no_account_post_resend(post=held)
    new_token, new_code, _ = confirmation_sent()
    assert new_token != old_token
    with pytest.raises(services.ConfirmationProblem) as old:
        services.no_account_post_confirm(token=old_token)
    assert old.value.reason == "unknown"
    services.no_account_post_confirm_code(post_id=held.pk, code=new_code)
    assert Idea.objects.get().body == "Open until 8pm on Tuesdays."


def test_a_wrong_code_is_counted_and_five_end_the_codes_but_not_the_link(consultation):
    held = send_idea(consultation)
    token, code, _ = confirmation_sent()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(services.ConfirmationProblem) as refused:
            services.no_account_post_confirm_code(post_id=held.pk, code=wrong)
        assert refused.value.reason == "wrong_code"
        assert f"{left} tr" in str(refused.value)
    with pytest.raises(services.ConfirmationProblem) as refused:
        services.no_account_post_confirm_code(post_id=held.pk, code=wrong)
    assert refused.value.reason == "no_more_tries"
    held.refresh_from_db()
    assert held.code_attempts == 5  # each wrong try was kept, though each one raised
    with pytest.raises(services.ConfirmationProblem) as refused:
        services.no_account_post_confirm_code(post_id=held.pk, code=code)
    assert refused.value.reason == "no_more_tries"
    assert not Idea.objects.exists()
    services.no_account_post_confirm(token=token)
    assert Idea.objects.count() == 1


def test_the_code_may_be_typed_with_spaces(consultation):
    held = send_idea(consultation)
    _, code, _ = confirmation_sent()
    services.no_account_post_confirm_code(post_id=held.pk, code=f" {code[:3]} {code[3:]} ")
    assert Idea.objects.count() == 1


def test_a_code_for_no_post_confirms_nothing(consultation):
    with pytest.raises(services.ConfirmationProblem) as refused:
        services.no_account_post_confirm_code(post_id=None, code="123456")
    assert refused.value.reason == "unknown"


def test_a_consultation_that_closed_before_confirming_keeps_the_text(consultation):
    send_idea(consultation)
    token, _, _ = confirmation_sent()
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    with pytest.raises(services.ConfirmationProblem) as closed:
        services.no_account_post_confirm(token=token)
    assert closed.value.reason == "closed"
    assert closed.value.post.title == "Evening appointments"
    assert not Idea.objects.exists()


def test_a_comment_on_a_published_idea_is_posted_once_confirmed(consultation):
    idea = make_idea(consultation, UserFactory(), published_at=timezone.now())
    send_comment(idea, body="Tuesdays would suit me.")
    token, _, _ = confirmation_sent()
    services.no_account_post_confirm(token=token)
    comment = Comment.objects.get()
    assert (comment.idea, comment.author, comment.body) == (idea, None, "Tuesdays would suit me.")
    assert comment.contributor.email == "sam@example.org"
    assert comment.shown_author == "A resident"


@pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_nobody_comments_without_an_account_on_an_idea_others_cannot_see(consultation, status):
    idea = make_idea(consultation, UserFactory(), status=status)
    with pytest.raises(PermissionDenied):
        send_comment(idea)
    assert not NoAccountPost.objects.exists() and not mail.outbox


def test_an_idea_hidden_before_the_comment_is_confirmed_takes_no_comment(consultation):
    idea = make_idea(consultation, UserFactory(), published_at=timezone.now())
    send_comment(idea)
    token, _, _ = confirmation_sent()
    Idea.objects.filter(pk=idea.pk).update(status=PostStatus.HIDDEN)
    with pytest.raises(services.ConfirmationProblem) as closed:
        services.no_account_post_confirm(token=token)
    assert closed.value.reason == "closed"
    assert not Comment.objects.exists()


def test_someone_signed_in_uses_their_account_instead(consultation):
    with pytest.raises(PermissionDenied):
        services.no_account_post_send(
            consultation=consultation,
            user=UserFactory(),
            email="sam@example.org",
            client_address="203.0.113.7",
            title="A title",
            body="A body",
        )


def test_an_upcoming_or_closed_consultation_takes_nothing(consultation_index):
    from tests.factories import make_consultation

    for phase in ("upcoming", "closed"):
        with pytest.raises(PermissionDenied):
            send_idea(make_consultation(consultation_index, phase=phase))
    assert not NoAccountPost.objects.exists()


def test_text_is_cleaned_and_checked_like_any_post(consultation):
    with pytest.raises(ValidationError) as refused:
        send_idea(consultation, title="<b></b>", body="")
    assert set(refused.value.message_dict) == {"title", "body"}
    send_idea(consultation, title="<script>alert(1)</script>Evenings", body="<i>Later</i> hours")
    held = NoAccountPost.objects.get()
    assert (held.title, held.body) == ("alert(1)Evenings", "Later hours")


def test_a_neighbourhood_the_consultation_is_not_for_is_refused(consultation):
    from tests.factories import make_pcn_site

    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    with pytest.raises(ValidationError) as refused:
        send_idea(consultation, neighbourhood=other_home.pcn.neighbourhoods.first())
    assert "neighbourhood" in refused.value.message_dict


def test_the_safety_check_asks_first_and_a_post_sent_anyway_is_held(post_moderated):
    urgent = "I have crushing chest pain right now and cannot breathe"
    with pytest.raises(SafetyCheckNeeded) as needed:
        send_idea(post_moderated, body=urgent)
    assert not NoAccountPost.objects.exists() and not mail.outbox
    send_idea(post_moderated, body=urgent, safety_seen=needed.value.check.fingerprint)
    token, _, _ = confirmation_sent()
    services.no_account_post_confirm(token=token)
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PENDING  # held, though the consultation is post-moderated
    assert SafetyHold.objects.get(idea=idea).urgent


# The PCN's setting: posts with no email address at all


def test_without_the_pcn_setting_an_email_address_is_required(consultation):
    assert not consultation.pcn.allow_posts_without_email
    with pytest.raises(ValidationError) as refused:
        send_idea(consultation, email="")
    assert "email" in refused.value.message_dict
    assert not Idea.objects.exists() and not NoAccountPost.objects.exists()


def test_with_the_pcn_setting_a_post_with_no_email_is_always_held_for_a_moderator(
    post_moderated,
):
    pcn = post_moderated.pcn
    pcn.allow_posts_without_email = True
    pcn.save()
    held = send_idea(post_moderated, email="")
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PENDING  # though the consultation is post-moderated
    assert idea.author is None
    # A record of its own, with no way to reply, so its sender counts as one person.
    assert idea.contributor.kind == ContributorKind.NO_ACCOUNT
    assert idea.contributor.reply_by == ReplyBy.NOTHING
    assert idea.contributor.pcn == pcn
    send_idea(post_moderated, email="")
    assert OfflineContributor.objects.filter(email="").count() == 2  # one per post
    assert held.status == NoAccountPost.Status.POSTED
    assert (held.title, held.body, held.email) == ("", "", "")
    assert not mail.outbox


# Rate limits


def test_posts_from_one_client_address_are_limited(consultation, settings):
    settings.ENGAGE_RATE_LIMITS = {**settings.ENGAGE_RATE_LIMITS, "no_account_client": (2, 3600)}
    send_idea(consultation, email="one@example.org")
    send_idea(consultation, email="two@example.org")
    with pytest.raises(RateLimited):
        send_idea(consultation, email="three@example.org")
    send_idea(consultation, email="three@example.org", client="198.51.100.9")
    assert NoAccountPost.objects.count() == 3


def test_confirmation_emails_to_one_address_are_limited_whoever_sends_them(consultation):
    for number in range(3):
        send_idea(consultation, email="Target@Example.org", client=f"198.51.100.{number}")
    with pytest.raises(RateLimited) as limited:
        send_idea(consultation, email="target@example.org", client="198.51.100.99")
    assert "emails to this address" in str(limited.value)
    assert len(mail.outbox) == 3
    # Asking for a new link counts too.
    held = NoAccountPost.objects.order_by("pk").first()
    with pytest.raises(RateLimited):
        services.no_account_post_resend(post=held)
    assert len(mail.outbox) == 3


def test_ideas_from_one_email_address_are_limited_as_a_residents_are(consultation, settings):
    settings.ENGAGE_RATE_LIMITS = {**settings.ENGAGE_RATE_LIMITS, "idea": (1, 3600)}
    send_idea(consultation, client="198.51.100.1")
    services.no_account_post_confirm(token=confirmation_sent()[0])
    send_idea(consultation, client="198.51.100.2", title="Another")
    token, _, _ = confirmation_sent()
    with pytest.raises(RateLimited):
        services.no_account_post_confirm(token=token)
    assert Idea.objects.count() == 1
    # The link still works once the hour has passed.
    Idea.objects.update(created_at=timezone.now() - timedelta(hours=2))
    services.no_account_post_confirm(token=token)
    assert Idea.objects.count() == 2


# An address that belongs to an account


def test_an_address_with_an_account_is_treated_the_same_and_only_its_email_says_so(
    consultation,
):
    UserFactory(email="member@example.org")
    send_idea(consultation, email="stranger@example.org")
    _, _, stranger = confirmation_sent()
    send_idea(consultation, email="member@example.org", client="198.51.100.3")
    _, _, member = confirmation_sent()
    assert "already have an account" in member.body
    assert "already have an account" not in stranger.body
    assert NoAccountPost.objects.filter(status=NoAccountPost.Status.WAITING).count() == 2


def test_one_contributor_per_pcn_and_address_and_confirming_again_asks_to_hear_back(
    consultation,
):
    send_idea(consultation)
    services.no_account_post_confirm(token=confirmation_sent()[0])
    contributor = OfflineContributor.objects.get()
    contributor.email_updates = False
    contributor.save()
    send_idea(consultation, title="Another idea", email="SAM@example.org")
    services.no_account_post_confirm(token=confirmation_sent()[0])
    assert OfflineContributor.objects.count() == 1
    contributor.refresh_from_db()
    assert contributor.email_updates
    assert contributor.ideas.count() == 2


# Retention


def test_held_posts_go_two_days_after_they_were_sent_confirmed_or_not(consultation):
    from engage.retention import retention_apply

    old_waiting = send_idea(consultation, client="198.51.100.1")
    old_confirmed = send_idea(consultation, client="198.51.100.2", email="b@example.org")
    services.no_account_post_confirm(token=confirmation_sent()[0])
    recent = send_idea(consultation, client="198.51.100.3", email="c@example.org")
    NoAccountPost.objects.filter(pk__in=[old_waiting.pk, old_confirmed.pk]).update(
        created_at=timezone.now() - timedelta(days=2, minutes=1)
    )
    NoAccountPost.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - timedelta(days=1, hours=23)
    )
    counts = {result.rule.key: result.count for result in retention_apply()}
    assert counts["no_account_posts"] == 2
    assert list(NoAccountPost.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Idea.objects.count() == 1  # the confirmed post itself is the public record


def test_a_senders_address_stays_while_they_keep_posting_and_goes_two_years_after(
    consultation,
):
    from engage.retention import retention_apply

    send_idea(consultation)
    services.no_account_post_confirm(token=confirmation_sent()[0])
    contributor = OfflineContributor.objects.get()
    OfflineContributor.objects.update(created_at=timezone.now() - timedelta(days=800))
    # A comment last month with the same address keeps it.
    Idea.objects.update(
        created_at=timezone.now() - timedelta(days=800), status=PostStatus.PUBLISHED
    )
    idea = Idea.objects.get()
    Comment.objects.create(idea=idea, body="Still here.", contributor=contributor)
    retention_apply()
    contributor.refresh_from_db()
    assert contributor.email == "sam@example.org"
    Comment.objects.update(created_at=timezone.now() - timedelta(days=750))
    retention_apply()
    contributor.refresh_from_db()
    assert contributor.email == ""
