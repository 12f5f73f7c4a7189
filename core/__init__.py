"""The shared base every app imports: audit trail, background jobs, documents, working days and the holiday
calendar, notifications, uploads, the form flow. It imports no app (``core.access`` asks the organization tree through
answers organizations registers) and nothing of the project shell ``partybuild``."""
