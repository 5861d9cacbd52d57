"""Records to rows and back, for any table of :mod:`dyadwatch.store.columns`.

A row holds, for each column the record supplies, the value at the column's
``path`` (``event.source.code``), in the column's type: nested records as JSON
text in ``JSON`` columns, tuples as lists, mappings as key-value pairs in
``MAP`` columns. Reading a row back gathers the ``field`` columns into nested
parts by their paths and builds the record from its type hints, so a field
added to a record and to :mod:`~dyadwatch.store.columns` needs no code here.

A nested part is None when its first column is (an actor without a code, a
range without a minimum); a required text read back as NULL is empty text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import operator
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar, cast

import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.model import Document, Event
from dyadwatch.store.columns import DOCUMENTS, EVENT_FILE, EVENTS, MENTIONS, Column, Table
from dyadwatch.store.records import StoredEvent

__all__ = [
    "RowCodec",
    "build",
    "document_codec",
    "event_codec",
    "file_codec",
    "json_text",
    "mention_codec",
]

R = TypeVar("R")

_JSON = json.JSONEncoder(sort_keys=True)
"""One encoder for all rows: ``json.dumps`` with options builds a new one per call."""


def json_text(value: object) -> str | None:
    """``value`` as the JSON text of a ``JSON`` column (records by their ``to_dict``).

    None, an empty mapping (``extra`` without entries) and an empty tuple of records
    (an event's ``mentions``) are NULL.
    """
    if value is None:
        return None
    if isinstance(value, Mapping):
        return _JSON.encode(dict(value)) if value else None
    if isinstance(value, tuple) and (not value or hasattr(value[0], "to_dict")):
        return _JSON.encode([item.to_dict() for item in value]) if value else None
    to_dict = getattr(value, "to_dict", None)
    return _JSON.encode(to_dict() if to_dict is not None else value)


def _getter(path: tuple[str, ...]) -> Callable[[object], object]:
    """The value at ``path`` in a record; None when a part on the way is None."""
    if len(path) == 1:
        return operator.attrgetter(path[0])
    first = operator.attrgetter(path[0])
    steps = [(int(part) if part.isdigit() else None, part) for part in path[1:]]

    def get(record: object) -> object:
        value: Any = first(record)
        for index, name in steps:
            if value is None:
                return None
            value = value[index] if index is not None else getattr(value, name)
        return value

    return get


def _to_cell(column: Column) -> Callable[[object], object] | None:
    """How a value becomes a cell; None when it is the cell as it is."""
    if column.type == "JSON":
        return json_text
    if column.type == "VARCHAR[]":
        return lambda value: None if value is None else list(cast(Iterable[object], value))
    if column.type.startswith("MAP"):
        return lambda value: list(cast(Mapping[str, str], value or {}).items())
    return None


def _from_cell(column: Column) -> Callable[[object], object]:
    if column.type == "JSON":
        return lambda text: None if text is None else json.loads(cast(str, text))
    if column.type.startswith("MAP"):
        return lambda pairs: dict(cast(Iterable[tuple[str, str]], pairs or ()))
    return _same


def _same(value: object) -> object:
    return value


class RowCodec:
    """Rows of ``columns`` (of ``table``) to records of type ``kind``, and back."""

    __slots__ = ("_cells", "_kind", "_readers", "columns", "names", "table")

    def __init__(self, table: Table, kind: type[Any], columns: Sequence[Column]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self.names = tuple(c.name for c in self.columns)
        self._kind = kind
        self._cells = [(_getter(c.where), _to_cell(c)) for c in self.columns]
        self._readers = [
            (i, c.where, _from_cell(c)) for i, c in enumerate(self.columns) if c.role == "field"
        ]

    @property
    def types(self) -> dict[str, pa.DataType]:
        return {c.name: c.arrow for c in self.columns}

    @property
    def schema(self) -> pa.Schema:
        return self.table.schema(self.columns)

    def row(self, record: object) -> tuple[object, ...]:
        """The cells of ``record``, in column order."""
        cells = self._cells
        return tuple([get(record) if to is None else to(get(record)) for get, to in cells])

    def named(self, record: object) -> dict[str, object]:
        """The cells of ``record`` by column name."""
        return dict(zip(self.names, self.row(record), strict=True))

    def parts(self, row: Sequence[Any]) -> dict[str, Any]:
        """The nested plain values of a row read in column order (JSON decoded)."""
        parts: dict[str, Any] = {}
        absent: set[tuple[str, ...]] = set()
        for index, path, convert in self._readers:
            if len(path) == 1:
                parts[path[0]] = convert(row[index])
            else:
                _place(parts, absent, path, convert(row[index]))
        return parts

    def record(self, row: Sequence[Any]) -> Any:
        """The record of a row read in column order."""
        return build(self._kind, self.parts(row))

    def record_of(self, row: Mapping[str, Any]) -> Any:
        """The record of a row given by column name."""
        return self.record([row[name] for name in self.names])


def _place(
    parts: dict[str, Any], absent: set[tuple[str, ...]], path: tuple[str, ...], value: object
) -> None:
    """Put ``value`` at ``path``; a nested part whose first value is None stays None."""
    node = parts
    for depth, key in enumerate(path[:-1]):
        prefix = path[: depth + 1]
        if prefix in absent:
            return
        if key not in node:
            if value is None:
                node[key] = None
                absent.add(prefix)
                return
            node[key] = {}
        node = node[key]
    node[path[-1]] = value


def build(kind: type[R], parts: Mapping[str, Any]) -> R:
    """A ``kind`` dataclass from nested plain values, converted by its type hints.

    Keys that are not fields (``cameo_root``) are ignored; missing fields take
    their defaults.
    """
    made: R = _builder(cast(Any, kind))(parts)
    return made


@cache
def _builder(kind: Any) -> Callable[[Mapping[str, Any]], Any]:
    """The constructor of ``kind`` from plain parts (made once per record type)."""
    names = {f.name for f in dataclasses.fields(kind) if f.init}
    hints = typing.get_type_hints(kind)
    fields = [(name, _converter(hint)) for name, hint in hints.items() if name in names]

    def make(parts: Mapping[str, Any]) -> Any:
        return kind(**{name: convert(parts[name]) for name, convert in fields if name in parts})

    return make


@cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """How a plain value becomes a value of type ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        inner = _converter(next(a for a in args if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if hint is str:
        return lambda value: "" if value is None else value
    if hint is dt.date:
        return lambda value: dt.date.fromisoformat(value) if isinstance(value, str) else value
    if dataclasses.is_dataclass(hint):
        make = _builder(cast(Any, hint))
        return lambda value: None if value is None else make(value)
    if origin is tuple:
        return _tuple_converter(args)
    if origin is not None and getattr(origin, "__name__", "") == "Mapping":
        return lambda value: types.MappingProxyType(
            {str(k): str(v) for k, v in dict(value or {}).items()}
        )
    return lambda value: value


def _tuple_converter(args: tuple[Any, ...]) -> Callable[[Any], Any]:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        return lambda value: () if value is None else tuple(item(v) for v in _items(value))
    converters = [_converter(arg) for arg in args]
    return lambda value: (
        None
        if value is None
        else tuple(c(v) for c, v in zip(converters, _items(value), strict=False))
    )


def _items(value: Any) -> list[Any]:
    """A sequence's items; a part gathered by index paths (``date_range.0``) in index order."""
    if isinstance(value, Mapping):
        return [value[key] for key in sorted(value, key=int)]
    return list(value)


def _codec(table: Table, kind: type[Any]) -> RowCodec:
    return RowCodec(table, kind, table.written)


@cache
def mention_codec() -> RowCodec:
    """``event_mentions`` rows of :class:`~dyadwatch.model.Event` records."""
    return _codec(MENTIONS, Event)


@cache
def event_codec() -> RowCodec:
    """``events`` rows of :class:`~dyadwatch.store.StoredEvent` records."""
    return _codec(EVENTS, StoredEvent)


@cache
def file_codec() -> RowCodec:
    """Parquet rows (:data:`~dyadwatch.store.columns.EVENT_FILE`) of stored events."""
    return _codec(EVENT_FILE, StoredEvent)


@cache
def document_codec() -> RowCodec:
    """``documents`` rows of :class:`~dyadwatch.model.Document`, without the store's columns."""
    return _codec(DOCUMENTS, Document)
