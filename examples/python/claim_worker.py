#!/usr/bin/env python3
"""A Tandem worker that processes rows under claims, over HTTP (stdlib only).

It works on the `tasks` model of the dev server (`npm start`): every task
with status "todo" is claimed, "summarized" (a stand-in for a slow model
call), written back as status "done" with `notes`, and released.

    TANDEM_URL=http://127.0.0.1:7878 TANDEM_API_KEY=$(cat .tandem/dev-key) \\
        python3 examples/python/claim_worker.py            # run forever
    ... python3 examples/python/claim_worker.py --once     # one pass, then exit

What it shows (see docs/claims.md):
- POST /v1/claims with wait=false: a task someone else holds is skipped
  (409 entity_claimed tells who holds it and why), not waited for;
- the row in the claim's `data` is re-read at grant time, so a task another
  worker finished after we listed it is recognised and skipped;
- a heartbeat thread renews the lease while the work runs longer than it;
- the write carries the claim's fencing token (`claimToken`) and `readAt`,
  plus an Idempotency-Key, so a retry never commits twice;
- if the claim ends behind our back (lease expired, an admin released it,
  the server restarted), the write is refused with 409 claim_lost and the
  result is discarded instead of overwriting whoever holds the task now;
- DELETE /v1/claims/:id releases the claim in every case.

Environment: TANDEM_URL, TANDEM_API_KEY (a secret key or a session token),
WORKER_NAME (default "claim-worker"), CLAIM_TTL_MS (lease, default 30000),
WORK_SECONDS (simulated work time per task, default 0.5).
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("TANDEM_URL", "http://127.0.0.1:7878")
KEY = os.environ["TANDEM_API_KEY"]
NAME = os.environ.get("WORKER_NAME", "claim-worker")
TTL_MS = int(os.environ.get("CLAIM_TTL_MS", "30000"))
WORK_SECONDS = float(os.environ.get("WORK_SECONDS", "0.5"))


class TandemError(Exception):
    """An error answer: `code` is what to branch on (docs/http-api.md#error-codes)."""

    def __init__(self, status, error):
        super().__init__(f"{status} {error['code']}: {error['message']}")
        self.status, self.code, self.error = status, error["code"], error


def call(method, path, body=None, query=None, headers=None, timeout=70):
    url = BASE + path + ("?" + urllib.parse.urlencode(query) if query else "")
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {KEY}")
    req.add_header("Content-Type", "application/json")
    req.add_header("Tandem-Participant-Kind", "agent")
    req.add_header("Tandem-Participant-Name", NAME)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return json.load(res)
    except urllib.error.HTTPError as e:
        try:
            error = json.load(e)["error"]
        except (ValueError, KeyError, TypeError):  # not Tandem's envelope (e.g. a proxy's 502 page)
            error = {"code": "http_error", "message": f"HTTP {e.code}"}
        raise TandemError(e.code, error) from None


def holder_text(error):
    """'human ada: editing' from an entity_claimed error."""
    claim = error.error.get("details", {}).get("claim") or {}
    held_by = claim.get("heldBy", {})
    who = f"{held_by.get('kind', '?')} {held_by.get('name') or held_by.get('id', '?')}"
    return f"{who}: {claim['action']}" if claim.get("action") else who


class Heartbeat:
    """Renews a claim every third of its lease until stopped; notices when it is lost."""

    def __init__(self, claim_id, ttl_ms):
        self.claim_id = claim_id
        self.interval = max(ttl_ms / 3000, 0.1)
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                call("POST", f"/v1/claims/{self.claim_id}/heartbeat", timeout=10)
            except TandemError as e:
                if e.code == "claim_lost":
                    self.lost.set()
                    return
            except OSError:
                pass  # network blip: try again next beat; the lease outlasts a few misses


def summarize(task):
    """Stand-in for the slow part (an LLM call): depends only on what was read."""
    time.sleep(WORK_SECONDS)
    words = task["title"].split()
    return f"{len(words)} words; starts with '{words[0]}'"


def process(task_id):
    try:
        claim = call("POST", "/v1/claims", {
            "model": "tasks", "id": task_id, "action": "summarizing",
            "wait": False, "ttl": TTL_MS,
        })
    except TandemError as e:
        if e.code == "entity_claimed":
            print(f"skip {task_id}: held by {holder_text(e)}")
            return False
        if e.code == "not_found":  # deleted (or moved out of our groups) meanwhile
            return False
        raise

    try:
        task = claim["data"]  # the row re-read at grant time
        if task["status"] != "todo":
            print(f"skip {task_id}: already {task['status']}")
            return False
        print(f"claimed {task_id}")
        with Heartbeat(claim["id"], TTL_MS) as beat:
            notes = summarize(task)
        if beat.lost.is_set():
            print(f"lost {task_id}: claim ended during the work; result discarded")
            return False
        try:
            done = call("POST", "/v1/commits", {
                "operations": [{"op": "update", "model": "tasks", "id": task_id,
                                "data": {"status": "done", "notes": notes},
                                "readAt": task["syncId"]}],
                "claimToken": claim["token"],
            }, headers={"Idempotency-Key": f"summarize:{claim['id']}"})
        except TandemError as e:
            if e.code in ("claim_lost", "stale_context"):
                print(f"lost {task_id}: {e.code}; result discarded")
                return False
            raise
        print(f"done {task_id} at syncId {done['syncId']}: {notes}")
        return True
    finally:
        try:
            call("DELETE", f"/v1/claims/{claim['id']}")
        except TandemError as e:
            if e.code != "claim_lost":  # already ended: nothing to release
                raise


def todo_ids():
    ids, cursor = [], None
    while True:
        query = {"where": json.dumps({"status": "todo"}),
                 "orderBy": json.dumps({"createdAt": "asc"}), "limit": 100}
        if cursor:
            query["cursor"] = cursor
        page = call("GET", "/v1/models/tasks", query=query)
        ids += [row["id"] for row in page["data"]]
        cursor = page["nextCursor"]
        if not cursor:
            return ids


RETRY_LATER = ("rate_limited", "internal_error", "http_error")


def main(once):
    after = None
    while True:
        try:
            if after is None:
                after = call("GET", "/v1/changes", query={"after": 0, "limit": 1})["syncId"]
            for task_id in todo_ids():
                process(task_id)
            if once:
                return
            # Sleep until something changes (a long-poll), then look again.
            while True:
                changes = call("GET", "/v1/changes", query={"after": after, "wait": 25})
                after = changes["syncId"]
                if changes["data"]:
                    break
        except (OSError, TandemError) as e:
            # The server is unreachable, restarting, or asks us to slow down: wait, then start over.
            # (Claims we held lapse with their lease; nothing was written without one.)
            if once or (isinstance(e, TandemError) and e.code not in RETRY_LATER):
                raise
            print(f"retrying in 5 s: {e}", file=sys.stderr)
            time.sleep(5)


if __name__ == "__main__":
    try:
        main(once="--once" in sys.argv[1:])
    except KeyboardInterrupt:
        pass
