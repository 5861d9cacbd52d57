"""dyadwatch."""
