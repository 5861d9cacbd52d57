"""Alert records in the store, and their delivery to a webhook.

An alert is written once per key (``INSERT`` skips a known key), then POSTed
as JSON to the webhook, if any. An alert the webhook refused stays
``delivered = false`` and is sent again after the next cycle.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request

from dyadwatch.errors import Errors, WatchError
from dyadwatch.watch.rules import Alert
from dyadwatch.watch.state import WatchState

__all__ = ["deliver_pending", "post_alert", "record_alerts", "stored_alerts"]


def record_alerts(state: WatchState, alerts: list[Alert]) -> list[Alert]:
    """Store the alerts whose key is new; returns those (the ones that fired now)."""
    fresh: list[Alert] = []
    for alert in alerts:
        if state.tables.alert_known(alert.key) or any(a.key == alert.key for a in fresh):
            continue
        fresh.append(alert)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    state.tables.add_alerts((_payload(a, now) for a in fresh), now)
    return fresh


def _payload(alert: Alert, fired_at: dt.datetime) -> dict[str, object]:
    return {**alert.to_dict(), "fired_at": fired_at.isoformat() + "Z"}


def stored_alerts(state: WatchState) -> list[dict[str, object]]:
    """Every alert payload with its delivery flag, oldest first."""
    return [{**payload, "delivered": done} for payload, done in state.tables.alerts()]


def post_alert(url: str, payload: dict[str, object], *, timeout: float = 10.0,
               user_agent: str = "dyadwatch") -> None:  # fmt: skip
    """POST ``payload`` as JSON; raises WatchError DW706 unless the answer is 2xx."""
    body = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", "User-Agent": user_agent},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status = answer.status
    except urllib.error.HTTPError as exc:
        exc.close()
        raise WatchError(Errors.DW706, url=url, detail=f"HTTP {exc.code}") from exc
    except OSError as exc:
        raise WatchError(Errors.DW706, url=url, detail=str(exc)) from exc
    if not 200 <= status < 300:
        raise WatchError(Errors.DW706, url=url, detail=f"HTTP {status}")


def deliver_pending(state: WatchState, webhook: str, *, timeout: float = 10.0) -> list[WatchError]:
    """POST every undelivered alert, oldest first; returns the failures."""
    failures = []
    for key, payload in state.tables.pending_alerts():
        try:
            post_alert(webhook, payload, timeout=timeout)
        except WatchError as exc:
            failures.append(exc)
            continue
        state.tables.mark_delivered(key)
    return failures
