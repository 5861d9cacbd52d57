"""store stage of dyadwatch."""
