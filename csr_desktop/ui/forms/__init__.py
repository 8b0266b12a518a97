"""Compiled Designer forms."""
