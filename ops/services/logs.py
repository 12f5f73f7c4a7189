"""One log line per record, the same in web, worker and beat: time, level, logger, request id, user id, message.

``LOG_FORMAT=json`` (one JSON object a line, for a log collector) or ``kv`` (``key=value``, for a person reading
``journalctl``). The request id comes from the proxy's ``X-Request-ID`` when it looks like one (nginx's
``$request_id``), else is made here; in the worker it is the task's id. The user is logged by id only: never a
name, an ID number or a phone, and nothing of the request but its method and path is added here. Imports no Django
at module level: gunicorn's own configuration (deploy/gunicorn.conf.py) uses the formatter before Django is loaded.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import datetime
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("log_request_id", default="-")
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("log_request", default=None)

# What we accept from the proxy as a request id: nginx's 32 hex digits, a UUID, or similar; anything else (a forged
# header carrying text to inject into the log) is replaced by our own.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
FIELDS = ("time", "level", "logger", "request_id", "user_id", "message")


def new_request_id(offered: str | None = None) -> str:
    if offered and REQUEST_ID_RE.match(offered):
        return offered
    return uuid.uuid4().hex


def _user_id() -> str:
    """The id of the request's user if authentication has already loaded it (no query from inside logging)."""
    request = current_request.get()
    user = getattr(request, "_cached_user", None) if request is not None else None
    return str(user.pk) if user is not None and getattr(user, "is_authenticated", False) else "-"


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record (a handler filter: records of every logger pass it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", None) or request_id.get()
        record.user_id = getattr(record, "user_id", None) or _user_id()
        return True


def _kv_value(value: str) -> str:
    if value == "" or any(c in value for c in ' "=\n\t'):
        return json.dumps(value, ensure_ascii=False)
    return value


class LineFormatter(logging.Formatter):
    """``json`` or ``kv``; one line per record, the traceback (if any) inside it."""

    def __init__(self, style_name: str = "kv", **kwargs: Any) -> None:
        super().__init__()
        self.style_name = style_name if style_name in {"json", "kv"} else "kv"

    def fields(self, record: logging.LogRecord) -> dict[str, str]:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        return {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": str(getattr(record, "request_id", "-")),
            "user_id": str(getattr(record, "user_id", "-")),
            "message": message,
        }

    def format(self, record: logging.LogRecord) -> str:
        fields = self.fields(record)
        if self.style_name == "json":
            return json.dumps(fields, ensure_ascii=False)
        return " ".join(f"{key}={_kv_value(fields[key])}" for key in FIELDS)


def logging_config(*, level: str = "INFO", style: str = "kv") -> dict[str, Any]:
    """The ``LOGGING`` dictionary of the settings (and of gunicorn's own loggers)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "ops.services.logs.ContextFilter"}},
        "formatters": {"line": {"()": "ops.services.logs.LineFormatter", "style_name": style}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["context"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "weasyprint": {"level": "ERROR"},
            "fontTools": {"level": "ERROR"},
            # Error mail (ADMINS): Django's own handler, added by the settings when ADMINS is set.
            "django.request": {"level": "WARNING"},
        },
    }


class RequestIdMiddleware:
    """Sets the request id (and the request, for the user id) for the log lines of this request; answers it in the
    ``X-Request-ID`` header so that a user's report can be matched with the log."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        rid = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        token_id, token_request = request_id.set(rid), current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token_id)
            current_request.reset(token_request)
        response.headers["X-Request-ID"] = rid
        return response


def connect_celery_signals() -> None:
    """In the worker the task's id is the request id of its log lines."""
    from celery.signals import task_postrun, task_prerun

    tokens: dict[str, contextvars.Token[str]] = {}

    @task_prerun.connect(weak=False)
    def _start(task_id: str | None = None, **kwargs: Any) -> None:
        if task_id:
            tokens[task_id] = request_id.set(f"task-{task_id}")

    @task_postrun.connect(weak=False)
    def _end(task_id: str | None = None, **kwargs: Any) -> None:
        token = tokens.pop(task_id or "", None)
        if token is not None:
            try:
                request_id.reset(token)
            except ValueError:  # set in another context (a task run eagerly inside another): leave it
                pass
