"""Directory entries are edited through services and their pages, not the Django admin."""
