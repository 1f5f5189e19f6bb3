"""The PCN boundary, in one place.

Every object that belongs to a PCN can say which: a page by the PCN home page it sits under,
any other model through `pcn_via`, the name of the relation that leads (in one or more
steps) to a page or to the `PrimaryCareNetwork` itself. From that one declaration come

- `pcn_of(obj)`: the PCN an object belongs to;
- `in_pcn(queryset, pcn)`: the objects of one PCN, for every choice a form offers;
- `check_links(owner, ...)`: the rule that a link between two objects is valid only inside
  one PCN, raised as a `ValidationError` on the field, from `clean()` and from services;
- `pcns_for(user)`: the PCNs a person works for (moderator, staff or lead), for the admin.

A model whose rows belong to a PCN and that links to another PCN-owned model declares
`pcn_via`; `tests/authz/test_relation_walk.py` fails for a relation someone adds without it.

One level up, the same rule for a Place: a model whose rows belong to a Place (its shared
vision, its priorities, their links to what PCNs heard) declares `place_via`, the relation
that leads to the `Place` itself. Such an object belongs to no PCN; its links may reach only
objects of its own Place's PCNs (`place_of`, `in_place`, `check_place_links`), and
`PcnBoundaryMixin.clean()` applies that rule to it instead. Two levels up, the same for an
integrated care system: its own objects declare `ics_via`, and may link to the objects of
its Places and their PCNs only (`ics_of`, `in_ics`, `check_ics_links`). Both levels are one
`Level` each; a level's own object belongs to no PCN.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from wagtail.models import Page

from engage.roles import group_ids


# Looked up by name, not imported: home.models builds its mixins on this module.
def _pcn_model():
    return apps.get_model("home", "PrimaryCareNetwork")


def _home_model():
    return apps.get_model("home", "HomePage")


def pcn_lookup(model) -> tuple[str, str]:
    """How to reach a model's PCN in a query: ("pcn", "consultation__...") kinds.

    Returns (kind, lookup): kind "pcn" means `lookup` ends at a PCN's primary key, kind
    "page" means `lookup` ends at a page's tree path under the PCN's home page.
    """
    if model is _pcn_model():
        return "pcn", "pk"
    if belongs_to_a_level(model):
        raise LookupError(f"{model.__name__} belongs to a Place or an ICS, not to one PCN.")
    if model is _home_model():
        return "pcn", "pcn"
    if issubclass(model, Page):
        return "page", "path"
    via = getattr(model, "pcn_via", None)
    if via is None:
        raise LookupError(f"{model.__name__} does not say which PCN it belongs to (pcn_via).")
    related = model._meta.get_field(via).related_model
    kind, rest = pcn_lookup(related)
    return kind, f"{via}__{rest}"


def belongs_to_a_pcn(model) -> bool:
    try:
        pcn_lookup(model)
    except LookupError:
        return False
    return True


def in_pcn(queryset, pcn):
    """The rows of `queryset` that belong to `pcn` (nothing for no PCN)."""
    if pcn is None:
        return queryset.none()
    kind, lookup = pcn_lookup(queryset.model)
    if kind == "pcn":
        return queryset.filter(**{lookup: pcn.pk})
    home = _home_model().objects.filter(pcn=pcn).only("path").first()
    if home is None:
        return queryset.none()
    return queryset.filter(**{f"{lookup}__startswith": home.path})


def in_pcns(queryset, pcns: Iterable):
    """The rows of `queryset` that belong to any of `pcns`. PCNs read through
    `with_home_path` bring their home pages' paths along, so this reads nothing more."""
    pcns = list(pcns)
    if not pcns:
        return queryset.none()
    kind, lookup = pcn_lookup(queryset.model)
    if kind == "pcn":
        return queryset.filter(**{f"{lookup}__in": [pcn.pk for pcn in pcns]})
    if all(hasattr(pcn, "home_path") for pcn in pcns):
        paths = [pcn.home_path for pcn in pcns if pcn.home_path]
    else:
        paths = _home_model().objects.filter(pcn__in=pcns).values_list("path", flat=True)
    query = Q()
    for path in paths:
        query |= Q(**{f"{lookup}__startswith": path})
    return queryset.filter(query) if query else queryset.none()


def with_home_path(queryset):
    """PCNs, each with `home_path`: its home page's tree path (None before it has a site), in
    the same query, for `in_pcns` and the roll-ups to read the PCNs' pages without asking
    again."""
    homes = _home_model().objects.filter(pcn=OuterRef("pk")).order_by("path").values("path")
    return queryset.annotate(home_path=Subquery(homes[:1]))


def home_paths_of(pcns) -> dict[int, str]:
    """PCN id -> its home page's path, from PCNs read `with_home_path`."""
    return {pcn.pk: pcn.home_path for pcn in pcns if pcn.home_path}


def pcn_of(obj):
    """The PCN `obj` belongs to, or None (a page outside every PCN's site, a new object with
    nothing set yet)."""
    if obj is None:
        return None
    PrimaryCareNetwork = _pcn_model()
    if isinstance(obj, PrimaryCareNetwork):
        return obj
    if belongs_to_a_level(type(obj)):
        return None  # a Place's or an ICS's own object (`place_of`, `ics_of`)
    HomePage = _home_model()
    if isinstance(obj, HomePage):
        return obj.pcn if obj.pcn_id else None
    if isinstance(obj, Page):
        if not obj.path:
            return None
        home = (
            HomePage.objects.filter(path__in=[obj.path[:n] for n in range(4, len(obj.path) + 1, 4)])
            .select_related("pcn")
            .first()
        )
        return home.pcn if home else None
    via = getattr(type(obj), "pcn_via", None)
    if via is None:
        raise LookupError(f"{type(obj).__name__} does not say which PCN it belongs to (pcn_via).")
    field = obj._meta.get_field(via)
    if field.is_cached(obj):
        return pcn_of(getattr(obj, via))
    pk = getattr(obj, field.attname)
    if pk is None:
        return None  # not linked yet (a new row of a new page's inline panel)
    related = field.related_model._default_manager.filter(pk=pk).first()
    return pcn_of(related)


def outside_pcn(pcn, objects: Iterable) -> list:
    """Those of `objects` that do not belong to `pcn`, in one query per model."""
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return []
    if pcn is None:
        return objects
    outside = []
    by_model: dict[type, list] = {}
    for obj in objects:
        by_model.setdefault(type(obj)._meta.concrete_model, []).append(obj)
    for model, items in by_model.items():
        if belongs_to_a_level(model):
            outside += items  # a Place's or an ICS's own object belongs to no PCN
            continue
        inside = set(
            in_pcn(model._default_manager.filter(pk__in=[o.pk for o in items]), pcn).values_list(
                "pk", flat=True
            )
        )
        outside += [obj for obj in items if obj.pk not in inside]
    return outside


def check_links(owner_pcn, links: dict[str, Iterable | models.Model | None]) -> None:
    """Refuse any linked object outside `owner_pcn`, naming the field and the object.

    `links` maps a field name to the object (or objects) it links to. Raises one
    `ValidationError` with an error per field that crosses the boundary.
    """
    errors = {}
    for field_name, value in links.items():
        if value is None:
            continue
        values = [value] if isinstance(value, models.Model) else list(value)
        crossing = outside_pcn(owner_pcn, values)
        if crossing:
            names = ", ".join(f"'{obj}'" for obj in crossing[:3])
            verb = "belongs" if len(crossing) == 1 else "belong"
            errors[field_name] = f"{names} {verb} to another PCN. Choose from this PCN's own."
    if errors:
        raise ValidationError(errors)


# The roles a person holds in PCNs, read in one query per user object: every question of
# "which PCNs is this person X of?" (the admin's menu asks a dozen on every page) is answered
# from these rows and the person's groups (`engage.roles.group_ids`).
ROLES = {
    "moderator": "moderator_group_id",
    "staff": "staff_group_id",
    "lead": "lead_group_id",
    "place_lead": "place__lead_group_id",
    "ics_lead": "place__integrated_care_system__lead_group_id",
}


def _pcn_roles(user) -> list[dict]:
    """The PCNs in which any of the person's groups holds any role, each with its role groups
    and whether it has a site (home page). Read once per user object."""
    if not hasattr(user, "_engage_pcn_roles"):
        groups = group_ids(user)
        if groups:
            touching = Q()
            for field in ROLES.values():
                touching |= Q(**{field.removesuffix("_id") + "__in": groups})
            has_site = Exists(_home_model().objects.filter(pcn=OuterRef("pk")))
            rows = list(
                _pcn_model()
                .objects.filter(touching)
                .annotate(has_site=has_site)
                .values("pk", "has_site", *ROLES.values())
            )
        else:
            rows = []
        user._engage_pcn_roles = rows
    return user._engage_pcn_roles


def pcn_ids_with_role(user, *roles: str, with_site: bool = False) -> list[int]:
    """The ids of the PCNs in which the person holds any of `roles` (names of `ROLES`)
    through their own groups (an admin's too: admins' every-PCN rule is the caller's), only
    those with a site if `with_site`. No query after the person's first question. Whether
    an inactive account counts is the caller's rule, as before."""
    if user is None or not user.is_authenticated:
        return []
    groups = group_ids(user)
    fields = [ROLES[role] for role in roles]
    return sorted(
        row["pk"]
        for row in _pcn_roles(user)
        if any(row[field] in groups for field in fields) and (row["has_site"] or not with_site)
    )


def pcn_ids_for(user, *, with_place: bool = True) -> list[int]:
    """The ids of the PCNs a person works for: as PPG moderator, staff or PCN lead, or as a
    place lead, every PCN of their Place, and as an ICS lead every PCN of their ICS (not
    with `with_place=False`: a place or ICS lead reads
    their PCNs' organisations, but not their pages, drafts or private consultations). Read
    once per user object (the admin asks often). A superuser's own groups count here;
    `pcns_for` gives them every PCN."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    roles = ["moderator", "staff", "lead"]
    if with_place:
        roles += ["place_lead", "ics_lead"]
    return pcn_ids_with_role(user, *roles)


def pcns_for(user, *, with_place: bool = True):
    """The PCNs a person works for (`pcn_ids_for`); every PCN for an admin."""
    PrimaryCareNetwork = _pcn_model()
    if user is not None and user.is_authenticated and user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(pk__in=pcn_ids_for(user, with_place=with_place))


def for_user(queryset, user):
    """The rows of `queryset` that belong to a PCN the user works in as its moderator, staff
    or lead (every row for an admin). A place lead's Place gives them none: its PCNs' pages,
    posts and themes in the admin are their PCNs' own business (they read what is public)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    return in_pcns(queryset, pcns_for(user, with_place=False))


def _links_of(instance) -> dict:
    """Every forward relation of `instance` to something that belongs to a PCN (or to a
    Place), but the one that says which PCN or Place it belongs to: field name -> linked
    object or objects."""
    level = level_of_model(type(instance))
    via = getattr(type(instance), level.via if level else "pcn_via", None)
    links = {}
    for field in instance._meta.get_fields():
        if not field.is_relation or not field.concrete or field.name == via:
            continue
        if getattr(field.remote_field, "parent_link", False):
            continue  # the page row this page type extends: the same object
        related = field.related_model
        if related is None or not (belongs_to_a_pcn(related) or belongs_to_a_level(related)):
            continue
        if field.many_to_many:
            # ParentalManyToManyField keeps unsaved choices in memory; a plain one has none
            # until the row is saved.
            if isinstance(field, ParentalManyToManyField) or not instance._state.adding:
                links[field.name] = list(getattr(instance, field.name).all())
        elif getattr(instance, field.attname) is not None:
            links[field.name] = getattr(instance, field.name)
    return links


def check_instance_links(instance) -> None:
    """Refuse any relation of `instance` to an object of another PCN (see `check_links`),
    or, for a Place's or an ICS's object, to an object outside that organisation
    (`Level.check_links`)."""
    level = level_of_model(type(instance))
    if level is not None:
        organisation = level.of(instance)
        if organisation is not None:
            _check_with_inline_rows(level.check_links, organisation, instance)
        return
    owner = pcn_of(instance)
    if owner is None:
        return
    _check_with_inline_rows(check_links, owner, instance)


def _check_with_inline_rows(check, owner, instance) -> None:
    """`check(owner, links)` for the instance and for each of its inline rows: a page's rows
    (its update's chosen ideas, a Place priority's links) are saved with it, unchecked by
    Django, so what they link to is checked against the page's PCN or Place too."""
    check(owner, _links_of(instance))
    crossing = []
    for relation in get_all_child_relations(instance):
        for child in getattr(instance, relation.get_accessor_name()).all():
            try:
                check(owner, _links_of(child))
            except ValidationError as error:
                crossing += error.messages
    if crossing:
        raise ValidationError(crossing)


# The levels above a PCN: a Place's own objects, and an integrated care system's


class Level:
    """A level above the PCN (a Place, or an integrated care system) and the rule for its
    own objects: a model whose rows belong to one declares `via` (`place_via` or `ics_via`),
    the relation that leads to the organisation itself. Such an object belongs to no PCN;
    its links may reach only objects of that organisation: its own, those of the levels
    below it within it (an ICS's Places' objects), and those of its PCNs."""

    def __init__(
        self, *, via: str, model_name: str, noun: str, within: str, pcns_lookup: str, below=None
    ):
        self.via = via  # the attribute its own models declare
        self.model_name = model_name  # in the `home` app
        self.noun = noun  # "Place", "integrated care system"
        self.within_words = within  # what its objects may link to, "the PCNs of {} only"
        self.pcns_lookup = pcns_lookup  # from a PCN to this organisation
        self.below = below  # the level under this one, whose objects this one holds

    @property
    def model(self):
        return apps.get_model("home", self.model_name)

    def owns(self, model) -> bool:
        """A model whose rows are this level's own objects."""
        return getattr(model, self.via, None) is not None

    def lookup(self, model) -> str:
        """The lookup from `model` to its organisation's primary key."""
        if model is self.model:
            return "pk"
        via = getattr(model, self.via, None)
        if via is None:
            raise LookupError(f"{model.__name__} does not say whose it is ({self.via}).")
        return f"{via}__{self.lookup(model._meta.get_field(via).related_model)}"

    def of(self, obj):
        """The organisation `obj` belongs to: its own object through `via`, an object of a
        lower level (or of a PCN) through that one's; None when it has none yet."""
        if obj is None:
            return None
        if isinstance(obj, self.model):
            return obj
        via = getattr(type(obj), self.via, None)
        if via is None:
            lower = self.below.of(obj) if self.below is not None else pcn_of(obj)
            return _follow(lower, self.pcns_lookup.rsplit("__", 1)[-1]) if lower else None
        field = obj._meta.get_field(via)
        if field.is_cached(obj):
            return self.of(getattr(obj, via))
        pk = getattr(obj, field.attname)
        if pk is None:
            return None
        return self.of(field.related_model._default_manager.filter(pk=pk).first())

    def within(self, queryset, organisation):
        """The rows of `queryset` that belong to `organisation`: its own objects, a lower
        level's objects within it, or the objects of any of its PCNs."""
        if organisation is None:
            return queryset.none()
        model = queryset.model
        if self.owns(model):
            return queryset.filter(**{self.lookup(model): organisation.pk})
        if self.below is not None and self.below.owns(model):
            lowers = self.below.model.objects.filter(
                **{self.pcns_lookup.split("__", 1)[1]: organisation.pk}
            )
            return queryset.filter(**{f"{self.below.lookup(model)}__in": lowers.values("pk")})
        return in_pcns(queryset, _pcn_model().objects.filter(**{self.pcns_lookup: organisation}))

    def holds(self, model) -> bool:
        """Objects of `model` can belong to this level's organisations at all."""
        if self.owns(model) or belongs_to_a_pcn(model):
            return True
        return self.below is not None and self.below.holds(model)

    def outside(self, organisation, objects: Iterable) -> list:
        """Those of `objects` that do not belong to `organisation`, in one query per model."""
        objects = [obj for obj in objects if obj is not None]
        if not objects or organisation is None:
            return objects
        outside = []
        by_model: dict[type, list] = {}
        for obj in objects:
            by_model.setdefault(type(obj)._meta.concrete_model, []).append(obj)
        for model, items in by_model.items():
            if not self.holds(model):
                continue
            inside = set(
                self.within(
                    model._default_manager.filter(pk__in=[o.pk for o in items]), organisation
                ).values_list("pk", flat=True)
            )
            outside += [obj for obj in items if obj.pk not in inside]
        return outside

    def check_links(self, organisation, links: dict[str, Iterable | models.Model | None]):
        """Refuse any linked object outside `organisation`, naming the field and the object:
        `check_links` one level up."""
        errors = {}
        for field_name, value in links.items():
            if value is None:
                continue
            values = [value] if isinstance(value, models.Model) else list(value)
            crossing = self.outside(organisation, values)
            if crossing:
                names = ", ".join(f"'{obj}'" for obj in crossing[:3])
                verb = "belongs" if len(crossing) == 1 else "belong"
                errors[field_name] = (
                    f"{names} {verb} to another {self.noun}. "
                    f"Choose from {self.within_words.format(organisation)}."
                )
        if errors:
            raise ValidationError(errors)

    def ids_led_by(self, user) -> list[int]:
        """The ids of the organisations whose lead group the person is in (read once per
        user object, every level's in one query)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return []
        return _led_ids(user)[self.via]


def _led_ids(user) -> dict[str, list[int]]:
    """Level (its `via`) -> the ids of the organisations of that level the person leads: one
    query for every level (a union), none for someone in no group. Read once per user
    object."""
    if not hasattr(user, "_engage_led_ids"):
        groups = group_ids(user)
        led = {level.via: [] for level in LEVELS}
        if groups:
            reads = [
                level.model.objects.filter(lead_group__in=groups)
                .annotate(level=models.Value(level.via, output_field=models.CharField()))
                .order_by()
                .values_list("level", "pk")
                for level in LEVELS
            ]
            for via, pk in reads[0].union(*reads[1:], all=True):
                led[via].append(pk)
        user._engage_led_ids = {via: sorted(ids) for via, ids in led.items()}
    return user._engage_led_ids


def _follow(obj, attribute: str):
    return getattr(obj, attribute) if obj is not None else None


PLACE = Level(
    via="place_via",
    model_name="Place",
    noun="Place",
    within="the PCNs of {} only",
    pcns_lookup="place",
)
ICS = Level(
    via="ics_via",
    model_name="IntegratedCareSystem",
    noun="integrated care system",
    within="the Places and PCNs of {} only",
    pcns_lookup="place__integrated_care_system",
    below=PLACE,
)
LEVELS = (PLACE, ICS)


def level_of_model(model) -> Level | None:
    """The level whose own objects `model`'s rows are, or None (a PCN's, or nobody's)."""
    return next((level for level in LEVELS if level.owns(model)), None)


def belongs_to_a_level(model) -> bool:
    """A Place's or an ICS's own object, not a PCN's."""
    return level_of_model(model) is not None


# The Place's names, as most callers know them.
place_lookup = PLACE.lookup
place_of = PLACE.of
in_place = PLACE.within
outside_place = PLACE.outside
check_place_links = PLACE.check_links
place_ids_led_by = PLACE.ids_led_by
ics_lookup = ICS.lookup
ics_of = ICS.of
in_ics = ICS.within
check_ics_links = ICS.check_links
ics_ids_led_by = ICS.ids_led_by


def belongs_to_a_place(model) -> bool:
    """A Place's own object (its vision and what hangs from it), not a PCN's."""
    return PLACE.owns(model)


class PcnBoundaryMixin:
    """For models whose rows belong to a PCN (or a Place): `clean()` refuses links across
    its edge.

    Put it before `models.Model` (or the page class) in the bases; `full_clean()`, which
    every service and every Wagtail page save calls, then applies the rule.
    """

    def clean(self):
        super().clean()
        check_instance_links(self)


class PcnScopedFormMixin:
    """Every choice a form offers belongs to the form's PCN: model choice fields (selects,
    checkbox lists and choosers alike) and those of its inline formsets are narrowed to it,
    so another PCN's object is refused as "not one of the available choices".

    `form_pcn()` says whose form it is; None (a new PCN's home page) leaves choices alone.
    """

    def form_pcn(self):
        return pcn_of(self.instance) if self.instance is not None else None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pcn = self.form_pcn()
        if pcn is None:
            return
        scope_fields(self, pcn)
        for formset in getattr(self, "formsets", {}).values():
            _scope_formset(formset, pcn)


def scope_fields(form, pcn) -> None:
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and belongs_to_a_pcn(queryset.model):
            field.queryset = in_pcn(queryset, pcn)
            widget = getattr(field.widget, "widget", field.widget)
            if hasattr(widget, "choices"):
                widget.choices = field.choices


def _scope_formset(formset, pcn) -> None:
    """Narrow every form the formset makes (its rows, and the empty row a new one copies),
    once the formset has added its own fields (a row's id among them)."""
    add_fields = formset.add_fields

    def add_fields_then_scope(form, index):
        add_fields(form, index)
        scope_fields(form, pcn)

    formset.add_fields = add_fields_then_scope
    formset.__dict__.pop("forms", None)  # rows made before this point are made again
