"""Ingest: files, directories and stdin in; Documents and error records out."""

from dyadwatch.ingest._dates import parse_date
from dyadwatch.ingest.readers import STDIN, SUFFIXES, StdinFormat, read_inputs

__all__ = ["STDIN", "SUFFIXES", "StdinFormat", "parse_date", "read_inputs"]
