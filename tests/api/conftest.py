"""A public world for the open data API: two PCNs' sites with content in every state."""

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture
def api():
    """A visitor's client that returns (status, JSON body)."""
    client = Client()

    def get(url, **params):
        response = client.get(url, params)
        return response

    cache.clear()
    return get
