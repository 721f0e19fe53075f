"""Revision scripts, oldest first: 0001 is the initial schema."""
