"""ontology stage of dyadwatch."""
