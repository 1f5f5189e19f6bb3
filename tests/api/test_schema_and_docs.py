"""The OpenAPI document describes every list (and nothing but the API), with a description
of every parameter and field; the documentation page is made from it, with no script."""

import re

import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema

from tests.api.conftest import API

LISTS = [
    "/api/v1/organisations/",
    "/api/v1/consultations/",
    "/api/v1/consultations/{id}/",
    "/api/v1/themes/",
    "/api/v1/priorities/",
    "/api/v1/updates/",
    "/api/v1/accountability/",
    "/api/v1/place-accountability/",
    "/api/v1/ics-accountability/",
]


def test_the_openapi_document_is_valid_and_describes_every_list(db):
    response = Client().get(API + "schema/")
    assert response.status_code == 200
    document = response.json()
    validate_schema(document)  # OpenAPI 3.0's own JSON schema
    assert sorted(document["paths"]) == sorted(LISTS)
    for address, operations in document["paths"].items():
        assert set(operations) == {"get"}, address
        for parameter in operations["get"]["parameters"]:
            assert parameter.get("description"), (address, parameter["name"])
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            described = prop.get("description") or "$ref" in prop or "allOf" in prop
            assert described, (name, field)
    assert yaml.safe_load(Client().get(API + "schema/", {"format": "yaml"}).content) == document


def test_the_documentation_page_lists_every_address_with_no_inline_script(db):
    response = Client().get(API + "docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for address in LISTS:
        assert address in page
    assert "Cache-Control: public, max-age=300" in page
    assert "429" in page and "400" in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "script-src 'self'" in response["Content-Security-Policy"]
