"""Membership transfers have no background work: every move is made by a person, and a letter's validity is read
from its stored dates (``rules.letters.lapsed``), never written by a clock."""
