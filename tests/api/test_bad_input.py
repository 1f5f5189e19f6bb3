"""Wrong query parameters get a 400 with a JSON body naming each one, never a 500; a record
that is not there is a JSON 404; the API takes no writes."""

import pytest
from django.test import Client

from tests.api.conftest import API

BEYOND_64_BITS = str(2**70)
NUL = "a\x00b"

BAD = [
    ("consultations/", {"ordering": "title"}, "ordering"),
    ("consultations/", {"ordering": "id,opens_at"}, "ordering"),
    ("consultations/", {"cursor": "not-a-cursor"}, "cursor"),
    ("consultations/", {"cursor": "cD1hYmM="}, "cursor"),  # a position that is not a number
    ("updates/", {"cursor": "cD1ub3QtYS1kYXRl"}, "cursor"),  # nor a date
    ("consultations/", {"page_size": "1000"}, "page_size"),
    ("consultations/", {"page_size": "0"}, "page_size"),
    ("consultations/", {"page_size": "-1"}, "page_size"),
    ("consultations/", {"page_size": "²"}, "page_size"),
    ("consultations/", {"opened_after": "31/01/2026"}, "opened_after"),
    ("consultations/", {"opened_before": NUL}, "opened_before"),
    ("consultations/", {"phase": "soon"}, "phase"),
    ("consultations/", {"pcn": "U99999"}, "pcn"),
    ("consultations/", {"pcn": NUL}, "pcn"),
    ("consultations/", {"pcn": "x" * 10_000}, "pcn"),
    ("themes/", {"consultation": "abc"}, "consultation"),
    ("themes/", {"consultation": BEYOND_64_BITS}, "consultation"),
    ("themes/", {"consultation": "1.5"}, "consultation"),
    ("themes/", {"priority": "abc"}, "priority"),
    ("themes/", {"priority": BEYOND_64_BITS}, "priority"),
    ("organisations/", {"kind": "place", "parent": BEYOND_64_BITS}, "parent"),
    ("accountability/", {"place": "-5"}, "place"),
    ("updates/", {"status": "finished"}, "status"),
    ("updates/", {"consultation": "-1"}, "consultation"),
    ("organisations/", {}, "kind"),
    ("organisations/", {"kind": "hospital"}, "kind"),
    ("organisations/", {"kind": "pcn", "parent": "1.5"}, "parent"),
    ("accountability/", {"place": "abc"}, "place"),
    ("priorities/", {"phse": "open"}, "phse"),  # an unknown parameter is refused, by name
    ("ics-accountability/", {"ics": "abc"}, "ics"),
    ("ics-accountability/", {"ics": BEYOND_64_BITS}, "ics"),
    ("ics-accountability/", {"place": "1"}, "place"),  # it lists systems, not places
]


@pytest.mark.parametrize(("address", "params", "named"), BAD)
def test_wrong_parameters_are_a_400_naming_them(world, api, address, params, named):
    response = api(address, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert named in response.data and response.data[named][0]


@pytest.mark.parametrize(
    "address",
    [
        "consultations/abc/",
        f"consultations/{BEYOND_64_BITS}/",
        "consultations/999999/",
        "consultations/-1/",
    ],
)
def test_a_record_that_is_not_there_is_a_json_404(world, api, address):
    response = api(address)
    assert response.status_code == 404
    assert "detail" in response.data


def test_a_cursor_position_beyond_64_bits_is_refused(world, api):
    import base64

    cursor = base64.b64encode(f"p={BEYOND_64_BITS}".encode()).decode()
    response = api("themes/", cursor=cursor)
    assert response.status_code == 400 and "cursor" in response.data


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_takes_no_writes(world, method):
    response = getattr(Client(), method)(
        API + "consultations/", {}, content_type="application/json"
    )
    assert response.status_code == 405
    assert "detail" in response.json()
