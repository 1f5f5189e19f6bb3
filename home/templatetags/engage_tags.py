from django import template

from engage.roles import manage_landing
from home.pages import parent_chain

register = template.Library()


@register.filter
def is_within(page, section) -> bool:
    """True when `page` is `section` or one of its descendants (for the current nav item)."""
    if page is None or section is None or not hasattr(page, "path"):
        return False
    return page.path.startswith(section.path)


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(page, include_self=False):
    """The NHS breadcrumb for a page: its ancestors below the site root, home first.

    `include_self` adds the page itself, for views that sit below a page (an idea).
    """
    if not page:
        return {"ancestors": [], "parent": None}
    # Routing has read the page's parents (home.pages): walk them rather than query again.
    chain = parent_chain(page)
    if chain is not None:
        ancestors = list(reversed(chain if include_self else chain[1:]))
    else:
        ancestors = list(page.get_ancestors(inclusive=include_self).filter(depth__gt=1))
    return {"ancestors": ancestors, "parent": ancestors[-1] if ancestors else None}


@register.simple_tag
def manage_link(user):
    """Where the header's "Manage" link leads this person, or None: a moderator's queue,
    staff's dashboard (`engage.roles`)."""
    return manage_landing(user)
