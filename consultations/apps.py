from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Consultations"

    def ready(self):
        # Imported here, not at the top: models (and the views and signal handlers that use
        # them) can only be imported once Django has loaded every app.
        from wagtail.signals import page_published

        from consultations import (
            landing,
            notifications,
            onboarding,
            page_context,
            privacy,
            retention,
            selectors,
            signal_handlers,
            views,
        )
        from consultations.models import (
            ConsultationIndexPage,
            IcsUpdatePage,
            IcsVisionPage,
            PlaceUpdatePage,
            PlaceVisionPage,
            UpdateIndexPage,
            UpdatePage,
            route_views_register,
        )
        from engage.mail import email_status_changed
        from engage.privacy import personal_data_register
        from engage.retention import retention_rule_register
        from engage.roles import landing_register
        from home.admin_scope import admin_page_roots_register
        from home.models import HomePage, VisionPage
        from home.pages import page_context_register
        from home.services import pcn_section_builder_register

        # A consultation page's routes are handled by `consultations.views`.
        route_views_register(views)

        # A resident's ideas, comments, supports, follows, reports and emails: in their data
        # download, and deleted (or their posts kept linked to nobody) when they erase it.
        personal_data_register(export=privacy.participation_data, erase=privacy.participation_erase)
        # Their answers to "About you": in the download, and deleted with the account.
        personal_data_register(export=privacy.equality_data, erase=privacy.equality_erase)

        # After signing in, a moderator goes to the queue and a resident to their
        # contributions (staff and admins: see home and engage).
        landing_register(landing.moderator_landing, order=10)
        # A place lead (who is not also a PCN's moderator or staff) to their Place's vision.
        landing_register(landing.place_lead_landing, order=30)
        # An ICS lead (who is none of those) to their ICS's charts.
        landing_register(landing.ics_lead_landing, order=40)
        landing_register(landing.resident_landing, order=100)

        # A PCN set up without code gets its consultations and updates sections.
        pcn_section_builder_register(onboarding.pcn_sections_add)

        # How long withdrawn and hidden posts, reports, offline contact details and the
        # records of emails and letters sent are kept.
        for rule in retention.PARTICIPATION_RULES:
            retention_rule_register(rule)

        # What the pages that show consultations, themes and updates read from them.
        page_context_register(HomePage, page_context.home_page_context)
        page_context_register(VisionPage, page_context.vision_page_context)
        page_context_register(ConsultationIndexPage, page_context.consultation_index_page_context)
        page_context_register(UpdateIndexPage, page_context.update_index_page_context)
        page_context_register(PlaceVisionPage, page_context.place_vision_page_context)
        page_context_register(IcsVisionPage, page_context.ics_vision_page_context)
        # A place lead sees their Place's vision page in the admin, beside their PCNs' sites.
        admin_page_roots_register(selectors.place_vision_paths)
        # An ICS lead sees their ICS's vision page likewise.
        admin_page_roots_register(selectors.ics_vision_paths)

        # Each notice records whether its email went (the mail queue sends and retries it).
        email_status_changed.connect(
            notifications.notice_email_status_changed, dispatch_uid="engage-notice-email"
        )

        # Publishing happens in the admin, through workflows and from code; the signal is
        # the one place all of them meet. The handler only enqueues a task.
        page_published.connect(
            signal_handlers.update_published, sender=UpdatePage, dispatch_uid="engage-update"
        )
        page_published.connect(
            signal_handlers.place_update_published,
            sender=PlaceUpdatePage,
            dispatch_uid="engage-place-update",
        )
        page_published.connect(
            signal_handlers.ics_update_published,
            sender=IcsUpdatePage,
            dispatch_uid="engage-ics-update",
        )
