#!/usr/bin/env python
"""Django's command-line utility for ConflictDB."""

import contextlib
import os
import sys

# Servers are left out: each of their requests gets its own history context (user, URL) instead.
SERVERS = {"runserver"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    import pghistory

    command = sys.argv[1] if len(sys.argv) > 1 else ""
    # Every change a command makes (load_dataset, a bulk update in the shell...) is attributed to it.
    context = contextlib.nullcontext() if command in SERVERS else pghistory.context(command=command)
    with context:
        execute_from_command_line(sys.argv)
