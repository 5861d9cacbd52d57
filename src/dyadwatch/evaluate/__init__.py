"""evaluate stage of dyadwatch."""
