"""An Atom feed of a PCN's "You said, we did" updates.

A route of `UpdateIndexPage`, which hands itself to the feed: the page's own
`published_updates()` are its items, so the feed needs no model of its own.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

FEED_LENGTH = 30


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        return self.index_page

    def title(self, index):
        site = index.get_site()
        return f"{index.title}: {site.site_name if site else 'Engage'}"

    def link(self, index):
        return index.url

    def subtitle(self, index):
        return index.introduction or "What residents told us, and what we did about it."

    def items(self, index):
        return index.published_updates()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The feed generator escapes this text; it is sent as plain text, not HTML.
        return " ".join(strip_tags(item.we_did).split())

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
