"""Reads of the membership statistics (every one takes the user first)."""
