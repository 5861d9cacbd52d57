"""Feeds files, feed and sitemap parsing, canonical URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from _watch_support import rss

from dyadwatch.errors import WatchError
from dyadwatch.watch import Feed, canonical_url, load_feeds, parse_feed


def test_feeds_parse_rss_keeps_links_and_stamps() -> None:
    data = rss(("http://x.test/a", "A", "Sun, 03 Mar 2019 10:00:00 GMT"), ("mailto:me", "B", ""))
    entries = parse_feed(data.encode(), "http://x.test/feed")
    assert [e.url for e in entries] == ["http://x.test/a"]
    assert entries[0].stamp == "2019-03-03T10:00:00+00:00"


def test_feeds_parse_atom() -> None:
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        '<entry><title>A</title><link href="http://x.test/a"/><id>a</id>'
        "<updated>2019-03-03T10:00:00Z</updated></entry></feed>"
    )
    [entry] = parse_feed(atom.encode(), "http://x.test/atom")
    assert entry.url == "http://x.test/a" and entry.title == "A"


def test_feeds_parse_sitemap_and_index() -> None:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    urlset = (
        f"<urlset {ns}><url><loc>http://x.test/a</loc><lastmod>2019-03-03</lastmod></url></urlset>"
    )
    [entry] = parse_feed(urlset.encode(), "http://x.test/sitemap.xml")
    assert (entry.url, entry.stamp, entry.sitemap) == ("http://x.test/a", "2019-03-03", False)
    index = f"<sitemapindex {ns}><sitemap><loc>http://x.test/s1.xml</loc></sitemap></sitemapindex>"
    assert parse_feed(index.encode(), "http://x.test/index.xml")[0].sitemap


@pytest.mark.parametrize("data", [b"<rss><channel><item><title>oops", b"not xml at all", b""])
def test_feeds_broken_xml_is_dw703(data: bytes) -> None:
    with pytest.raises(WatchError) as caught:
        parse_feed(data, "http://x.test/broken")
    assert caught.value.code == "DW703"


def test_feeds_canonical_url_drops_tracking_and_fragment() -> None:
    assert canonical_url("HTTP://News.Test:80/a?utm_source=x&id=2#top") == "http://news.test/a?id=2"
    assert canonical_url("https://news.test:8443") == "https://news.test:8443/"


def test_feeds_load_feeds_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n  - name: one\n    url: http://127.0.0.1/rss\n  - url: https://b.test/x\n"
    )
    assert load_feeds(path) == (
        Feed("one", "http://127.0.0.1/rss"),
        Feed("b.test", "https://b.test/x"),
    )


@pytest.mark.parametrize(
    "text",
    ["feeds: []\n", "feeds:\n  - name: a\n", "feeds:\n  - url: ftp://x\n", "feeds: [\n",
     "feeds:\n  - {name: a, url: 'http://x'}\n  - {name: a, url: 'http://y'}\n"],
)  # fmt: skip
def test_feeds_bad_feeds_file_is_dw704(tmp_path: Path, text: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(text)
    with pytest.raises(WatchError) as caught:
        load_feeds(path)
    assert caught.value.code == "DW704" and caught.value.path == str(path)
