"""Column tables of the formats we read and write, in file order.

Names and order are those of the GDELT Event and Mentions codebooks (1.0 and
2.0) and of the ICEWS Coded Event Data ``.tab`` header. They are facts of the
formats; the writers emit exactly these columns in exactly this order.
"""

from __future__ import annotations

__all__ = [
    "GDELT1_EVENT_COLUMNS",
    "GDELT2_EVENT_COLUMNS",
    "GDELT2_MENTION_COLUMNS",
    "ICEWS_COLUMNS",
]


def _actor(n: int) -> tuple[str, ...]:
    parts = (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
        "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
    )  # fmt: skip
    return tuple(f"Actor{n}{part}" for part in parts)


def _geo(prefix: str, *, adm2: bool) -> tuple[str, ...]:
    parts = ["Type", "FullName", "CountryCode", "ADM1Code"]
    if adm2:  # GDELT 2.0 added the second administrative level
        parts.append("ADM2Code")
    parts += ["Lat", "Long", "FeatureID"]
    return tuple(f"{prefix}_{part}" for part in parts)


_HEAD = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
_EVENT = (
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip


def _events(*, adm2: bool) -> tuple[str, ...]:
    geo = tuple(
        column
        for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for column in _geo(prefix, adm2=adm2)
    )
    return (*_HEAD, *_actor(1), *_actor(2), *_EVENT, *geo, "DATEADDED", "SOURCEURL")


GDELT1_EVENT_COLUMNS: tuple[str, ...] = _events(adm2=False)
"""58 columns; rows of the 1979–2013 backfile stop before ``SOURCEURL`` (57)."""

GDELT2_EVENT_COLUMNS: tuple[str, ...] = _events(adm2=True)
"""61 columns."""

GDELT2_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType",
    "MentionSourceName", "MentionIdentifier", "SentenceID", "Actor1CharOffset",
    "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
    "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
    "Target Country", "Story ID", "Sentence Number", "Publisher", "City",
    "District", "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip
