"""The PCN boundary for every relation: a link from one PCN's object to another PCN's is
refused, and no admin form offers another PCN's object.

The relations are read from the models, so a field added later is walked at once:

- every model of our apps whose rows belong to a PCN (`home.boundary.pcn_lookup`) must
  apply the boundary in `clean()` (`PcnBoundaryMixin`), and each of its relations to another
  PCN-owned model is set, on PCN A's object, to PCN B's object: `full_clean()` must refuse it
  on that field;
- a model that links PCN-owned objects but belongs to no PCN must be listed in
  `NOT_OWNED`, with the reason no two PCNs can meet in one row;
- every Wagtail edit form of those models (pages, their inline panels, snippets), built for
  PCN A, offers only PCN A's objects in every model choice field, and refuses PCN B's when
  it is sent anyway;
- one level up, every model whose rows belong to a Place (`place_via`: its vision, its
  priorities, their links) applies the same rule to its Place: each of its relations to a
  PCN's (or a Place's) object, set on Place A's object to an object of Place B's PCN, is
  refused on that field.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import get_edit_handler
from wagtail.models import Page

from consultations.models import (
    CommunicationNeeds,
    EqualityAnswers,
    Flag,
    Follow,
    ModerationDecision,
)
from home.boundary import (
    ICS,
    PcnBoundaryMixin,
    belongs_to_a_level,
    belongs_to_a_pcn,
    belongs_to_a_place,
    ics_of,
    level_of_model,
    outside_pcn,
    pcn_of,
    place_of,
)
from tests.authz.twins import build_twins

OUR_APPS = ("consultations", "home", "engage")

# Models that link to PCN-owned objects but belong to no PCN themselves, and why no row of
# them can join two PCNs.
NOT_OWNED = {
    EqualityAnswers: "answers belong to exactly one resident or one offline contributor "
    "(a check constraint); a resident belongs to no PCN",
    CommunicationNeeds: "needs belong to exactly one resident or one offline contributor "
    "(a check constraint); a resident belongs to no PCN",
    Follow: "a person follows exactly one consultation or one idea (a check constraint)",
    Flag: "a report is of exactly one idea or one comment (a check constraint)",
    ModerationDecision: "a decision is about exactly one idea or one comment",
}


def our_models():
    return [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.abstract
    ]


def pcn_relations(model) -> list:
    """The forward relations of `model` to PCN-owned models, but the one naming its PCN."""
    level = level_of_model(model)
    via = getattr(model, level.via if level else "pcn_via", None)
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.related_model is not None
        and field.name != via
        and not getattr(field.remote_field, "parent_link", False)
        and (belongs_to_a_pcn(field.related_model) or belongs_to_a_level(field.related_model))
    ]


RELATIONS = [
    (model, field.name)
    for model in our_models()
    if belongs_to_a_pcn(model)
    for field in pcn_relations(model)
]


def test_the_walk_finds_the_relations_that_matter():
    names = {f"{model.__name__}.{name}" for model, name in RELATIONS}
    # The ones that leaked, and a sample of the rest: the walk is not vacuous.
    assert {
        "UpdatePage.consultation",
        "UpdatePage.themes",
        "UpdatePage.priority",
        "UpdateIdea.idea",
        "Theme.priority",
        "Idea.neighbourhood",
        "Idea.practice",
        "Idea.contributor",
        "Letter.update",
        "Notice.contributor",
        "ConsultationPage.neighbourhoods",
        "Practice.neighbourhood",
        "ThemeQuote.idea",
        "IdeaTheme.idea",
    } <= names
    # Wagtail's own relation of every page type to another page.
    assert "UpdatePage.alias_of" in names


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model.__name__)
def test_every_model_that_links_pcn_objects_applies_the_boundary(model):
    if not pcn_relations(model):
        return
    if belongs_to_a_pcn(model) or belongs_to_a_level(model):
        assert issubclass(model, PcnBoundaryMixin), (
            f"{model.__name__} belongs to a PCN and links to PCN-owned objects: add "
            "home.boundary.PcnBoundaryMixin to its bases so clean() refuses other PCNs' objects."
        )
    else:
        assert model in NOT_OWNED, (
            f"{model.__name__} links to PCN-owned objects but says no PCN of its own: give it "
            "`pcn_via`, or list it in NOT_OWNED with the reason no row can join two PCNs."
        )


@pytest.fixture
def twins(db):
    return build_twins()


def _sample(twins, side, model):
    for candidate, obj in twins[side].items():
        if candidate is model or (isinstance(model, type) and issubclass(candidate, model)):
            return obj
    pytest.fail(f"tests/authz/twins.py has no {model.__name__} in PCN {side.upper()}: add one.")


@pytest.mark.parametrize(
    ("model", "field_name"), RELATIONS, ids=[f"{m.__name__}.{f}" for m, f in RELATIONS]
)
def test_a_link_to_another_pcns_object_is_refused(twins, model, field_name):
    mine = _sample(twins, "a", model)
    field = model._meta.get_field(field_name)
    theirs = _sample(twins, "b", field.related_model)
    if belongs_to_a_level(field.related_model):
        # A Place's (or an ICS's) own object (a Place's update a notice tells of) belongs to no PCN: a
        # row of a PCN's may not link one (a Place's notice belongs to no PCN's update).
        assert pcn_of(theirs) is None
    else:
        assert pcn_of(mine).pk != pcn_of(theirs).pk
    if isinstance(field, ParentalManyToManyField):
        setattr(mine, field_name, [theirs])
    elif field.many_to_many:
        getattr(mine, field_name).add(theirs)
    else:
        setattr(mine, field_name, theirs)
    with pytest.raises(ValidationError) as refused:
        mine.full_clean()
    messages = refused.value.message_dict.get(field_name, [])
    assert any("belongs to another PCN" in message for message in messages), (
        refused.value.message_dict
    )


# One level up: a Place's own objects

PLACE_RELATIONS = [
    (model, field.name)
    for model in our_models()
    if belongs_to_a_place(model)
    for field in pcn_relations(model)
]


def test_the_place_walk_finds_the_place_visions_links():
    names = {f"{model.__name__}.{name}" for model, name in PLACE_RELATIONS}
    assert {
        "PlacePriorityLink.theme",
        "PlacePriorityLink.vision_priority",
        "PlaceVisionPage.alias_of",
    } <= names


@pytest.mark.parametrize(
    ("model", "field_name"),
    PLACE_RELATIONS,
    ids=[f"{m.__name__}.{f}" for m, f in PLACE_RELATIONS],
)
def test_a_link_to_another_places_object_is_refused(twins, model, field_name):
    mine = _sample(twins, "a", model)
    field = model._meta.get_field(field_name)
    theirs = _sample(twins, "b", field.related_model)
    assert place_of(mine).pk != place_of(theirs).pk
    if field.many_to_many:
        getattr(mine, field_name).add(theirs)
    else:
        setattr(mine, field_name, theirs)
    with pytest.raises(ValidationError) as refused:
        mine.full_clean(validate_constraints=False)
    messages = refused.value.message_dict.get(field_name, [])
    assert any("belongs to another Place" in message for message in messages), (
        refused.value.message_dict
    )


# Two levels up: an integrated care system's own objects

ICS_RELATIONS = [
    (model, field.name)
    for model in our_models()
    if ICS.owns(model)
    for field in pcn_relations(model)
]


def test_the_ics_walk_finds_the_ics_visions_links():
    names = {f"{model.__name__}.{name}" for model, name in ICS_RELATIONS}
    assert {
        "IcsPriorityLink.place_priority",
        "IcsUpdatePage.priorities",
        "IcsVisionPage.alias_of",
    } <= names


@pytest.mark.parametrize(
    ("model", "field_name"), ICS_RELATIONS, ids=[f"{m.__name__}.{f}" for m, f in ICS_RELATIONS]
)
def test_a_link_to_another_ics_object_is_refused(twins, model, field_name):
    mine = _sample(twins, "a", model)
    field = model._meta.get_field(field_name)
    theirs = _sample(twins, "b", field.related_model)
    assert ics_of(mine).pk != ics_of(theirs).pk
    if isinstance(field, ParentalManyToManyField):
        setattr(mine, field_name, [theirs])
    elif field.many_to_many:
        getattr(mine, field_name).add(theirs)
    else:
        setattr(mine, field_name, theirs)
    with pytest.raises(ValidationError) as refused:
        mine.full_clean(validate_constraints=False)
    messages = refused.value.message_dict.get(field_name, [])
    assert any("belongs to another integrated care system" in m for m in messages), (
        refused.value.message_dict
    )


def test_the_same_links_inside_one_pcn_are_valid(twins):
    for model, obj in twins["a"].items():
        if issubclass(model, PcnBoundaryMixin):
            obj.full_clean(validate_unique=False, validate_constraints=False)


def test_a_pages_inline_rows_cannot_link_to_another_pcn(twins):
    """An update's chosen ideas are rows saved with the page, so the page checks them."""
    update = twins["a"][_model("UpdatePage")]
    link = update.answered_ideas.first()
    link.idea = twins["b"][_model("Idea")]
    update.answered_ideas = [link]
    with pytest.raises(ValidationError, match="belongs to another PCN"):
        update.full_clean()


def _model(name):
    return apps.get_model("consultations", name)


# Admin forms


def _inline_only(model) -> bool:
    """Rows edited only in their page's inline panel (checked with the page's form)."""
    via = getattr(model, "pcn_via", None)
    return via is not None and isinstance(model._meta.get_field(via), ParentalKey)


# Pages, and snippets with panels: the models with a Wagtail edit form of their own.
EDITED = [
    model
    for model in our_models()
    if belongs_to_a_pcn(model)
    and (issubclass(model, Page) or "panels" in model.__dict__)
    and not _inline_only(model)
]


def _forms_of(form):
    """The form and every form of its inline panels."""
    yield form
    for formset in getattr(form, "formsets", {}).values():
        yield from formset.forms
        yield formset.empty_form


def _build_form(model, obj, data=None):
    if issubclass(model, Page):
        form_class = model.get_edit_handler().get_form_class()
        return form_class(data, instance=obj, parent_page=obj.get_parent())
    return get_edit_handler(model).get_form_class()(data, instance=obj)


@pytest.mark.parametrize("model", EDITED, ids=lambda model: model.__name__)
def test_every_choice_an_edit_form_offers_is_its_own_pcns(twins, model):
    _check_choices(twins, model)


def _check_choices(twins, model) -> int:
    """Assert the model's edit form offers only PCN A's objects; return the fields checked."""
    obj = _sample(twins, "a", model)
    pcn = pcn_of(obj)
    form = _build_form(model, obj)
    checked = 0
    for each in _forms_of(form):
        for name, field in each.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            if not belongs_to_a_pcn(field.queryset.model):
                continue
            offered = list(field.queryset)
            assert not outside_pcn(pcn, offered), f"{model.__name__}.{name} offers another PCN's"
            checked += 1
    return checked


def test_the_form_walk_checks_the_fields_that_leaked(twins):
    """The update's editor offered every consultation, theme, idea and priority."""
    update_page = apps.get_model("consultations", "UpdatePage")
    checked = _check_choices(twins, update_page)
    # consultation, themes, priority, and the chosen idea of each inline row (and the
    # empty row Wagtail copies for a new one).
    assert checked >= 5


@pytest.mark.parametrize("model", EDITED, ids=lambda model: model.__name__)
def test_an_edit_form_refuses_another_pcns_object_sent_anyway(twins, model):
    obj = _sample(twins, "a", model)
    form = _build_form(model, obj)
    for each in _forms_of(form):
        for field in each.fields.values():
            if not isinstance(field, ModelChoiceField) or not belongs_to_a_pcn(
                field.queryset.model
            ):
                continue
            theirs = _sample(twins, "b", field.queryset.model)
            value = [theirs.pk] if isinstance(field, ModelMultipleChoiceField) else theirs.pk
            with pytest.raises(ValidationError):
                field.clean(value)
