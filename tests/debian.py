"""A Debian package's command for a test: installed by the test's setup where it is missing (as root on
Debian, as CI runs), or the test is skipped with a message saying why."""

import os
import shutil
import subprocess

import pytest


def debian_command(command: str, package: str) -> str:
    """The path of `command`, from Debian's `package`."""
    found = shutil.which(command)
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip(f"{command} is not installed, and this is not Debian as root (apt-get install {package})")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", package]
    # A machine's package lists may be missing or stale: read them again when the first try fails.
    for step in ([install], [["apt-get", "update", "-qq"], install]):
        for args in step:
            subprocess.run(args, env=env, capture_output=True, timeout=900, check=False)
        found = shutil.which(command)
        if found:
            return found
    pytest.skip(f"{command} could not be installed (apt-get install {package} failed)")
