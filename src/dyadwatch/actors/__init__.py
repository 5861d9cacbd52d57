"""actors stage of dyadwatch."""
