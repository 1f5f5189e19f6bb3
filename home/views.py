"""Public pages of a PCN's site that are not Wagtail pages."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from home import accessibility


@require_safe
def accessibility_statement(request):
    """The site's accessibility statement, naming the PCN whose site it is (from the
    site's cached chrome in the context processor) and how to reach it."""
    return TemplateResponse(
        request,
        "home/accessibility_statement.html",
        {
            "standard": accessibility.STANDARD,
            "compliance": accessibility.COMPLIANCE,
            "journeys": accessibility.CHECKED_JOURNEYS,
            "known_issues": accessibility.KNOWN_ISSUES,
            "prepared": accessibility.PREPARED,
            "last_reviewed": accessibility.LAST_REVIEWED,
        },
    )
