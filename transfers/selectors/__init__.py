"""Reads of membership transfers, each taking the user first: the lists (``requests``) and the panels' and home's
figures (``transit``)."""
