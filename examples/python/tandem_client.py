"""A small Tandem client over the HTTP API (Python 3.11 standard library only).

    from tandem_client import Tandem, create, update

    tandem = Tandem()  # TANDEM_URL and TANDEM_API_KEY from the environment
    row = tandem.commit([create("tasks", {"title": "Triage"})])["rows"][0]
    with tandem.claim("tasks", row["id"], action="triaging") as claim:  # heartbeats, then releases
        tandem.commit([update("tasks", row["id"], {"status": "doing"}, read_at=claim.data["syncId"])],
                      claim_token=claim.token)

Every error answer raises the typed error of its code (tandem_errors.py). Requests that are
safe to repeat (reads, commits: each carries an Idempotency-Key that its retries reuse,
heartbeats, releases) are retried on the retryable server and transport errors; a claim
request is retried only when the server refused it outright (rate_limited). The claim codes
(entity_claimed, grant_timeout, ...) are retryable too, but whether to wait is yours to decide.
"""

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from tandem_claim import Claim
from tandem_errors import (  # noqa: F401 - re-exported: `from tandem_client import TandemClaimedError`
    ERROR_CODES,
    TandemAuthError,
    TandemClaimedError,
    TandemConflictError,
    TandemConnectionError,
    TandemError,
    TandemNotFoundError,
    TandemRateLimitError,
    TandemStaleContextError,
    TandemValidationError,
    error_from_envelope,
)

DEFAULT_TTL_MS = 30_000


# --- operations for commit() ----------------------------------------------------

def create(model, data, id=None):
    """A create operation (an id is generated when you leave it out)."""
    return {"op": "create", "model": model, "data": data, **({"id": id} if id is not None else {})}


def update(model, id, data, read_at=None, on_stale=None):
    """An update of some fields; with `read_at`, refused (stale_context) if the row changed since."""
    return _guarded({"op": "update", "model": model, "id": id, "data": data}, read_at, on_stale)


def delete(model, id, read_at=None, on_stale=None):
    return _guarded({"op": "delete", "model": model, "id": id}, read_at, on_stale)


def _guarded(op, read_at, on_stale):
    if read_at is not None:
        op["readAt"] = read_at
    if on_stale is not None:
        op["onStale"] = on_stale  # reject | force | flag
    return op


def duration_ms(value):
    """Milliseconds of 30000, "500ms", "90s", "2m" or "1h" (as the server reads ttl and timeoutMs)."""
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)", value)
    if not m:
        raise ValueError(f"not a duration: {value!r}")
    return float(m[1]) * {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[m[2]]


# --- the client -----------------------------------------------------------------

class Tandem:
    """One credential (a secret key `sk_...` or a session token `ek_...`) against one server."""

    def __init__(self, base_url=None, api_key=None, participant=None, timeout=30, retries=3, backoff=0.2):
        self.base_url = (base_url or os.environ.get("TANDEM_URL", "http://127.0.0.1:7878")).rstrip("/")
        self.api_key = api_key or os.environ.get("TANDEM_API_KEY")
        if not self.api_key:
            raise ValueError("Pass api_key (a secret key or a session token) or set TANDEM_API_KEY")
        self.participant = participant  # {"kind": "agent", "name": "billing-worker"}: the actor of your commits
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    # -- transport --

    def request(self, method, path, body=None, query=None, headers=None, timeout=None, safe_to_retry=True):
        """One call: JSON in, JSON out; error answers raise their typed error; retries as the module says."""
        attempt = 0
        while True:
            try:
                return self._send(method, path, body, query, headers, timeout or self.timeout)
            except TandemError as e:
                attempt += 1
                if attempt > self.retries or not self._should_retry(e, safe_to_retry):
                    raise
                delay = getattr(e, "retry_after", None) or self.backoff * 2 ** (attempt - 1)
                time.sleep(min(delay, 10))

    @staticmethod
    def _should_retry(error, safe_to_retry):
        if not error.retryable or isinstance(error, TandemClaimedError):
            return False
        return safe_to_retry or error.code == "rate_limited"  # refused before it did anything

    def _send(self, method, path, body, query, headers, timeout):
        query = {k: v for k, v in (query or {}).items() if v is not None}
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.api_key}")
        req.add_header("Content-Type", "application/json")
        if self.participant:
            req.add_header("Tandem-Participant-Kind", self.participant.get("kind", "agent"))
            if self.participant.get("name"):
                req.add_header("Tandem-Participant-Name", self.participant["name"])
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return json.load(res)
        except urllib.error.HTTPError as e:
            try:
                answer = json.load(e)
            except ValueError:
                answer = None
            error = error_from_envelope(e.code, answer)
            if isinstance(error, TandemRateLimitError) and "retryAfter" not in error.details and e.headers.get("Retry-After"):
                error.details["retryAfter"] = e.headers["Retry-After"]
            raise error from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as e:
            timed_out = isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError)
            code = "timeout" if timed_out else "offline"
            message = f"No answer from {self.base_url} within {timeout} s" if timed_out else f"Cannot reach {self.base_url}: {e}"
            raise TandemConnectionError(code, message) from e

    # -- rows --

    def commit(self, operations, claim_token=None, tx_id=None, idempotency_key=None):
        """Commit operations atomically; returns {object, syncId, stale, rows}. Retries reuse the key."""
        body = {"operations": operations}
        if claim_token is not None:
            body["claimToken"] = claim_token
        if tx_id is not None:
            body["txId"] = tx_id
        key = idempotency_key or f"py_{uuid.uuid4().hex}"
        return self.request("POST", "/v1/commits", body, headers={"Idempotency-Key": key})

    def retrieve(self, model, id, if_claimed=None, timeout_ms=None):
        """One row, or TandemNotFoundError. `if_claimed`: return (default), wait or fail."""
        query = {"ifClaimed": if_claimed, "timeoutMs": timeout_ms}
        held = self._waiting(timeout_ms, 30_000 if if_claimed == "wait" else 0)
        return self.request("GET", f"/v1/models/{_q(model)}/{_q(id)}", query=query, timeout=held)

    def list(self, model, where=None, order_by=None, limit=None, cursor=None):
        """One page: {object: 'list', data, hasMore, nextCursor}."""
        query = {"where": _json(where), "orderBy": _json(order_by), "limit": limit, "cursor": cursor}
        return self.request("GET", f"/v1/models/{_q(model)}", query=query)

    def list_all(self, model, where=None, order_by=None, page_size=100):
        """Every matching row, page after page."""
        cursor = None
        while True:
            page = self.list(model, where, order_by, page_size, cursor)
            yield from page["data"]
            cursor = page["nextCursor"]
            if not cursor:
                return

    def changes(self, after=0, wait=25, limit=None, stop_when_idle=False, on_resync=None):
        """The change log from `after` on, long-polling: an iterator of log entries (see ChangeFeed)."""
        return ChangeFeed(self, after, wait, limit, stop_when_idle, on_resync)

    # -- claims --

    def claim(self, model, id, field=None, action=None, wait=None, ttl=None, timeout_ms=None, max_queue_depth=None):
        """Claim a row (or one field); returns a Claim once granted. Use it in `with` to heartbeat and release."""
        body = {"model": model, "id": id, "field": field, "action": action, "wait": wait, "ttl": ttl,
                "timeoutMs": timeout_ms, "maxQueueDepth": max_queue_depth}
        body = {k: v for k, v in body.items() if v is not None}
        waits = wait is not False
        answer = self.request("POST", "/v1/claims", body, timeout=self._waiting(timeout_ms if waits else 0, 30_000 if waits else 0),
                              safe_to_retry=False)  # a lost answer may be a granted claim: do not take a second one
        return Claim(self, answer, duration_ms(ttl) if ttl is not None else DEFAULT_TTL_MS)

    def claims_of(self, model, id, field=None):
        """The row's {holder, queue, claims}."""
        return self.request("GET", "/v1/claims", query={"model": model, "id": id, "field": field})

    def heartbeat(self, claim_id):
        return self.request("POST", f"/v1/claims/{_q(claim_id)}/heartbeat")

    def release(self, claim_id):
        return self.request("DELETE", f"/v1/claims/{_q(claim_id)}")

    # -- sessions (secret key only) --

    def create_session(self, user_id, groups, participant=None, on_behalf_of=None, ttl=None):
        """Mint an `ek_...` session token for one user and their sync groups: {id, token, expiresAt, ...}."""
        body = {"userId": user_id, "groups": groups, "participant": participant, "onBehalfOf": on_behalf_of, "ttl": ttl}
        return self.request("POST", "/v1/sessions", {k: v for k, v in body.items() if v is not None})

    def revoke_session(self, session_id):
        return self.request("DELETE", f"/v1/sessions/{_q(session_id)}")

    def as_session(self, session):
        """A client acting with a minted session token (what you hand to a scoped agent)."""
        return Tandem(self.base_url, session["token"], None, self.timeout, self.retries, self.backoff)

    def _waiting(self, timeout_ms, default_ms=0):
        """The socket timeout of a request the server may hold open for `timeout_ms`."""
        held = duration_ms(timeout_ms) if timeout_ms is not None else default_ms
        return max(self.timeout, held / 1000 + 15)


class ChangeFeed:
    """Iterate log entries after `cursor`; each entry moves `cursor`, so a new feed from it resumes there.

    A long-poll (`wait` seconds) that finds nothing polls again, unless `stop_when_idle`. When the
    server answers `resync` (our cursor is beyond its log or older than it keeps), `on_resync(cursor)`
    is called (reload with GET /v1/bootstrap) and the feed goes on from the new position.
    """

    def __init__(self, client, after=0, wait=25, limit=None, stop_when_idle=False, on_resync=None):
        self.client, self.cursor, self.wait, self.limit = client, after, wait, limit
        self.stop_when_idle, self.on_resync = stop_when_idle, on_resync

    def __iter__(self):
        while True:
            page = self.client.request("GET", "/v1/changes", query={"after": self.cursor, "wait": self.wait, "limit": self.limit},
                                       timeout=self.wait + 15)
            if page.get("resync"):
                self.cursor = page["cursor"]
                if self.on_resync:
                    self.on_resync(self.cursor)
                continue
            for entry in page["data"]:
                self.cursor = entry["syncId"]
                yield entry
            self.cursor = page["cursor"]
            if not page["data"] and self.stop_when_idle:
                return


def _q(segment):
    return urllib.parse.quote(str(segment), safe="")


def _json(value):
    return None if value is None else json.dumps(value)
