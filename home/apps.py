from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "PCN sites"

    def ready(self):
        # Imported here, not at the top: models can only be imported once Django has
        # loaded every app.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from engage.names import reserved_names_register
        from engage.roles import landing_register
        from home import checks, page_cache, page_context  # noqa: F401 (checks registers itself)
        from home.landing import staff_landing
        from home.models import (
            HomePage,
            IntegratedCareSystem,
            Neighbourhood,
            Place,
            Practice,
            PrimaryCareNetwork,
        )
        from home.names import reserved_names
        from home.pages import page_context_register
        from home.site_cache import page_saved, site_cache_clear

        # A PCN's staff and leads sign in to their dashboard.
        landing_register(staff_landing, order=20)

        # The home page's link to the shared vision.
        page_context_register(HomePage, page_context.home_page_context)

        # A resident's display name may not pass for one of our organisations or places.
        reserved_names_register(reserved_names)

        # What a site's cached chrome (home.site_cache) is read from: a change to any of
        # these starts a new cache generation.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(site_cache_clear, dispatch_uid=f"engage-site-cache-{signal!r}")
        # Any page saved (a page added with add_child publishes no signal), of any type.
        post_save.connect(page_saved, dispatch_uid="engage-site-cache-page-saved")
        # Names of these show on pages too (filters, ideas, the footer): every cached page
        # (home.page_cache) is keyed by this generation as well.
        organisations = (IntegratedCareSystem, PrimaryCareNetwork, Place, Neighbourhood, Practice)
        for model in (Page, Site, PageViewRestriction, *organisations):
            for signal in (post_save, post_delete):
                signal.connect(
                    site_cache_clear,
                    sender=model,
                    dispatch_uid=f"engage-site-cache-{model.__name__}-{signal!r}",
                )
        # Ideas, comments, supports and themes: their site's cached pages start afresh.
        page_cache.connect_signals()
