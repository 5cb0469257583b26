"""Small helpers shared by test modules."""

import os
import socket
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_DIR.parent / "shared"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def using_postgres():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


# Queries of an uncached page view (the page cache is off in the test settings; the per-publish
# lookups are warm after a first view). Lab page and lab index are the targets of `make bench`.
QUERY_LIMITS = {"lab index": 15, "home": 12, "lab page": 12}


def clear_caches():
    """Empty every configured cache (shared values, pages in memory, renditions)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
