"""Static files as production serves them: whitenoise's compressed files with hashed names,
each file's address worked out once per process."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, remembering each file's address (`{% static %}`): working out a
    hashed name walks the manifest and splits and joins the address, seven times a page for
    the stylesheets, scripts and icons. The manifest is read when the process starts and does
    not change under it (a new `collectstatic` needs a restart to be served at all)."""

    MAX_REMEMBERED = 1000  # names come from templates and code, never from a request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)  # a file missing from the manifest raises, every time
            if len(self._urls) >= self.MAX_REMEMBERED:
                self._urls.clear()
            self._urls[name] = url
        return url
