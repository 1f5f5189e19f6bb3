"""Fifty residents support one idea at the same moment: every support counts, once."""

import threading

import pytest
from django.db import connections

from consultations import services
from consultations.models import Idea, PostStatus, Support
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.resilience.conftest import postgresql_only

RESIDENTS = 50


def _published_idea():
    _, consultation_index, _ = make_pcn_site()
    consultation = make_consultation(consultation_index, phase="open")
    return Idea.objects.create(
        consultation=consultation,
        author=UserFactory(display_name="Author"),
        title="More evening appointments",
        body="Please open until 8pm.",
        status=PostStatus.PUBLISHED,
    )


def _all_at_once(work, arguments) -> list:
    """Run work(argument) in one thread each (each with its own database connection),
    released together by a barrier. Returns what each returned or raised."""
    barrier = threading.Barrier(len(arguments))
    outcomes = []
    lock = threading.Lock()

    def run(argument):
        try:
            barrier.wait(timeout=60)
            result = work(argument)
        except Exception as error:  # a surprise fails the test below
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_baseline")
def test_fifty_concurrent_supports_give_the_exact_count():
    postgresql_only()
    idea = _published_idea()
    residents = [UserFactory(display_name=f"Resident {n}") for n in range(RESIDENTS)]

    def support(user):
        post = Idea.objects.select_related("consultation").get(pk=idea.pk)
        return services.support_add(idea=post, user=user)

    outcomes = _all_at_once(support, residents)

    assert outcomes == [True] * RESIDENTS
    idea.refresh_from_db()
    assert Support.objects.filter(idea=idea).count() == RESIDENTS
    assert idea.support_count == RESIDENTS


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_baseline")
def test_one_resident_supporting_fifty_times_at_once_counts_once():
    postgresql_only()
    idea = _published_idea()
    resident = UserFactory(display_name="Keen resident")

    def support(_):
        post = Idea.objects.select_related("consultation").get(pk=idea.pk)
        return services.support_add(idea=post, user=resident)

    outcomes = _all_at_once(support, list(range(RESIDENTS)))

    assert sorted(outcomes, key=str) == [False] * (RESIDENTS - 1) + [True]
    idea.refresh_from_db()
    assert Support.objects.filter(idea=idea).count() == 1
    assert idea.support_count == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_baseline")
def test_fifty_concurrent_supports_and_withdrawals_keep_the_count_true():
    """Half support, and half of those who already supported take it back, all at once."""
    postgresql_only()
    idea = _published_idea()
    leaving = [UserFactory(display_name=f"Leaving {n}") for n in range(RESIDENTS // 2)]
    joining = [UserFactory(display_name=f"Joining {n}") for n in range(RESIDENTS // 2)]
    for user in leaving:
        services.support_add(idea=Idea.objects.get(pk=idea.pk), user=user)

    def change(pair):
        action, user = pair
        post = Idea.objects.select_related("consultation").get(pk=idea.pk)
        if action == "remove":
            return services.support_remove(idea=post, user=user)
        return services.support_add(idea=post, user=user)

    outcomes = _all_at_once(
        change, [("remove", u) for u in leaving] + [("add", u) for u in joining]
    )

    assert outcomes == [True] * RESIDENTS
    idea.refresh_from_db()
    assert set(Support.objects.filter(idea=idea).values_list("user", flat=True)) == {
        u.pk for u in joining
    }
    assert idea.support_count == len(joining)
