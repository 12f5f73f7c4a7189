"""Pages of the membership statistics."""
