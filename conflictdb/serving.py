"""Whether this process serves HTTP requests, which settings need to know before Django reads them.

A server's database connections get a statement timeout (settings.SERVER_STATEMENT_TIMEOUT_MS), so that
one slow request cannot hold a worker and a connection for minutes; a management command, the shell or
the test suite has none. The servers' entry points (wsgi.py, asgi.py, manage.py runserver) call
`mark_as_server()` before Django sets up. A flag of the process rather than an environment variable, so
that what a server starts, or what a test runs after importing an entry point, is not a server.
"""

is_server = False


def mark_as_server():
    """This process serves requests: call it before django.setup()."""
    global is_server
    is_server = True
