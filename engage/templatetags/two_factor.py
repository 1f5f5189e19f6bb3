"""`{{ user|needs_two_factor }}`: whether their role requires an authenticator app."""

from django import template

from consultations import permissions

register = template.Library()


@register.filter
def needs_two_factor(user) -> bool:
    return permissions.needs_two_factor(user)
