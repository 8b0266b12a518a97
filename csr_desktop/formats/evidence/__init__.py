"""Stored evidence files as the documents need them: spooled, classified, their text read."""
