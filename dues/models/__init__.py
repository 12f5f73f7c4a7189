"""Models of the dues app (党费); import them from here."""

from dues.models.records import Declaration, DuesMonth, Payment, PaymentVia

__all__ = ["Declaration", "DuesMonth", "Payment", "PaymentVia"]
