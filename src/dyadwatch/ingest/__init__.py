"""Ingest: files, directories, stdin and URLs in; Documents, warnings and error records out."""

from dyadwatch.ingest._dates import parse_date
from dyadwatch.ingest._url import looks_like_url, read_url
from dyadwatch.ingest.fetch import Fetcher, FetchPolicy
from dyadwatch.ingest.readers import STDIN, SUFFIXES, StdinFormat, read_inputs

__all__ = [
    "STDIN",
    "SUFFIXES",
    "FetchPolicy",
    "Fetcher",
    "StdinFormat",
    "looks_like_url",
    "parse_date",
    "read_inputs",
    "read_url",
]
