"""Suggested themes: the clustering core, the background task, and the moderator's services.

The corpus below is thirty hand-written ideas on three clearly different topics. Clustering
is by shared words, not meaning, so the ideas of one topic share some words with each other
(as real ideas on one subject do); the assertions allow for the odd idea that shares more
words with another topic, and say so where they do.
"""

import random
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks import TaskResultStatus
from wagtail.models import ModelLogEntry

from consultations import clustering
from consultations.clustering import Cluster, suggest_clusters
from consultations.models import Idea, PostStatus, SuggestionRun, Theme, ThemeSuggestion
from consultations.suggestions import (
    suggestion_accept,
    suggestion_discard,
    suggestion_run_request,
)
from consultations.tasks import suggest_themes_for_run
from tests.factories import HOSTILE, UserFactory, make_pcn_site

APPOINTMENTS = [
    (
        "Evening appointments for people who work",
        "I work nine to five and can never get seen. Appointments until 8pm on weekdays "
        "would help commuters.",
    ),
    (
        "Open on Saturday mornings",
        "Saturday morning appointments would mean I do not have to take time off work.",
    ),
    (
        "Weekend clinics",
        "Please run weekend clinics, even once a month on a Sunday, for working parents.",
    ),
    (
        "Later opening hours",
        "The reception closes at 6pm. Later opening hours in the evening would make a real "
        "difference.",
    ),
    (
        "Book evening slots online",
        "Let us book evening and weekend appointment slots online instead of phoning at 8am.",
    ),
    (
        "Appointments after school and work",
        "Evening appointments after work and after school would suit families.",
    ),
    (
        "Extended hours at the hub",
        "Share extended hours between practices so there is always an evening appointment "
        "somewhere nearby.",
    ),
    (
        "Sunday appointments",
        "A few Sunday appointments for shift workers who cannot come in the week.",
    ),
    (
        "Weekday evenings for blood tests",
        "Blood tests and nurse appointments in the evening, not only in the morning.",
    ),
    (
        "Stop the 8am rush",
        "Release some appointments for the evening and Saturday so the 8am phone rush is shorter.",
    ),
]
TRANSPORT = [
    (
        "More car parking spaces",
        "The car park is always full and I drive round for twenty minutes looking for a "
        "parking space.",
    ),
    (
        "A bus to the health centre",
        "No bus stops near the health centre, so everyone drives and the car park overflows. "
        "Ask the council to change the bus route.",
    ),
    (
        "Disabled parking bays",
        "Add more disabled parking bays by the entrance; the car park is too far to walk from "
        "the road.",
    ),
    (
        "Parking charges",
        "The new parking charges in the car park are unfair when the bus is so unreliable.",
    ),
    (
        "Hourly bus is not enough",
        "The bus only comes once an hour, so I either arrive an hour early or have to find "
        "parking.",
    ),
    (
        "Drop-off zone",
        "A drop-off bay by the door for taxis and lifts would stop cars blocking the car park "
        "entrance.",
    ),
    (
        "Cycle racks",
        "Put cycle racks in the car park so people can cycle instead of driving and parking.",
    ),
    (
        "Community transport",
        "Older people without a car need a community minibus or a better bus service to "
        "reach the health centre.",
    ),
    (
        "Bus timetable on the website",
        "Show the bus timetable, the bus stop and the parking on the website.",
    ),
    (
        "Overflow parking at the school",
        "Use the school car park for overflow parking on busy clinic days, with a shuttle bus.",
    ),
]
MENTAL_HEALTH = [
    (
        "Mental health support for teenagers",
        "Teenagers wait months for mental health support. A drop-in at the youth centre "
        "would help.",
    ),
    (
        "Counsellor in schools",
        "Put a counsellor in every secondary school so young people can talk about anxiety early.",
    ),
    (
        "Young people's wellbeing clinic",
        "A wellbeing clinic just for young people, with someone who understands anxiety and "
        "depression.",
    ),
    (
        "Shorter waits for CAMHS",
        "My son waited a year for CAMHS. Young people need mental health help while they wait.",
    ),
    (
        "Online counselling for students",
        "Students would use online counselling or a chat service more than phoning.",
    ),
    (
        "Peer support groups",
        "Peer support groups run by young people for young people struggling with their "
        "mental health.",
    ),
    (
        "Train reception staff in mental health",
        "Staff should know how to talk to a teenager in a mental health crisis.",
    ),
    (
        "Self-harm support",
        "Clear, quick support for young people who self-harm, and for their parents.",
    ),
    (
        "Exam stress",
        "Workshops on exam stress and anxiety for pupils before GCSEs and A levels.",
    ),
    (
        "Social prescribing for youth",
        "Link young people with low mood to sport, music and youth clubs through social "
        "prescribing.",
    ),
]
TOPICS = {"appointments": APPOINTMENTS, "transport": TRANSPORT, "mental health": MENTAL_HEALTH}
# Words a name about each topic could fairly use.
TOPIC_WORDS = {
    "appointments": {"evening", "appointments", "appointment", "saturday", "weekend", "hours"},
    "transport": {"car", "park", "parking", "bus", "buses"},
    "mental health": {"mental", "health", "young", "people", "support", "anxiety"},
}


def corpus() -> tuple[list[tuple[int, str]], dict[int, str]]:
    """The thirty ideas as (id, "title\\nbody"), and each idea's topic."""
    documents, topic_of = [], {}
    for topic, ideas in TOPICS.items():
        for title, body in ideas:
            idea_id = len(documents) + 1
            documents.append((idea_id, f"{title}\n{body}"))
            topic_of[idea_id] = topic
    return documents, topic_of


def topic_counts(cluster: Cluster, topic_of: dict[int, str]) -> Counter:
    return Counter(topic_of[idea_id] for idea_id in cluster.idea_ids)


def majority(cluster: Cluster, topic_of: dict[int, str]) -> tuple[str, float]:
    """The cluster's main topic and the share of its ideas from that topic."""
    counts = topic_counts(cluster, topic_of)
    topic, count = counts.most_common(1)[0]
    return topic, count / len(cluster.idea_ids)


# The clustering core: no database


def test_three_clusters_keep_the_three_topics_apart():
    documents, topic_of = corpus()

    clusters = suggest_clusters(documents, max_clusters=3)

    assert len(clusters) == 3
    majorities = [majority(cluster, topic_of) for cluster in clusters]
    # Each topic is the main topic of exactly one cluster...
    assert sorted(topic for topic, _ in majorities) == sorted(TOPICS)
    # ...and each cluster is overwhelmingly one topic. (Two ideas on young people's mental
    # health share "online", "phoning" and "school" with the appointments ideas; one or two
    # such strays per cluster is the limit of word-based clustering, not more.)
    for topic, share in majorities:
        assert share >= 0.8, (topic, share)
    # Every idea has words to cluster by, so every idea is in exactly one cluster.
    clustered = [idea_id for cluster in clusters for idea_id in cluster.idea_ids]
    assert sorted(clustered) == sorted(topic_of)
    right = sum(topic_counts(c, topic_of).most_common(1)[0][1] for c in clusters)
    assert right / len(documents) >= 0.9


def test_choosing_the_number_of_clusters_keeps_topics_apart():
    documents, topic_of = corpus()

    clusters = suggest_clusters(documents)

    assert 3 <= len(clusters) <= 12
    for cluster in clusters:
        topic, share = majority(cluster, topic_of)
        assert share >= 0.8, (cluster.name, topic, share)
    assert {majority(cluster, topic_of)[0] for cluster in clusters} == set(TOPICS)


def test_names_come_from_the_words_of_their_topic():
    documents, topic_of = corpus()

    clusters = suggest_clusters(documents, max_clusters=3)

    for cluster in clusters:
        topic, _ = majority(cluster, topic_of)
        name_words = set(cluster.name.casefold().replace(",", " ").split())
        assert name_words & TOPIC_WORDS[topic], (cluster.name, topic)
        assert cluster.name[0].isupper()
        assert len(cluster.name) <= 120
        assert 2 <= len(cluster.name.split(", ")) <= 3
        assert cluster.terms and cluster.name.casefold().startswith(cluster.terms[0])
    assert len({cluster.name.casefold() for cluster in clusters}) == len(clusters)


def test_names_and_terms_leave_out_words_that_carry_no_topic():
    documents, _ = corpus()
    documents += [(100 + n, f"I think the GP practice would please need {n}") for n in range(5)]

    clusters = suggest_clusters(documents)

    for cluster in clusters:
        for term in cluster.terms:
            assert not set(term.split()) & {"gp", "practice", "think", "would", "please", "need"}


def test_clusters_are_ordered_by_size_with_sorted_ids_and_no_idea_twice():
    documents, _ = corpus()

    clusters = suggest_clusters(documents)

    sizes = [len(cluster.idea_ids) for cluster in clusters]
    assert sizes == sorted(sizes, reverse=True)
    for cluster in clusters:
        assert list(cluster.idea_ids) == sorted(cluster.idea_ids)
    all_ids = [idea_id for cluster in clusters for idea_id in cluster.idea_ids]
    assert len(all_ids) == len(set(all_ids))


def test_the_same_input_gives_the_same_clusters_in_any_order():
    documents, _ = corpus()
    shuffled = documents[:]
    random.Random(7).shuffle(shuffled)

    first = suggest_clusters(documents)

    assert suggest_clusters(documents) == first
    assert suggest_clusters(shuffled) == first
    assert suggest_clusters(documents, max_clusters=3, random_state=5) == suggest_clusters(
        documents, max_clusters=3, random_state=5
    )


def test_a_larger_corpus_uses_lsa_and_still_keeps_topics_apart():
    """Above 300 distinct texts the vectors go through LSA; the topics still separate."""
    documents, topic_of = corpus()
    rng = random.Random(3)
    larger, larger_topic_of = [], {}
    for copy in range(12):
        for idea_id, text in documents:
            words = text.split()
            rng.shuffle(words)  # distinct texts with the same words
            new_id = copy * 100 + idea_id
            larger.append((new_id, " ".join(words)))
            larger_topic_of[new_id] = topic_of[idea_id]

    clusters = suggest_clusters(larger, max_clusters=3)

    assert len(larger) > clustering.LSA_ABOVE
    assert sorted(majority(c, larger_topic_of)[0] for c in clusters) == sorted(TOPICS)
    for cluster in clusters:
        assert majority(cluster, larger_topic_of)[1] >= 0.8


@pytest.mark.parametrize(
    "documents",
    [
        [],
        [(1, "More evening appointments please")],
        [(1, ""), (2, "   \n ")],
        [(1, "I think we would like this, please."), (2, "It is a good idea, thank you!")],
        [(1, "2024 2025 !!! ???"), (2, "🙂🙂🙂")],
        [(1, "Evening appointments"), (2, "I think so too")],
    ],
    ids=["none", "one", "empty", "stop-words", "no-letters", "one-with-words"],
)
def test_fewer_than_two_ideas_with_words_give_no_clusters(documents):
    assert suggest_clusters(documents) == []


def test_ideas_with_only_stop_words_join_no_cluster():
    documents, _ = corpus()
    documents += [(101, "I think so too, thank you"), (102, "")]

    clusters = suggest_clusters(documents)

    clustered = {idea_id for cluster in clusters for idea_id in cluster.idea_ids}
    assert 101 not in clustered and 102 not in clustered
    assert len(clustered) == 30


def test_duplicate_texts_stay_together():
    documents, _ = corpus()
    campaign = "Save our car park! Parking for patients, not commuters."
    documents += [(200 + n, campaign) for n in range(15)]

    clusters = suggest_clusters(documents)

    holding = [c for c in clusters if set(range(200, 215)) & set(c.idea_ids)]
    assert len(holding) == 1
    assert set(range(200, 215)) <= set(holding[0].idea_ids)


def test_ideas_that_all_say_the_same_thing_make_one_cluster():
    clusters = suggest_clusters([(1, "Car parking"), (2, "car  parking!"), (3, "Car parking.")])

    assert [cluster.idea_ids for cluster in clusters] == [(1, 2, 3)]
    assert clusters[0].name == "Car parking"


def test_very_short_texts_group_by_word_and_plural():
    documents = [(1, "Parking"), (2, "Buses"), (3, "parking!"), (4, "bus"), (5, "More buses")]

    clusters = suggest_clusters(documents)

    assert sorted(cluster.idea_ids for cluster in clusters) == [(1, 3), (2, 4, 5)]
    assert {cluster.name for cluster in clusters} == {"Parking", "Buses"}


def test_two_different_ideas_are_each_clustered():
    clusters = suggest_clusters([(1, "Evening appointments"), (2, "Car parking")])

    assert sorted(idea_id for cluster in clusters for idea_id in cluster.idea_ids) == [1, 2]


def test_text_in_other_scripts_and_accents_is_clustered_and_named_as_written():
    documents = [
        (1, "Café near the surgery"),
        (2, "A café for carers"),
        (3, "Café for the waiting room"),
        (4, "停车场 太小"),
        (5, "停车场 太贵"),
        (6, "Ärztin am Wochenende"),
        (7, "Ärztin am Samstag"),
        (8, "Apwyntiadau gyda'r nos 🌙"),
        (9, "\u202eevil\u202c control\x00 characters"),
    ]

    clusters = suggest_clusters(documents, max_clusters=5)

    by_ids = {cluster.idea_ids: cluster.name for cluster in clusters}
    assert by_ids[(1, 2, 3)] == "Café"
    assert by_ids[(4, 5)] == "停车场"
    assert by_ids[(6, 7)] == "Ärztin"
    for cluster in clusters:
        assert len(cluster.name) <= 120
        assert not set(cluster.name) & {"\u202e", "\u202c", "\x00"}


def test_names_are_unique_and_at_most_120_characters():
    long_word = "a" + "b" * 300
    documents = [(n, f"{long_word} {long_word}{n % 2}") for n in range(1, 9)]
    documents += [(n, "Parking parking") for n in range(20, 24)]
    documents += [(n, "Parking, parking and more parking") for n in range(30, 34)]

    clusters = suggest_clusters(documents, max_clusters=4)

    names = [cluster.name for cluster in clusters]
    assert all(len(name) <= 120 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_max_clusters_caps_the_number_of_clusters():
    documents, _ = corpus()

    assert len(suggest_clusters(documents, max_clusters=2)) <= 2
    (only,) = suggest_clusters(documents, max_clusters=1)
    assert len(only.idea_ids) == 30
    with pytest.raises(ValueError):
        suggest_clusters(documents, max_clusters=0)


# The background task and the services: with the database


@pytest.fixture
def consultation(open_consultation):
    return open_consultation


@pytest.fixture
def moderator(home):
    return UserFactory(groups=[home.pcn.moderator_group])


@pytest.fixture
def published_ideas(consultation):
    """The thirty corpus ideas, published, by one author."""
    author = UserFactory()
    ideas = []
    for ideas_of_topic in TOPICS.values():
        for title, body in ideas_of_topic:
            ideas.append(
                Idea.objects.create(
                    consultation=consultation,
                    author=author,
                    title=title,
                    body=body,
                    status=PostStatus.PUBLISHED,
                )
            )
    return ideas


@pytest.fixture
def unpublished_ideas(consultation):
    """Strongly on-topic ideas that are pending, hidden or withdrawn: never suggested."""
    author = UserFactory()
    return [
        Idea.objects.create(
            consultation=consultation,
            author=author,
            title=f"Evening appointments on Saturday ({status})",
            body="Evening and weekend appointments, please: car park and bus too.",
            status=status,
        )
        for status in (PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN)
    ]


def run_suggestions(consultation, user, capture) -> SuggestionRun:
    """Request a run and let its on-commit enqueue (ImmediateBackend: run at once) happen."""
    with capture(execute=True) as callbacks:
        run = suggestion_run_request(consultation=consultation, user=user)
    assert len(callbacks) == 1
    run.refresh_from_db()
    return run


def suggested_idea_ids(run: SuggestionRun) -> list[int]:
    return [idea.pk for s in run.suggestions.all() for idea in s.ideas.all()]


def test_a_moderators_request_suggests_themes_from_published_ideas(
    consultation,
    moderator,
    published_ideas,
    unpublished_ideas,
    django_capture_on_commit_callbacks,
):
    run = run_suggestions(consultation, moderator, django_capture_on_commit_callbacks)

    assert run.status == SuggestionRun.Status.DONE
    assert run.requested_by == moderator
    assert run.idea_count == 30
    assert run.error == ""
    assert run.finished_at is not None
    suggestions = list(run.suggestions.all())
    assert len(suggestions) >= 3
    for suggestion in suggestions:
        assert suggestion.status == ThemeSuggestion.Status.PROPOSED
        assert suggestion.terms and all(isinstance(term, str) for term in suggestion.terms)
        assert suggestion.ideas.exists()
    ids = suggested_idea_ids(run)
    assert sorted(ids) == sorted(idea.pk for idea in published_ideas)
    assert not set(ids) & {idea.pk for idea in unpublished_ideas}


def test_nothing_runs_until_the_request_commits(
    consultation, moderator, published_ideas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = suggestion_run_request(consultation=consultation, user=moderator)

    run.refresh_from_db()
    assert len(callbacks) == 1
    assert run.status == SuggestionRun.Status.QUEUED
    assert not run.suggestions.exists()


def test_running_the_task_twice_changes_nothing(
    consultation, moderator, published_ideas, django_capture_on_commit_callbacks
):
    run = run_suggestions(consultation, moderator, django_capture_on_commit_callbacks)
    before = [(s.pk, s.name, sorted(suggested_idea_ids(run))) for s in run.suggestions.all()]
    finished_at = run.finished_at

    suggest_themes_for_run.call(run.pk)
    result = suggest_themes_for_run.enqueue(run.pk)

    run.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [(s.pk, s.name, sorted(suggested_idea_ids(run))) for s in run.suggestions.all()] == (
        before
    )
    assert run.finished_at == finished_at
    assert ThemeSuggestion.objects.filter(run=run).count() == len(before)


def test_the_task_ignores_a_run_that_no_longer_exists(db):
    suggest_themes_for_run.call(123_456)


def test_a_failure_is_recorded_on_the_run(
    consultation, moderator, published_ideas, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(documents, **options):
        raise RuntimeError("the clustering broke")

    monkeypatch.setattr("consultations.tasks.suggest_clusters", broken)

    run = run_suggestions(consultation, moderator, django_capture_on_commit_callbacks)

    assert run.status == SuggestionRun.Status.FAILED
    assert run.error == "RuntimeError: the clustering broke"
    assert run.finished_at is not None
    assert not run.suggestions.exists()


def test_a_failure_reaches_the_worker_only_after_it_is_recorded_and_a_retry_can_succeed(
    consultation, moderator, published_ideas, monkeypatch
):
    run = SuggestionRun.objects.create(consultation=consultation, requested_by=moderator)
    monkeypatch.setattr(
        "consultations.tasks.suggest_clusters",
        lambda documents, **options: 1 / 0,
    )

    with pytest.raises(ZeroDivisionError):
        suggest_themes_for_run.call(run.pk)

    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.FAILED
    assert run.error.startswith("ZeroDivisionError")

    monkeypatch.undo()
    suggest_themes_for_run.call(run.pk)

    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE
    assert run.error == ""
    assert run.suggestions.exists()


def test_a_consultation_without_ideas_finishes_with_no_suggestions(
    consultation, moderator, django_capture_on_commit_callbacks
):
    run = run_suggestions(consultation, moderator, django_capture_on_commit_callbacks)

    assert run.status == SuggestionRun.Status.DONE
    assert run.idea_count == 0
    assert not run.suggestions.exists()


@pytest.fixture
def suggestion(consultation, moderator, published_ideas, django_capture_on_commit_callbacks):
    run = run_suggestions(consultation, moderator, django_capture_on_commit_callbacks)
    return run.suggestions.order_by("pk").first()


def test_accepting_makes_a_theme_with_the_suggested_ideas(consultation, moderator, suggestion):
    theme = suggestion_accept(suggestion=suggestion, user=moderator)

    assert theme.consultation == consultation
    assert theme.name == suggestion.name
    assert set(theme.ideas.all()) == set(suggestion.ideas.all())
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.ACCEPTED
    entry = ModelLogEntry.objects.get(object_id=str(theme.pk), action="wagtail.create")
    assert entry.user == moderator
    assert entry.data["suggestion"] == suggestion.pk


def test_accepting_uses_the_moderators_name_as_plain_text(moderator, suggestion):
    theme = suggestion_accept(
        suggestion=suggestion, user=moderator, name=f"  <b>Evening</b>  appointments {HOSTILE}"
    )

    assert theme.name == 'Evening appointments alert("x")'
    assert "<" not in theme.name


def test_accepting_refuses_a_name_on_two_lines(moderator, suggestion):
    with pytest.raises(ValidationError) as refused:
        suggestion_accept(suggestion=suggestion, user=moderator, name="Evening\nappointments")
    assert "line break" in refused.value.message_dict["name"][0]
    assert not Theme.objects.filter(consultation=suggestion.run.consultation).exists()


def test_accepting_leaves_out_ideas_no_longer_published(moderator, suggestion):
    hidden, withdrawn, *published = list(suggestion.ideas.order_by("pk"))
    Idea.objects.filter(pk=hidden.pk).update(status=PostStatus.HIDDEN)
    Idea.objects.filter(pk=withdrawn.pk).update(status=PostStatus.WITHDRAWN)

    theme = suggestion_accept(suggestion=suggestion, user=moderator)

    assert set(theme.ideas.all()) == set(published)


def test_accepting_refuses_a_name_already_used_in_the_consultation(
    consultation, moderator, suggestion
):
    Theme.objects.create(consultation=consultation, name="Parking")

    with pytest.raises(ValidationError) as error:
        suggestion_accept(suggestion=suggestion, user=moderator, name=" parking ")

    assert error.value.message_dict == {"name": ["A theme with this name already exists"]}
    assert Theme.objects.filter(consultation=consultation).count() == 1
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.PROPOSED


def test_accepting_refuses_an_empty_name(moderator, suggestion):
    with pytest.raises(ValidationError) as error:
        suggestion_accept(suggestion=suggestion, user=moderator, name="<p> </p>")

    assert error.value.message_dict == {"name": ["Enter a name for the theme"]}
    assert not Theme.objects.exists()


def test_accepting_refuses_a_name_longer_than_120_characters(moderator, suggestion):
    with pytest.raises(ValidationError) as error:
        suggestion_accept(suggestion=suggestion, user=moderator, name="x" * 121)

    assert "name" in error.value.message_dict
    assert not Theme.objects.exists()


def test_a_suggestion_is_decided_once(moderator, suggestion):
    suggestion_accept(suggestion=suggestion, user=moderator)

    with pytest.raises(ValidationError):
        suggestion_accept(suggestion=suggestion, user=moderator, name="Another name")
    with pytest.raises(ValidationError):
        suggestion_discard(suggestion=suggestion, user=moderator)
    assert Theme.objects.count() == 1


def test_discarding_sets_a_suggestion_aside(moderator, suggestion):
    idea_ids = sorted(suggestion.ideas.values_list("pk", flat=True))

    suggestion_discard(suggestion=suggestion, user=moderator)

    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.DISCARDED
    assert sorted(suggestion.ideas.values_list("pk", flat=True)) == idea_ids
    assert not Theme.objects.exists()


@pytest.fixture
def outsiders(home):
    """A visitor, a resident, and a moderator of another PCN."""
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    other_moderator = UserFactory(groups=[other_home.pcn.moderator_group])
    return {"visitor": AnonymousUser(), "resident": UserFactory(), "other": other_moderator}


@pytest.mark.parametrize("who", ["visitor", "resident", "other"])
def test_only_the_consultations_moderators_may_ask_accept_or_discard(
    who, consultation, suggestion, outsiders, django_capture_on_commit_callbacks
):
    user = outsiders[who]
    runs = SuggestionRun.objects.count()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        suggestion_run_request(consultation=consultation, user=user)
    with pytest.raises(PermissionDenied):
        suggestion_accept(suggestion=suggestion, user=user)
    with pytest.raises(PermissionDenied):
        suggestion_discard(suggestion=suggestion, user=user)

    assert SuggestionRun.objects.count() == runs
    assert not Theme.objects.exists()
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.PROPOSED
