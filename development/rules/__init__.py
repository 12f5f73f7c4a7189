"""Pure rules of member development (发展党员): the stages, their order and the standard intervals (F1–F6)."""
