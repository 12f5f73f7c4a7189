"""Reads of the development app, each taking the user first."""
