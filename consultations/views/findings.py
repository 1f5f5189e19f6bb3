""" "What we heard": a consultation's themes and what residents said, as a page and a CSV."""

from django.http import Http404, StreamingHttpResponse

from consultations import permissions, selectors
from consultations.models import ConsultationPage, Idea, PostStatus
from consultations.views.common import page_render
from engage.spreadsheets import csv_lines

FINDINGS_CSV_HEADER = [
    "Idea number",
    "Title",
    "Idea",
    "Neighbourhood",
    "How it was sent",
    "Date posted",
    "Supports",
    "Comments",
    "Themes",
]


def _findings_visible(request, page) -> bool:
    return page.has_findings or permissions.can_moderate(request.user, page)


def what_we_heard(request, page: ConsultationPage):
    if not _findings_visible(request, page):
        raise Http404("Not published yet")
    themes = list(selectors.findings(consultation=page))
    own_words = selectors.findings_own_words(consultation=page)
    for theme in themes:
        theme.own_words = own_words.get(theme.pk, [])
    published = Idea.objects.filter(consultation=page, status=PostStatus.PUBLISHED)
    return page_render(
        request,
        page,
        "consultations/what_we_heard.html",
        {
            "themes": themes,
            "own_words": own_words.get(None, []),
            "idea_count": published.count(),
            "unthemed_count": published.filter(themes__isnull=True).count(),
            "preview": not page.has_findings,
            "outreach": list(selectors.outreach_actions(consultation=page)),
        },
    )


def what_we_heard_csv(request, page: ConsultationPage):
    if not _findings_visible(request, page):
        raise Http404("Not published yet")
    rows = selectors.findings_export_rows(consultation=page)
    response = StreamingHttpResponse(
        csv_lines(FINDINGS_CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="what-we-heard-{page.slug}.csv"'
    return response
