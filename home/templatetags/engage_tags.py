from django import template

from engage.roles import manage_landing
from home.pages import PageLink, parent_chain

register = template.Library()


@register.filter
def is_within(page, section) -> bool:
    """True when `page` is `section` or one of its descendants (for the current nav item)."""
    if page is None or section is None or not hasattr(page, "path"):
        return False
    return page.path.startswith(section.path)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, include_self=False):
    """The NHS breadcrumb for a page: its ancestors below the site root, home first.

    `include_self` adds the page itself, for views that sit below a page (an idea).
    """
    if not page:
        return {"ancestors": [], "crumbs": [], "parent": None}
    # Routing has read the page's parents (home.pages): walk them rather than query again.
    chain = parent_chain(page)
    if chain is not None:
        ancestors = list(reversed(chain if include_self else chain[1:]))
    else:
        ancestors = list(page.get_ancestors(inclusive=include_self).filter(depth__gt=1))
    crumbs = _crumbs(ancestors, context.get("request"))
    return {"ancestors": ancestors, "crumbs": crumbs, "parent": crumbs[-1] if crumbs else None}


def _crumbs(ancestors, request) -> list[PageLink]:
    """Each ancestor's title ("Home" for the home page) and address as `pageurl` writes it.
    The deepest one's address is worked out; each parent's is its child's without the
    child's slug, as Wagtail builds addresses from the tree (worked out again where not)."""
    crumbs, url = [], None
    for child, ancestor in zip([None, *ancestors[::-1]], ancestors[::-1], strict=False):
        ending = f"{child.slug}/" if child is not None else None
        if url and ending and url.endswith(ending) and len(url) > len(ending):
            url = url[: -len(ending)]
        else:
            url = ancestor.get_url(request=request)
        title = "Home" if ancestor.depth == 2 else ancestor.title
        crumbs.append(PageLink(title=title, url=url))
    return crumbs[::-1]


@register.simple_tag
def manage_link(user):
    """Where the header's "Manage" link leads this person, or None: a moderator's queue,
    staff's dashboard (`engage.roles`)."""
    return manage_landing(user)
