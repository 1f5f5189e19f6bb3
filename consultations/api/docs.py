"""The open data API's OpenAPI document (drf-spectacular) and the page that explains it.

The documentation page is rendered on the server from the same OpenAPI document, in the
NHS.UK style of the sites, with no script at all: Swagger UI and Redoc write inline styles
and scripts, which the strict Content-Security-Policy of public pages refuses.
"""

from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from consultations.api.base import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, OpenDataThrottle

PREFIX = "/api/v1/"


def only_open_data(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the document describes /api/v1/ only (Wagtail's
    admin API is built on DRF too, and is none of the public's business)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]


@method_decorator(cache_page(60 * 60, key_prefix="engage-api-schema"), name="get")
class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document: JSON by default, YAML with `?format=yaml`."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [OpenDataThrottle]
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # drf-spectacular's own `lang` and `version` parameters are not offered.
        return self._get_schema_response(request)

    def _get_version_parameter(self, request):
        return None


_document: dict | None = None


def open_data_document() -> dict:
    """The OpenAPI document as a dict, made once per process (it follows the code)."""
    global _document
    if _document is None:
        _document = SchemaGenerator().get_schema(request=None, public=True)
    return _document


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _type_of(document: dict, schema: dict) -> str:
    schema = _resolve(document, schema)
    if "allOf" in schema:
        return _type_of(document, schema["allOf"][0])
    if "oneOf" in schema:
        return " or ".join(_type_of(document, one) for one in schema["oneOf"])
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"] if value)
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {_type_of(document, schema.get('items', {}))}"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    if schema.get("nullable"):
        kind += ", or null"
    return kind


def _fields(document: dict, schema: dict) -> list[dict]:
    schema = _resolve(document, schema)
    return [
        {
            "name": name,
            "type": _type_of(document, prop),
            "description": _resolve(document, prop).get("description")
            or prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def endpoints() -> list[dict]:
    """What the page lists: each address, what it takes and what each record holds."""
    document = open_data_document()
    found = []
    for address, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        response = operation["responses"]["200"]["content"]["application/json"]["schema"]
        response = _resolve(document, response)
        record = (
            response["properties"]["results"]["items"]
            if "results" in response.get("properties", {})
            else response
        )
        found.append(
            {
                "address": address,
                "anchor": address.strip("/").replace("/", "-").replace("{", "").replace("}", ""),
                "summary": operation.get("summary", address),
                "description": operation.get("description", ""),
                "is_list": "results" in response.get("properties", {}),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "required": parameter.get("required", False),
                        "type": _type_of(document, parameter.get("schema", {})),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "fields": _fields(document, record),
            }
        )
    return found


@require_safe
def documentation(request):
    """/api/v1/docs/: every list, its parameters and fields, caching, limits and errors."""
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    return TemplateResponse(
        request,
        "consultations/api/docs.html",
        {
            "endpoints": endpoints(),
            "schema_url": request.build_absolute_uri(reverse("api-v1:schema")),
            "example_url": request.build_absolute_uri(reverse("api-v1:consultation-list"))
            + "?phase=open&page_size=10",
            "cache_seconds": settings.ENGAGE_API_CACHE_SECONDS,
            "cache_minutes": settings.ENGAGE_API_CACHE_SECONDS // 60,
            "rate": rates.get(OpenDataThrottle.scope, ""),
            "default_page_size": DEFAULT_PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
        },
    )
