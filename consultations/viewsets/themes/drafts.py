"""Drafts of "what we heard": the moderator's screen for a theme's draft, and a consultation's.

Custom: a draft is made by a background task and approved through a service
(`consultations.summaries`); its points are rows of another model, each checked against the
post it cites. No Wagtail edit screen or bulk action picks, reorders and trims rows of a
child model under a rule like "only the resident's own words", so it is a screen inside the
theme viewset's URLs, behind the same permission policy and the PCN check.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from consultations import permissions, summaries
from consultations.models import PostStatus, SummaryDraft, Theme
from consultations.viewsets.drafts import IDEAS_SHOWN, DraftScreenMixin
from consultations.viewsets.themes.screens import _ThemeScreen


class _DraftScreen(DraftScreenMixin, _ThemeScreen):
    theme = None

    def drafts(self):
        drafts = SummaryDraft.objects.filter(consultation=self.consultation)
        if self.theme is None:
            return drafts.filter(theme__isnull=True)
        return drafts.filter(theme=self.theme)

    def request_draft(self, user):
        summaries.summary_draft_request(consultation=self.consultation, theme=self.theme, user=user)


class ThemeDraftView(_DraftScreen):
    """A theme's draft of "what we heard": ask for it, pick, reorder, trim, approve."""

    subject = "this theme"

    def source_ideas(self):
        return self.theme.ideas.filter(status=PostStatus.PUBLISHED).order_by("pk")[:IDEAS_SHOWN]

    def get_page_title(self):
        return f"What we heard, in residents' words: {self.theme.name}"

    def load(self, request, pk):
        self.theme = get_object_or_404(Theme.objects.select_related("consultation"), pk=pk)
        self.consultation = self.theme.consultation
        if not permissions.can_moderate(request.user, self.consultation):
            raise PermissionDenied("You do not moderate this consultation.")

    def extra_breadcrumbs(self):
        return [
            {"url": self.themes_of(self.consultation), "label": self.consultation.title},
            {
                "url": reverse(Theme.snippet_viewset.get_url_name("edit"), args=[self.theme.pk]),
                "label": self.theme.name,
            },
            {"url": "", "label": "What we heard"},
        ]


class ConsultationDraftView(_DraftScreen):
    """A whole consultation's draft of "what we heard", across its themes."""

    subject = "this consultation"

    def get_page_title(self):
        return f"What we heard, in residents' words: {self.consultation.title}"

    def load(self, request, pk):
        self.consultation = self.consultation_for(pk)

    def extra_breadcrumbs(self):
        return [
            {"url": self.themes_of(self.consultation), "label": self.consultation.title},
            {"url": "", "label": "What we heard"},
        ]
