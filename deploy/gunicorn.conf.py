"""gunicorn for partybuild (the image's command, and make prod-check). Everything from the environment.

`kill -HUP <master pid>` (or `docker compose kill -s HUP web`) starts new workers with the new code and stops the old
ones gracefully once they finish their requests: the zero-downtime restart of docs/operations.md.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.services.logs import logging_config  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Requests in progress get this long to finish on HUP or TERM.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Recycle workers now and then (a slow leak in a PDF library stays harmless).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
# gunicorn's control socket (in the home folder) is not used: HUP and TERM are the interface (docs/operations.md).
control_socket_disable = True

# gunicorn's own lines (start, stop, worker timeouts) and the access log in the application's one-line format. The
# access line carries the proxy's request id, so it matches the application's lines of the same request; no query
# string (it may carry a search term such as a name).
accesslog = "-"
access_log_format = 'request_id=%({x-request-id}i)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s ms=%(M)s'
_config = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), style=os.environ.get("LOG_FORMAT", "kv"))
_config["loggers"].update(
    {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    }
)
logconfig_dict = _config
