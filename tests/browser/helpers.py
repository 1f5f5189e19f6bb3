"""Helpers for the browser journeys: axe, signing in (with an authenticator code for roles),
links in emails, and Content-Security-Policy violations in the console."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The password every factory-made user has (tests.factories.UserFactory).
PASSWORD = "correct-horse-battery"

# Every journey: a real browser, and a transactional database (the live server runs in
# another thread). tests/browser/conftest.py puts back what Wagtail's data migrations made.
journey = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Accessibility

_axe = Axe()


def axe_version(page) -> str:
    page.evaluate(_axe.axe_script)
    return page.evaluate("axe.version")


def axe_violations(page, *, exclude: list[str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now."""
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    }
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = _axe.run(page, context=context, options=options)
    return results.response["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}] "
            f"{violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:300]}")
    return "\n".join(lines)


def axe_check(page, *, exclude: list[str] | None = None) -> None:
    """Assert the page has no WCAG 2.0/2.1/2.2 A or AA violations that axe can find."""
    violations = axe_violations(page, exclude=exclude)
    where = urlsplit(page.url).path
    assert not violations, (
        f"axe found {len(violations)} accessibility violation(s) on {where} "
        f"({page.title()!r}):\n{format_violations(violations)}"
    )


def axe_report(page, found: list[str]) -> None:
    """Run axe but only record what it finds (for Wagtail's own admin pages)."""
    violations = axe_violations(page)
    if violations:
        report = f"{urlsplit(page.url).path}:\n{format_violations(violations)}"
        found.append(report)
        print(f"\naxe (not failing) on the Wagtail admin, {report}")


# Journeys


def path_of(url: str) -> str:
    """The path (and query) of an absolute URL, to open it on the live server.

    Emails link to the site's own host name (http://localhost/...), not the live server's port.
    """
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(text: str, path_pattern: str) -> str:
    """The first URL in an email whose path matches `path_pattern`."""
    for url in re.findall(r"https?://\S+", text):
        if re.search(path_pattern, urlsplit(url).path):
            return url
    raise AssertionError(f"No link matching {path_pattern!r} in:\n{text}")


def sign_in(page, *, email: str, password: str = PASSWORD, next_path: str = "") -> None:
    """Sign in through the resident sign-in form, as a person would."""
    page.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email", exact=False).first.fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def enter_authenticator_code(page, user) -> None:
    """The second step of signing in, for anyone with an authenticator app (every role)."""
    from tests.factories import totp_code

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your authenticator code")
    page.get_by_label("Authenticator code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()


def sign_in_to_admin(page, user, *, password: str = PASSWORD, next_path: str = "/admin/"):
    """Sign in through the sign-in form and the authenticator code, landing in the admin."""
    page.goto(next_path)  # the admin sends them to sign in, and back here afterwards
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email", exact=False).first.fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    enter_authenticator_code(page, user)
    expect(page).to_have_url(re.compile(re.escape(next_path) + r"$"))


class CSPWatcher:
    """Content-Security-Policy violations the browser reported on a page's console."""

    def __init__(self, page):
        self.violations: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(f"{urlsplit(message.page.url).path}: {message.text}")

    def check(self) -> None:
        assert not self.violations, "Content-Security-Policy violations:\n" + "\n".join(
            self.violations
        )


def route(consultation, name: str, *args) -> str:
    return consultation.url + consultation.reverse_subpage(name, args=args)
