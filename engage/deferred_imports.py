"""Two libraries that every web worker loaded and no request of this site uses, left to load
when something first does: about 19 MiB less per worker (RSS, measured in a fresh process
that loads the URLconf and serves a few pages).

- pydantic (about 8 MiB). Wagtail's API v2 views import `wagtail.api.querysets` for the
  public pages API's queryset, whose site filter is a pydantic model. The site serves no
  public pages API; Wagtail's admin API (the page explorer and the choosers) subclasses those
  views but has its own queryset. Yet Wagtail's images and documents hooks and its admin
  URLconf import the views, so every process that served a page or loaded the URLconf loaded
  pydantic. In its place stands a module whose `get_public_pages_queryset` loads Wagtail's
  own module, and pydantic with it, when first called, and calls Wagtail's function; any
  other name read from it loads Wagtail's module too.
- fido2 and cryptography (about 12 MiB). allauth's two-factor sign-in stage and views import
  its WebAuthn module, which imports fido2, though the site offers authenticator apps and
  recovery codes only (MFA_SUPPORTED_TYPES). That module is registered for Python to load
  lazily (`importlib.util.LazyLoader`): it is allauth's own module, run the first time one of
  its names is read. Visitors' and residents' requests never read one. allauth's
  `Authenticator.wrap()` reads its `WebAuthn` class whatever the authenticator's type, so a
  worker's first sign-in with an authenticator code, or first two-factor settings page, loads
  it: only people with a role do either.

`install()` runs first of every app's `ready()` (engage.apps), before anything has imported
them. tests/engage/test_deferred_imports.py shows each loads, and gives Wagtail's and
allauth's answers, when used; tests/engage/test_web_process_imports.py that a web worker
serving pages and sign-ins loads neither library.
"""

import importlib.util
import sys
import types

WAGTAIL_QUERYSETS = "wagtail.api.querysets"
WEBAUTHN = "allauth.mfa.webauthn.internal.auth"


def install() -> None:
    _defer_wagtail_public_pages_queryset()
    _defer_allauth_webauthn()


def _defer_wagtail_public_pages_queryset() -> None:
    if WAGTAIL_QUERYSETS in sys.modules:
        return
    spec = importlib.util.find_spec(WAGTAIL_QUERYSETS)
    standin = types.ModuleType(WAGTAIL_QUERYSETS, "Wagtail's, loaded when first used.")
    loaded = []

    def wagtails() -> types.ModuleType:
        if not loaded:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            loaded.append(module)
        return loaded[0]

    def get_public_pages_queryset(*args, **kwargs):
        return wagtails().get_public_pages_queryset(*args, **kwargs)

    def __getattr__(name):
        if name.startswith("__"):  # what the import system asks of every module: `__path__`
            raise AttributeError(name)
        return getattr(wagtails(), name)

    standin.get_public_pages_queryset = get_public_pages_queryset
    standin.__getattr__ = __getattr__
    standin.wagtails = wagtails
    _register(WAGTAIL_QUERYSETS, standin)


def _defer_allauth_webauthn() -> None:
    if WEBAUTHN in sys.modules:
        return
    spec = importlib.util.find_spec(WEBAUTHN)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _register(WEBAUTHN, module)


def _register(name: str, module: types.ModuleType) -> None:
    """As an import would: in sys.modules and as its package's attribute (without which
    `from package import module` would import it again, and so load it)."""
    sys.modules[name] = module
    package, _, child = name.rpartition(".")
    setattr(importlib.import_module(package), child, module)
