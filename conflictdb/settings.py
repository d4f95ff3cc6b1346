"""ConflictDB settings: one module, driven by environment variables.

DATABASE_URL            a PostgreSQL URL; without it an embedded server is started under .pgdata/
DATABASE_OWNER_URL      the same database as the owner of its tables, for migrate; DATABASE_URL's role is
                        then the servers' own, which cannot rewrite the history (conflictdb/roles.py)
DJANGO_SECRET_KEY       required when DJANGO_DEBUG is off
DJANGO_DEBUG            "true" for development (the default), "false" in production
DJANGO_ALLOWED_HOSTS    comma-separated host names
DB_CONNECT_TIMEOUT_S    longest wait for a database connection, in seconds (default 5)
DB_STATEMENT_TIMEOUT_MS longest SQL statement allowed, in ms (default: 5000 in a server, none in commands)
DATABASE_REPLICA_URLS, DATABASE_REPLICA_MAX_LAG_S, DATABASE_TRANSACTION_POOLING   replicas for read-only
                        requests, the lag beyond which one is skipped, a pooler in transaction mode
REDIS_URL               a Redis server for the state every worker shares (rate limits, cached responses...)
RESPONSE_CACHE_SECONDS, RESPONSE_CACHE_MAX_BYTES, ANONYMOUS_CACHE_CONTROL   how long anonymous reads are
                        kept, the largest body kept, their Cache-Control
API_ANON_RATE, API_USER_RATE   requests allowed per client, e.g. 120/minute (anonymous), 1200/minute;
                        "off" for no limit
TRUSTED_PROXIES         how many reverse proxies are in front of the app (default 0): X-Forwarded-For,
                        -Host and -Proto are believed only then
DJANGO_SECURE_SSL_REDIRECT, DJANGO_SECURE_PROXY_SSL_HEADER, DJANGO_HSTS_SECONDS   production HTTPS
EXPLORER_TILE_URL, EXPLORER_TILE_ATTRIBUTION, EXPLORER_TILE_MAX_ZOOM   tiles under the explorer's map
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from conflictdb import serving
from conflictdb.database_urls import replica_databases
from conflictdb.environment import env_bool, env_list, env_rate

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "development-only-secret-key-not-for-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "corsheaders",
    "knox",
    "pgtrigger",
    "pghistory",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "conflictdb",
    "sources",
    "events",
    "releases",
    "explorer",
    "synthetic",  # tooling: the benchmark's data (manage.py generate_synthetic)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses the API's JSON and exports for clients that accept gzip; never HTML (docs/security.md).
    "conflictdb.compression.APICompression",
    # Before anything that may answer (whitenoise, CommonMiddleware): every API answer carries CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Attaches the user and URL of each writing request to the versions it creates (conflictdb/history.py).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns its lockout into the response.
    "axes.middleware.AxesMiddleware",
]

# Logins (the admin's form) are throttled by django-axes: after AXES_FAILURE_LIMIT failures for one user
# name from one address, that pair is refused (429) for AXES_COOLOFF_TIME. Its counts are rows in the
# database, so every worker and server shares them, with or without Redis.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as the rate limits read it: X-Forwarded-For only through trusted proxies, so that a
# client cannot escape the lockout by sending one.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)
# Behind trusted proxies, the host and scheme the client used are the proxy's X-Forwarded-Host and
# X-Forwarded-Proto (the links of pages, Location headers, HTTPS redirects). Without one, a client could
# send them itself to make the server write links to another site, so they are believed only then.
# DJANGO_SECURE_PROXY_SSL_HEADER names another header (or is kept without TRUSTED_PROXIES, as before).
USE_X_FORWARDED_HOST = TRUSTED_PROXY_COUNT > 0
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):  # e.g. "HTTP_X_FORWARDED_PROTO,https"
    SECURE_PROXY_SSL_HEADER = tuple(env_list("DJANGO_SECURE_PROXY_SSL_HEADER", ""))
elif TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# CORS (django-cors-headers): scripts on any site may read the API, and write with a token. Credentials
# are not allowed cross-origin, so a browser sends no cookie there: a session (and its CSRF protection)
# writes from the site's own pages only, while a token is a header the script sends itself, which no other
# site's page can make a browser send on a user's behalf. The preflight allows the headers a write sends;
# scripts may read the headers the API's contract names (ETag, Link, Location, Retry-After...).
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-match"]
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Data-State", "ETag", "Link", "Location", "Retry-After"]

ROOT_URLCONF = "conflictdb.urls"
WSGI_APPLICATION = "conflictdb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "conflictdb" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The database: DATABASE_URL when given, otherwise the project's own embedded PostgreSQL. Two roles
# (conflictdb/roles.py): the servers connect as DATABASE_APP_ROLE, which owns nothing and cannot rewrite
# the history; migrate and the other commands that change the schema connect as the owner, with the
# credentials of DATABASE_OWNER (None when the default connection is the owner's already).
EMBEDDED_PGDATA = Path(os.environ.get("CONFLICTDB_PGDATA", BASE_DIR / ".pgdata"))
EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")
OWNER_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")
if not EMBEDDED_DATABASE:
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at a PostgreSQL server (postgres://...).")
    DATABASE_OWNER = None
    DATABASE_APP_ROLE = None  # one URL serves both: `check --deploy` warns (conflictdb.W002)
    if os.environ.get("DATABASE_OWNER_URL"):
        owner = dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
        if owner["NAME"] != DATABASES["default"]["NAME"]:
            raise ImproperlyConfigured("DATABASE_OWNER_URL must name the database DATABASE_URL names.")
        DATABASE_OWNER = {key: owner[key] for key in OWNER_CREDENTIALS}
        DATABASE_APP_ROLE = DATABASES["default"]["USER"]
else:
    from conflictdb.embedded import APP_ROLE, start_server

    # The embedded server's superuser is the owner; its servers connect as APP_ROLE (trust authentication
    # over the Unix socket, created by the first migrate), every other process as the owner.
    embedded = start_server(EMBEDDED_PGDATA)
    DATABASE_APP_ROLE = APP_ROLE
    DATABASE_OWNER = {key: embedded.get(key, "") for key in OWNER_CREDENTIALS} if serving.is_server else None
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "CONN_MAX_AGE": 60,
            **embedded,
            **({"USER": APP_ROLE} if serving.is_server else {}),
        }
    }
# Connections are reused across requests, and checked before reuse so that a database restart costs
# at most the requests in flight (see conflictdb/errors.py for the 503 they get).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Named, so that the history can tell the application's writes from those of other clients (psql...).
DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "conflictdb"
# The API's queries are short: compiling them with JIT costs more than it saves. The tables are read from
# memory or SSD, where a page out of order costs little more than the next one (PostgreSQL's default of
# 4 times as much is for spinning disks, and keeps the planner from the indexes that filter best).
DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off -c random_page_cost=1.1"
# A database host that stops answering is given up on within seconds (the request is a 503 with
# Retry-After), not waited for until the kernel gives up: a bound on connecting, keepalive probes on an idle
# connection, and a bound on data the server never acknowledges. Unix sockets (the embedded server) ignore
# the TCP settings.
DB_CONNECT_TIMEOUT_S = int(os.environ.get("DB_CONNECT_TIMEOUT_S", "5"))
DATABASES["default"]["OPTIONS"].update(
    connect_timeout=DB_CONNECT_TIMEOUT_S,
    keepalives=1,
    keepalives_idle=30,
    keepalives_interval=5,
    keepalives_count=3,
    tcp_user_timeout=DB_CONNECT_TIMEOUT_S * 2000,
)
# A server's queries may not run longer than this (a 503 then); commands, the shell and tests have no limit
# (conflictdb/serving.py says which process is a server). DB_STATEMENT_TIMEOUT_MS sets it for any process.
SERVER_STATEMENT_TIMEOUT_MS = 5000
if os.environ.get("DB_STATEMENT_TIMEOUT_MS"):
    STATEMENT_TIMEOUT_MS = int(os.environ["DB_STATEMENT_TIMEOUT_MS"])
else:
    STATEMENT_TIMEOUT_MS = SERVER_STATEMENT_TIMEOUT_MS if serving.is_server else None
if STATEMENT_TIMEOUT_MS is not None:
    DATABASES["default"]["OPTIONS"]["options"] += f" -c statement_timeout={STATEMENT_TIMEOUT_MS}"

# Past one machine (docs/scaling.md): streaming replicas for read-only requests, and a pooler in front.
# DATABASE_REPLICA_URLS: comma-separated URLs of the primary's streaming replicas, as the servers' role (it
# is replicated with the rest); each becomes an alias "replica<n>" with the primary's connection settings.
# A replica lagging by more than DATABASE_REPLICA_MAX_LAG_S seconds is skipped (conflictdb/replicas.py),
# and a client that wrote reads from the primary for that long and two seconds more (conflictdb/routing.py).
DATABASES |= replica_databases(env_list("DATABASE_REPLICA_URLS", ""), DATABASES["default"])
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_S", "5"))
if not REPLICA_MAX_LAG_SECONDS > 0:
    raise ImproperlyConfigured("DATABASE_REPLICA_MAX_LAG_S must be a number of seconds above 0.")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["conflictdb.routing.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "conflictdb.routing.ReplicaReadsMiddleware",
    )
# DATABASE_TRANSACTION_POOLING=true: the URLs reach PostgreSQL through a pooler in transaction mode (e.g.
# pgbouncer's pool_mode = transaction), which hands each transaction whichever server connection is free.
# Nothing may then rest on a session: the planner settings and statement timeout, which pgbouncer will not
# take as a startup parameter, are set by its connect_query instead; export slots hold their lock in a
# transaction of their own (conflictdb/export_limits.py). Prepared statements are off (Django's default,
# prepare_threshold None), and server-side cursors are only ever opened in a transaction.
DATABASE_TRANSACTION_POOLING = env_bool("DATABASE_TRANSACTION_POOLING", False)
if DATABASE_TRANSACTION_POOLING:
    for database in DATABASES.values():
        database["OPTIONS"].pop("options", None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves the files collectstatic gathers (make serve); development, the apps' own (whitenoise
# then has no STATIC_ROOT to look for, and no missing folder to warn about).
STATIC_ROOT = None if DEBUG else BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The servers' shared state is the cache: rate-limit counts, row estimates, writers' pins, export slots and
# cached responses. Redis when given, so that every worker of every server shares them (docs/scaling.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_BACKEND = "redis.RedisCache" if REDIS_URL else "locmem.LocMemCache"
CACHES = {
    "default": {"BACKEND": f"django.core.cache.backends.{CACHE_BACKEND}", "LOCATION": REDIS_URL},
    # Kept answers apart from the counters: under a prefix of their own in Redis, else a memory of their own.
    "responses": {
        "BACKEND": f"django.core.cache.backends.{CACHE_BACKEND}",
        "LOCATION": REDIS_URL or "responses",
        "KEY_PREFIX": "responses",
    },
}
# Anonymous lists and details are kept this long under the data version (conflictdb/response_cache.py), 0
# for none, when their body is at most RESPONSE_CACHE_MAX_BYTES; and tell the caches on the way (a CDN, a
# browser) what ANONYMOUS_CACHE_CONTROL says.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "600"))
RESPONSE_CACHE_MAX_BYTES = int(os.environ.get("RESPONSE_CACHE_MAX_BYTES", str(512 * 1024)))
ANONYMOUS_CACHE_CONTROL = os.environ.get("ANONYMOUS_CACHE_CONTROL", "public, max-age=0, must-revalidate")

# The explorer's map draws tiles of this URL under its outlines when given ({z}, {x}, {y}: WorldCRS84Quad
# tiles, docs/explorer.md), with their attribution; by default no request leaves the site.
EXPLORER_TILE_URL = os.environ.get("EXPLORER_TILE_URL", "")
EXPLORER_TILE_ATTRIBUTION = os.environ.get("EXPLORER_TILE_ATTRIBUTION", "")
EXPLORER_TILE_MAX_ZOOM = int(os.environ.get("EXPLORER_TILE_MAX_ZOOM", "8"))

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "conflictdb.pagination.KeysetPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "conflictdb.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["conflictdb.parsers.JSONParser"],
    # `?format=` decides the response's format whatever the Accept header says (GDAL's is not GeoJSON's).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "conflictdb.negotiation.FormatDecides",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["conflictdb.filters.StrictFilterBackend"],
    "COERCE_DECIMAL_TO_STRING": False,
    # Tokens first: an unauthenticated write is then a 401 that names the Token scheme.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "conflictdb.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "conflictdb.throttling.AnonRateThrottle",
        "conflictdb.throttling.UserRateThrottle",
    ],
    # X-Forwarded-For is believed only from this many proxies; 0 means the client's own address.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["conflictdb.permissions.ReadOrModelPermissions"],
    "DEFAULT_SCHEMA_CLASS": "conflictdb.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
}

# A version's time is when its row changed (not when its transaction began), to order changes within one.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"
# Requests that may write carry their user and URL to the versions they create; reads carry nothing
# (pghistory would otherwise prepend a set_config() to every statement of every GET).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


API_RATES = {
    "anon": env_rate("API_ANON_RATE", "120/minute"),
    "user": env_rate("API_USER_RATE", "1200/minute"),
    "export": env_rate("API_EXPORT_RATE", "30/hour"),  # whole-set exports, per client
}
# Whole-set exports (conflictdb/export_limits.py): how many run at once across every worker, how long one
# statement may run, and how long a client may stop reading before it is disconnected.
EXPORT_CONCURRENCY = int(os.environ.get("EXPORT_CONCURRENCY", "2"))
EXPORT_TIMEOUT_MS = int(os.environ.get("EXPORT_TIMEOUT_MS", str(10 * 60 * 1000)))
EXPORT_STALL_SECONDS = int(os.environ.get("EXPORT_STALL_SECONDS", "30"))

API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be at least 1: a new token would be expired already.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "conflictdb.errors.ProblemHandler",
    "EXCEPTION_FORMATTER_CLASS": "conflictdb.errors.ProblemFormatter",
    # Unexpected exceptions become a problem-details 500 even in development, as clients will see them.
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ConflictDB API",
    "DESCRIPTION": "Curated conflict events, the actors and places involved, and the claims made about them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "sources.models.SourceKind",
        "ActorKindEnum": "events.vocabularies.ActorKind",
        "ClaimRelationKindEnum": "events.vocabularies.ClaimRelationKind",
    },
}

# Content security policy: only the site's own scripts, styles and images (the docs' assets are local).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],  # the admin's and Swagger UI's inline style attributes
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Production: HTTPS only, secure cookies, HSTS. `manage.py check --deploy` passes with DEBUG off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
