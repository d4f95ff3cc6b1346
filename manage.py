#!/usr/bin/env python
"""Django's command-line utility for ConflictDB."""

import contextlib
import os
import sys

# Servers get a statement timeout, and no command-wide history context: each of their requests gets its
# own (user, URL) instead.
SERVERS = {"runserver"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in SERVERS:
        from conflictdb import serving

        serving.mark_as_server()  # as under gunicorn (conflictdb/wsgi.py): the servers' statement timeout
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    import pghistory

    # Every change a command makes (load_dataset, a bulk update in the shell...) is attributed to it.
    context = contextlib.nullcontext() if command in SERVERS else pghistory.context(command=command)
    with context:
        execute_from_command_line(sys.argv)
