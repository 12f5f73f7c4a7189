"""Writes of membership transfers: starting one (``requests``), the letter's number (``letters``) and the one
transition service over the table of moves (``workflow``)."""
