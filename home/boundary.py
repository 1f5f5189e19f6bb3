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
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from wagtail.models import Page



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
    """The rows of `queryset` that belong to any of `pcns`."""
    pcns = list(pcns)
    if not pcns:
        return queryset.none()
    kind, lookup = pcn_lookup(queryset.model)
    if kind == "pcn":
        return queryset.filter(**{f"{lookup}__in": [pcn.pk for pcn in pcns]})
    query = Q()
    for path in _home_model().objects.filter(pcn__in=pcns).values_list("path", flat=True):
        query |= Q(**{f"{lookup}__startswith": path})
    return queryset.filter(query) if query else queryset.none()


def pcn_of(obj):
    """The PCN `obj` belongs to, or None (a page outside every PCN's site, a new object with
    nothing set yet)."""
    if obj is None:
        return None
    PrimaryCareNetwork = _pcn_model()
    if isinstance(obj, PrimaryCareNetwork):
        return obj
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
    if field.related_model is PrimaryCareNetwork:
        pk = getattr(obj, field.attname)
        return PrimaryCareNetwork.objects.filter(pk=pk).first() if pk else None
    return pcn_of(getattr(obj, via))


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


def pcns_for(user):
    """The PCNs a person works for: as PPG moderator, staff or PCN lead (all for an admin)."""
    PrimaryCareNetwork = _pcn_model()
    if user is None or not user.is_authenticated:
        return PrimaryCareNetwork.objects.none()
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    groups = user.groups.all()
    return PrimaryCareNetwork.objects.filter(
        Q(moderator_group__in=groups) | Q(staff_group__in=groups) | Q(lead_group__in=groups)
    ).distinct()


def for_user(queryset, user):
    """The rows of `queryset` that belong to a PCN the user works for (every row for an
    admin)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    return in_pcns(queryset, pcns_for(user))
