"""Wagtail's images, documents, snippets and redirects apps are set up as Wagtail sets them up,
but for its API v3 (`engage.wagtail_apps`): each `ready()` does what Wagtail's does,
statement for statement, leaving out only the API v3's registrations. An upgrade of Wagtail
that changes one of them fails here until `engage/wagtail_apps.py` follows it."""

import ast
import inspect
import textwrap

import pytest
from django.apps import apps
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig

from engage import wagtail_apps

OURS = {
    "wagtailimages": (wagtail_apps.ImagesConfig, WagtailImagesAppConfig),
    "wagtaildocs": (wagtail_apps.DocumentsConfig, WagtailDocsAppConfig),
    "wagtailsnippets": (wagtail_apps.SnippetsConfig, WagtailSnippetsAppConfig),
    "wagtailredirects": (wagtail_apps.RedirectsConfig, WagtailRedirectsAppConfig),
}
API_V3 = ("register_content_types", "add_router", "api.v3")


def statements(ready) -> tuple[list[str], list[str]]:
    """What `ready()` does but import, as source: (the rest, the API v3's part)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(ready)))
    rest, api = [], []
    for statement in tree.body[0].body:
        source = ast.unparse(statement)
        if any(word in source for word in API_V3):
            api.append(source)
        elif not isinstance(statement, ast.Import | ast.ImportFrom):
            rest.append(source)
    return rest, api


@pytest.mark.parametrize("label", OURS)
def test_each_app_is_set_up_as_wagtail_sets_it_up_but_for_the_api_v3(label):
    ours, wagtails = OURS[label]
    assert type(apps.get_app_config(label)) is ours
    assert issubclass(ours, wagtails) and ours.label == wagtails.label == label
    our_statements, our_api = statements(ours.ready)
    their_statements, their_api = statements(wagtails.ready)
    assert our_api == []
    assert their_api, "Wagtail no longer registers this app with its API v3: use its own again"
    assert our_statements == their_statements
