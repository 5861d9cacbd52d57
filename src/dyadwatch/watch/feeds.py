"""The feeds file, and the entries of an RSS/Atom feed or a sitemap.

A feeds file is YAML::

    feeds:
      - name: dawn
        url: https://www.dawn.com/feeds/home
      - name: example-sitemap
        url: https://example.org/news-sitemap.xml

Feeds are read with feedparser; sitemaps (``<urlset>``, ``<sitemapindex>``)
with the standard library's XML parser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser  # type: ignore[import-untyped]
import yaml

from dyadwatch.errors import Errors, WatchError

__all__ = ["Feed", "FeedEntry", "canonical_url", "load_feeds", "parse_feed"]

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True, slots=True)
class Feed:
    """One source to poll: an RSS/Atom feed or a sitemap."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """An article a feed lists; ``stamp`` changes when the feed says it was updated."""

    url: str
    title: str | None = None
    stamp: str | None = None
    sitemap: bool = False
    """True for a ``<sitemap>`` of a sitemap index: a sitemap to read, not an article."""


def load_feeds(path: Path) -> tuple[Feed, ...]:
    """The feeds of a YAML feeds file; raises WatchError DW704 naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WatchError(Errors.DW704, path=path, detail=str(exc)) from exc
    items = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise WatchError(Errors.DW704, path=path, detail="expected a non-empty 'feeds:' list")
    feeds = [_feed(path, number, item) for number, item in enumerate(items, 1)]
    names = [feed.name for feed in feeds]
    if len(set(names)) != len(names):
        raise WatchError(Errors.DW704, path=path, detail="feed names must be unique")
    return tuple(feeds)


def _feed(path: Path, number: int, item: object) -> Feed:
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        raise WatchError(Errors.DW704, path=path, detail=f"feed {number} has no 'url'")
    url = item["url"].strip()
    if urlsplit(url).scheme not in ("http", "https"):
        raise WatchError(Errors.DW704, path=path, detail=f"feed {number}: {url!r} is not http(s)")
    name = item.get("name", urlsplit(url).netloc)
    if not isinstance(name, str) or not name.strip():
        raise WatchError(Errors.DW704, path=path, detail=f"feed {number} has a bad 'name'")
    return Feed(name.strip(), url)


def canonical_url(url: str) -> str:
    """One spelling per article: lower-case host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]  # fmt: skip
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def parse_feed(data: bytes, base_url: str) -> list[FeedEntry]:
    """The entries of a feed or sitemap, in the order given.

    Broken XML is tolerated as far as feedparser can recover entries; a body
    with none and a parse error raises WatchError DW703.
    """
    head = data[:2048].lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return _sitemap(data, base_url)
    parsed = feedparser.parse(data)
    entries = [_entry(item) for item in parsed.entries]
    found = [entry for entry in entries if entry is not None]
    if not found and (parsed.bozo or not parsed.get("version")):
        detail = str(parsed.get("bozo_exception") or "no feed entries")
        raise WatchError(Errors.DW703, path=base_url, detail=detail)
    return found


def _entry(item: feedparser.FeedParserDict) -> FeedEntry | None:
    link = item.get("link")
    if not isinstance(link, str) or urlsplit(link).scheme not in ("http", "https"):
        return None
    # Plain dict lookups: feedparser's own mapping of one to the other warns.
    stamp = dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
    when = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).isoformat() if stamp else None
    title = item.get("title")
    return FeedEntry(link, title if isinstance(title, str) else None, when)


def _sitemap(data: bytes, base_url: str) -> list[FeedEntry]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise WatchError(Errors.DW703, path=base_url, detail=str(exc)) from exc
    index = root.tag.endswith("sitemapindex")
    entries = []
    for node in root:
        loc = node.findtext(f"{_SITEMAP_NS}loc") or node.findtext("loc")
        if loc and urlsplit(loc.strip()).scheme in ("http", "https"):
            stamp = node.findtext(f"{_SITEMAP_NS}lastmod") or node.findtext("lastmod")
            entries.append(FeedEntry(loc.strip(), None, stamp, sitemap=index))
    return entries
