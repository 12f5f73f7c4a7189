"""Writes of the development app: recording an applicant and moving a person to the next stage."""
