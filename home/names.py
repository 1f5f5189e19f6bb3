"""The names a resident's display name may not pass for: every NHS organisation an Engage
site knows of, and every place its residents live in (see `engage.names`)."""

from collections.abc import Iterator

from engage.names import ORGANISATION, PLACE
from home.models import IntegratedCareSystem, Neighbourhood, Place, Practice, PrimaryCareNetwork


def reserved_names() -> Iterator[tuple[str, str]]:
    """`(ORGANISATION or PLACE, name)` for each organisation and place, across all PCNs."""
    for kind, model in (
        (ORGANISATION, PrimaryCareNetwork),
        (ORGANISATION, Practice),
        (ORGANISATION, IntegratedCareSystem),
        (PLACE, Place),
        (PLACE, Neighbourhood),
    ):
        for name in model.objects.order_by().values_list("name", flat=True).distinct():
            yield kind, name
