"""gunicorn's settings for Engage's web workers (read from the working folder by
`gunicorn engage.wsgi`, and by `make bench` for the site and the bare Django view alike).

The application and its URLconf are loaded once, in the master, before the workers are forked
(`preload_app`): the workers share its modules' memory instead of each importing its own
copy. `gc.freeze()` moves everything loaded so far out of the garbage collector's reach, so
a worker's collections do not write to (and so copy) the shared pages. Nothing opens a
database or cache connection while the application loads; any that did are closed before
the fork, so no two workers share a socket.

Workers, bind address and timeouts come from the command line or GUNICORN_CMD_ARGS.
"""

import gc

preload_app = True


def when_ready(server):
    """In the master, after the application is loaded and before the first fork."""
    from django.core.cache import caches
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().check()  # imports every view module, as a first request would
    connections.close_all()
    caches.close_all()
    gc.collect()
    gc.freeze()
