"""Running the platform in production (issue 18): health, logs, error reports, encrypted backups, the system page.

An app of its own beside the shell: it imports core and asks organizations only for "is this district staff" and
the menu registry. ``ops.services.logs`` and ``ops.rules`` import no Django: the settings read them.
"""
