"""Models of the development app (发展党员); import them from here."""

from development.models.pipeline import Applicant

__all__ = ["Applicant"]
