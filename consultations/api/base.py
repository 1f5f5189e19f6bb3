"""What every list of the open data API shares: public and read-only, JSON only, cursor
pagination, strict query parameters, caching and a rate limit.

Wrong query parameters are a 400 with a JSON body naming each one and what is wrong, never a
500: an unknown parameter name, a bad cursor, a page size out of range, an unknown ordering,
and (in each list's FilterSet) a bad date, id or code.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, mixins, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from home import site_cache

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
BIGINT = 2**63 - 1


def cache_seconds() -> int:
    return settings.ENGAGE_API_CACHE_SECONDS


class OpenDataThrottle(AnonRateThrottle):
    """Requests per client address (nobody signs in to the API), counted in Django's cache."""

    scope = "open_data"

    def get_rate(self):
        # Read at each request, not once at import, so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class OpenDataPagination(CursorPagination):
    """Cursor pagination in a stable order, `page_size` from 1 to 100; a cursor or page size
    that is wrong is a 400 rather than DRF's 404 or silent clamp."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"How many results a page holds: 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
    )
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = (
        "Where a page starts: copy it from the `next` or `previous` link of the page before."
    )
    ordering = "id"

    def get_paginated_response_schema(self, schema):
        document = super().get_paginated_response_schema(schema)
        properties = document["properties"]
        properties["next"]["description"] = "The address of the next page, or null on the last."
        properties["previous"]["description"] = (
            "The address of the page before, or null on the first."
        )
        properties["results"]["description"] = "This page's results."
        return document

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(raw)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise _bad_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        cursor = self.decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            # DRF filters on the position as it was sent: check it fits the ordering field.
            field = queryset.model._meta.get_field(
                self.get_ordering(request, queryset, view)[0].lstrip("-")
            )
            try:
                value = field.to_python(cursor.position)
            except (DjangoValidationError, ValueError, TypeError):
                raise _bad_cursor() from None
            if isinstance(value, int) and abs(value) > BIGINT:
                raise _bad_cursor()
        return super().paginate_queryset(queryset, request, view)


def _bad_cursor():
    return exceptions.ValidationError(
        {"cursor": ["This cursor is not one we gave. Start again from the first page."]}
    )


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering, refusing an ordering it does not offer (DRF ignores it silently)."""

    ordering_description = (
        "Order the results by one of the fields listed; '-' first for descending."
    )

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            allowed = [
                field for field, _ in self.get_valid_fields(queryset, view, {"request": request})
            ]
            if raw.lstrip("-") not in allowed or "," in raw:
                choices = ", ".join(f"{field}, -{field}" for field in allowed)
                raise exceptions.ValidationError(
                    {self.ordering_param: [f"Order by one of: {choices}."]}
                )
            return [raw]
        return self.get_default_ordering(view)


def cached(view_method):
    """Keep the answer (DRF's rendered JSON) for ENGAGE_API_CACHE_SECONDS, keyed on the full
    URL and the site cache generation: a page published, unpublished or made private starts a
    new generation (home/site_cache.py), so it leaves every cached answer at once; counts of
    residents' posts may be that many seconds old. The rate limit is counted first (it runs
    before the handler), so a cached answer is still throttled."""

    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        seconds = cache_seconds()
        if not seconds:
            return view_method(self, request, *args, **kwargs)
        prefix = f"engage-api:{site_cache.generation()}"
        view = cache_page(seconds, key_prefix=prefix)(
            lambda request, *args, **kwargs: view_method(self, request, *args, **kwargs)
        )
        return view(request, *args, **kwargs)

    return wrapper


class OpenDataViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A public, read-only list (and, with `mixins.RetrieveModelMixin`, its records)."""

    # Public and read-only: no session (so no CSRF to think about), no sign-in.
    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer]
    throttle_classes = [OpenDataThrottle]
    pagination_class = OpenDataPagination
    ordering_fields = ["id"]
    ordering = ["id"]
    # Query parameters every list takes besides its filters.
    common_parameters = ("cursor", "page_size", "ordering")

    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]

    def known_parameters(self) -> set[str]:
        known = set(self.common_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        return known

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the rate limit first
        # An unknown parameter is refused rather than ignored: a misspelt filter would
        # otherwise return everything, as if it had matched.
        if self.action == "list":
            unknown = sorted(set(request.query_params) - self.known_parameters())
        else:
            unknown = sorted(request.query_params)
        if unknown:
            takes = ", ".join(sorted(self.known_parameters())) if self.action == "list" else "none"
            raise exceptions.ValidationError(
                {name: [f"This API does not take '{name}'. It takes: {takes}."] for name in unknown}
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and cache_seconds():
            patch_cache_control(response, public=True, max_age=cache_seconds())
        return response

    schema_model = None  # the model of `rows()`, for the OpenAPI document

    def rows(self):
        """The rows of the list, before filters, ordering and pagination."""
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.schema_model.objects.none()  # the OpenAPI document reads nothing
        return self.rows()

    def extra_context(self, rows) -> dict:
        """What the serializer shows beside a page of rows, read once for all of them."""
        return {}

    def serialize(self, rows, *, many: bool):
        context = self.get_serializer_context() | self.extra_context(rows if many else [rows])
        return self.get_serializer_class()(rows, many=many, context=context).data

    @cached
    def list(self, request, *args, **kwargs):
        rows = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(self.serialize(rows, many=True))


class OpenDataRecordViewSet(mixins.RetrieveModelMixin, OpenDataViewSet):
    """A public list whose records are also served one by one, by id."""

    def get_object(self):
        raw = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        # Not an id at all, or beyond what the database holds: not found, rather than DRF's
        # database error on a number too large.
        if not raw.isascii() or not raw.isdigit() or int(raw) > BIGINT:
            raise exceptions.NotFound("There is no public record with this id.")
        return super().get_object()

    @cached
    def retrieve(self, request, *args, **kwargs):
        return Response(self.serialize(self.get_object(), many=False))
