"""Forms of the development app."""
