"""coder stage of dyadwatch."""
