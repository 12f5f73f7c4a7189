"""Pages of the development app."""
