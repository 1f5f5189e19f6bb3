"""Editors can only build a sensible tree, and every page type renders."""

from datetime import timedelta

from django.utils import timezone
from wagtail.coreutils import get_dummy_request
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    UpdateIndexPage,
    UpdatePage,
)
from home.models import HomePage, PrivacyNoticePage, VisionPage
from tests.factories import UserFactory, make_admin, make_consultation, make_pcn_site


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage, {ConsultationIndexPage, UpdateIndexPage, VisionPage, PrivacyNoticePage}
        )

    def test_sections_live_under_a_home_page(self):
        for model in (ConsultationIndexPage, UpdateIndexPage, VisionPage):
            self.assertAllowedParentPageTypes(model, {HomePage})
            self.assertCanNotCreateAt(Page, model)

    def test_consultations_and_updates_live_in_their_index(self):
        self.assertAllowedParentPageTypes(ConsultationPage, {ConsultationIndexPage})
        self.assertAllowedParentPageTypes(UpdatePage, {UpdateIndexPage})
        self.assertAllowedSubpageTypes(ConsultationPage, set())
        self.assertAllowedSubpageTypes(UpdatePage, set())
        self.assertAllowedSubpageTypes(VisionPage, set())

    def test_one_index_and_one_vision_per_home_page(self):
        home, _consultations, _updates = make_pcn_site()
        self.assertFalse(ConsultationIndexPage.can_create_at(home))
        self.assertFalse(UpdateIndexPage.can_create_at(home))
        self.assertTrue(VisionPage.can_create_at(home))
        home.add_child(instance=VisionPage(title="Vision", introduction="<p>Ours</p>"))
        self.assertFalse(VisionPage.can_create_at(home))


class PageCreationTests(WagtailPageTestCase):
    """Each page type is created through the Wagtail admin where allowed, then renders."""

    def setUp(self):
        self.home, self.consultations, self.updates = make_pcn_site()
        # An admin, with the authenticator app every admin must have.
        self.client.force_login(make_admin())
        # The class-wide dummy request caches site root paths from an earlier test's site.
        self.dummy_request = get_dummy_request()

    def test_create_vision_page(self):
        self.assertCanCreate(
            self.home,
            VisionPage,
            nested_form_data(
                {
                    "title": "Our shared vision",
                    "slug": "vision",
                    "introduction": rich_text("What we want"),
                    "priorities": inline_formset(
                        [{"title": "Easier appointments", "statement": "Reach us quickly."}]
                    ),
                }
            ),
        )
        page = VisionPage.objects.get(slug="vision")
        self.assertEqual(page.priorities.count(), 1)
        self.assertPageIsRenderable(page)

    def test_create_consultation_page(self):
        now = timezone.now()
        neighbourhood = self.home.pcn.neighbourhoods.first()
        data = nested_form_data(
            {
                "title": "Weekend appointments",
                "slug": "weekend",
                "question": "When do you need them?",
                "summary": "Tell us",
                "background": streamfield([("paragraph", rich_text("Some background"))]),
                "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
                "closes_at": (now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M"),
                "phase_override": "",
                "moderation_mode": "post",
            }
        )
        data["neighbourhoods"] = [neighbourhood.pk]
        self.assertCanCreate(self.consultations, ConsultationPage, data)
        page = ConsultationPage.objects.get(slug="weekend")
        self.assertEqual(list(page.neighbourhoods.all()), [neighbourhood])
        self.assertEqual(page.phase, "open")
        self.assertPageIsRenderable(page)

    def test_create_update_page(self):
        consultation = make_consultation(self.consultations, phase="closed")
        self.assertCanCreate(
            self.updates,
            UpdatePage,
            nested_form_data(
                {
                    "title": "Saturday clinics",
                    "slug": "saturday",
                    "consultation": consultation.pk,
                    "you_said": rich_text("Weekends"),
                    "we_did": rich_text("Saturday clinics"),
                    "actions": inline_formset(
                        [{"description": "Open on Saturdays", "status": "done", "date": ""}]
                    ),
                    "answered_ideas": inline_formset([]),
                    "easy_read": rich_text(""),
                }
            ),
        )
        update = UpdatePage.objects.get(slug="saturday")
        self.assertEqual([a.description for a in update.actions.all()], ["Open on Saturdays"])
        self.assertPageIsRenderable(update)

    def test_index_and_home_pages_render(self):
        for page in (self.home, self.consultations, self.updates):
            self.assertPageIsRenderable(page)

    def test_staff_of_one_pcn_cannot_add_pages_to_another(self):
        other_home, other_consultations, _ = make_pcn_site(
            hostname="other.localhost", default=False
        )
        staff = UserFactory(groups=[self.home.pcn.staff_group])
        self.assertTrue(self.consultations.permissions_for_user(staff).can_add_subpage())
        self.assertFalse(other_consultations.permissions_for_user(staff).can_add_subpage())
        self.assertFalse(other_home.permissions_for_user(staff).can_edit())
