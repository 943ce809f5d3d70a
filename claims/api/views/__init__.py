"""API views: declarations, one module per context; what they share is in ``base``."""
