"""ingest stage of dyadwatch."""
