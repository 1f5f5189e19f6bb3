"""End-to-end journeys in a real headless Chromium, against pytest-django's live server.

- Chromium is Debian's, at /usr/bin/chromium; Playwright never downloads a browser. Without
  it the journeys are skipped on a laptop and fail in CI (`CI=true`).
- The live server runs in this process, on the test database, so the tests make their data
  with the ORM and read `mail.outbox`. It needs a transactional database, which is emptied
  after every transactional test; `_wagtail_baseline` (tests/conftest.py) puts back what Wagtail's data
  migrations made (the default locale, the root page and collection) before each journey.
  (Not `serialized_rollback`: it fails with a duplicate content type when it follows a
  transactional test without it, and leaves the database empty for any that come after.)
- `axe_check(page)` runs axe-core (the copy bundled with axe-playwright-python) for WCAG 2.0,
  2.1 and 2.2 A and AA, and fails with every violation, its impact and the elements at fault.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long an expectation waits for the page; the live server answers in milliseconds.
TIMEOUT_MS = 10_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the browser journeys last of all.

    They are the slowest tests, and a transactional test ends by emptying the database
    (flush). pytest-django runs transactional tests after the others; putting ours at the
    very end means no other test starts on the database they leave behind.
    """
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items:
        others = [item for item in items if not item.get_closest_marker("browser")]
        items[:] = others + browser_items


# The browser


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright's sync API)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"Chromium is not installed at {CHROMIUM}, so the browser journeys cannot run "
            "(apt-get install chromium)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} CI must run them, not skip them.", pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an asyncio loop in this thread, which makes Django refuse
    # ORM calls from the test ("async context"). The tests are synchronous; allow them, for
    # as long as the browser runs (the journeys run last, see above).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageWatcher:
    """What a page did that a user would notice: dialogs (injected script) and script errors."""

    def __init__(self):
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def watch(self, page) -> None:
        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self) -> None:
        assert not self.dialogs, f"A dialog opened: resident text ran as script? {self.dialogs}"
        assert not self.errors, f"Script errors on the page: {self.errors}"


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): `new_page(**context_options)`.

    Relative URLs go to the live server. Fails the test if any page opened a dialog (hostile
    text ran as script) or threw a script error.
    """
    contexts, watcher = [], PageWatcher()

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        # Chromium asks for /favicon.ico by itself, in the background, on pages that do not
        # name an icon (Django's plain error pages). Answer it here, so no request reaches
        # the live server while the test writes to the (shared, in-memory) database.
        context.route("**/favicon.ico", lambda request: request.fulfill(status=204))
        contexts.append(context)
        page = context.new_page()
        watcher.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    watcher.check()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context with JavaScript on."""
    return new_page()


@pytest.fixture
def nojs_page(new_page):
    """A page in a fresh browser context with JavaScript off: the core journeys still work."""
    return new_page(java_script_enabled=False)


# The database
