"""The search backend (engage/search.py): on SQLite, what a person types is searched for, never
read as FTS5 syntax, and a search of named fields searches the columns that hold them."""

import pytest
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.models import Neighbourhood

if connection.vendor != "sqlite":
    pytest.skip("The fix is for SQLite's full-text search", allow_module_level=True)

# Only on SQLite: the module loads SQLite-only search models.
from engage.search_sqlite import SafeSQLiteSearchBackend, fts5_string


def test_the_sqlite_backend_is_the_safe_one(db):
    assert isinstance(get_search_backend(), SafeSQLiteSearchBackend)


def test_a_quote_inside_a_word_is_doubled_and_a_nul_byte_left_out():
    assert fts5_string('x"y') == 'x""y'
    assert fts5_string("a\x00b") == "ab"


@pytest.mark.parametrize(
    "typed", ['"', 'x"y', '""', "*", "(", "a OR", "NEAR(a b)", "-a", "a:b", "^a", "a\x00b"]
)
def test_query_syntax_is_searched_for_not_obeyed(open_consultation, typed):
    assert list(Page.objects.live().search(typed)) == []
    assert list(Page.objects.live().autocomplete(typed)) == []


def test_words_next_to_syntax_are_still_found(open_consultation):
    assert list(Page.objects.live().search('"Open" (consultation)')) == [open_consultation.page_ptr]
    assert list(Page.objects.live().search('"open consultation"')) == [open_consultation.page_ptr]


def test_a_search_of_named_fields_finds_them(home):
    """A SnippetViewSet's `search_fields` searches with fields=[...]: "no such column" before."""
    backend = get_search_backend()
    mine = Neighbourhood.objects.filter(pcn=home.pcn)
    found = backend.search("Riverside", mine, fields=["name"])
    assert [neighbourhood.name for neighbourhood in found] == ["Riverside"]
    assert list(backend.search('River"side', mine, fields=["name"])) == []
