"""Dictionaries a user brings: PETRARCH/TABARI files as they are, and dyadwatch's own
YAML/CSV format. Both are read into the actor dictionary (``dyadwatch.actors``) and
the trigger rules (``dyadwatch.coder.rules``) the coder runs; see docs/DICTIONARIES.md."""
