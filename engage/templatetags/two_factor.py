"""`{{ user|needs_two_factor }}`: whether their role requires an authenticator app."""

from django import template

from engage import roles

register = template.Library()


@register.filter
def needs_two_factor(user) -> bool:
    return roles.needs_two_factor(user)
