"""Membership transfers (组织关系转接): the request with its 介绍信, and each committee's yearly letter sequence."""

from transfers.models.requests import (
    OPEN_STATES,
    LetterSequence,
    TransferKind,
    TransferRequest,
    TransferState,
)

__all__ = ["OPEN_STATES", "LetterSequence", "TransferKind", "TransferRequest", "TransferState"]
