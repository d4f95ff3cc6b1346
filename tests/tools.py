"""Where the tools a test installs for itself (the OpenAPI generator's virtualenv, npm packages) are
kept between runs: CONFLICTDB_TOOLS_CACHE, else conflictdb/ in the user's cache folder ($XDG_CACHE_HOME
or ~/.cache), outside the checkout."""

import os
from pathlib import Path


def tools_cache() -> Path:
    cache = os.environ.get("CONFLICTDB_TOOLS_CACHE")
    if not cache:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conflictdb"
    return Path(cache)
