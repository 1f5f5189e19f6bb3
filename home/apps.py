from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "PCN sites"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from home.models import Place, PrimaryCareNetwork
        from home.site_cache import page_saved, site_cache_clear

        # What a site's cached chrome (home.site_cache) is read from: a change to any of
        # these starts a new cache generation.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(site_cache_clear, dispatch_uid=f"engage-site-cache-{signal!r}")
        # Any page saved (a page added with add_child publishes no signal), of any type.
        post_save.connect(page_saved, dispatch_uid="engage-site-cache-page-saved")
        for model in (Page, Site, PageViewRestriction, PrimaryCareNetwork, Place):
            for signal in (post_save, post_delete):
                signal.connect(
                    site_cache_clear,
                    sender=model,
                    dispatch_uid=f"engage-site-cache-{model.__name__}-{signal!r}",
                )
