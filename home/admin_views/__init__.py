"""Wagtail's admin screens, kept within the PCN boundary (`home.admin_scope`).

Wagtail decides what a person may *do* from their permissions, but several screens *show*
things without asking: the page chooser's parent page and chosen pages, the confirmation of
a bulk action (which names every object it was given, allowed or not), the filters of page
listings and reports (every owner, editor, requester and locker in the installation), the
page types report (the last edited page of every type), the tag autocomplete and the images
and documents API. Where Wagtail offers a hook the hook is used (home/wagtail_hooks.py); the
views here are the screens it offers none for, each subclassing Wagtail's own and saying why.

- Pages: `PcnPageViewSet`, registered for every page type in place of Wagtail's base page
  viewset (Wagtail's supported way to customise the page admin), refuses any page screen
  for a page outside the person's PCNs, and scopes its listings' filters.
- The page chooser, bulk actions, reports, the forms listing and the tag autocomplete have
  no viewset: they are replaced at their URLs (home/admin_urls.py, included before Wagtail's
  admin in engage/urls.py).
- Snippets and the admin API: their viewsets and endpoints, through the viewset's
  `chooser_viewset_class` and the `construct_admin_api` hook.

By screen: `pages` (page screens, the page chooser, the forms listing, the pages API),
`bulk_actions`, `reports`, `media` (images, documents, tags and their API) and `snippets`
(snippet choosers).
"""
