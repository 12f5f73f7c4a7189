"""The operations services: backups and their encryption, health, the log format, error reports. Modules here
import no Django at module level where the settings read them (logs, errors)."""
