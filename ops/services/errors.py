"""Optional error reports to a Sentry server of the district's own (``SENTRY_DSN``). Unset: nothing is initialized and
nothing leaves the intranet. Set: errors of web, worker and beat are sent without personal data: no user details,
no cookies, no request bodies (forms carry ID numbers and phones), no local variables of the stack."""

from __future__ import annotations

import os


def init_sentry(dsn: str) -> bool:
    """Initialize Sentry when ``dsn`` is set; returns whether it did."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0.0,
    )
    return True
