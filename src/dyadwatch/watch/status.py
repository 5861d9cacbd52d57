"""The watcher's state as one report: what ``dyadwatch status`` and the API show."""

from __future__ import annotations

from dyadwatch.store import Store
from dyadwatch.watch.alerts import stored_alerts
from dyadwatch.watch.state import WatchState

__all__ = ["watch_status"]


def watch_status(store: Store) -> dict[str, object]:
    """Feeds with their last fetch and error, the last cycles (articles and events
    per cycle), article counts and alerts. Empty lists when nothing was watched."""
    state = WatchState(store, create=False)
    if not state.exists():
        return {"feeds": [], "cycles": [], "articles": {}, "alerts": []}
    return {
        "feeds": [_fields(f) for f in state.feeds()],
        "cycles": [c.to_dict() for c in state.cycles()],
        "articles": state.articles(),
        "alerts": stored_alerts(state),
    }


def _fields(status: object) -> dict[str, object]:
    return {k: getattr(status, k) for k in getattr(status, "__slots__", ())}
