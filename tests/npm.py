"""A package from the npm registry for a test, at the version frontend/package-lock.json pins: read from
frontend/node_modules/ when `make assets` has installed it there, otherwise installed by the test's
setup with the machine's npm into the user's cache folder (beside the OpenAPI generator's virtualenv), or
the test is skipped with a message saying why."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.tools import tools_cache

FRONTEND = Path(settings.BASE_DIR) / "frontend"


def pinned_version(package: str) -> str:
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{package}"]["version"]


def npm_package(package: str) -> Path:
    """The folder of `package` at its pinned version."""
    installed = FRONTEND / "node_modules" / package
    if installed.exists():
        return installed
    version = pinned_version(package)
    prefix = tools_cache() / f"npm-{package}-{version}"
    found = prefix / "node_modules" / package
    if (prefix / ".installed").exists():
        return found
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"{package} is not installed and there is no npm to install it (make assets)")
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir(parents=True)
    install = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", f"{package}@{version}"]
    done = subprocess.run(install, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or not found.exists():
        shutil.rmtree(prefix, ignore_errors=True)
        pytest.skip(f"{package}@{version} could not be installed with npm: {done.stderr.strip()[-300:]}")
    (prefix / ".installed").touch()
    return found
