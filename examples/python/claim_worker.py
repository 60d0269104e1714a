#!/usr/bin/env python3
r"""A Tandem worker that processes rows under claims, over HTTP (stdlib only).

It works on the `tasks` model of the dev server (`npm start`): every task
with status "todo" is claimed, "summarized" (a stand-in for a slow model
call), written back as status "done" with `notes`, and released.

    TANDEM_URL=http://127.0.0.1:7878 TANDEM_API_KEY=$(cat .tandem/dev-key) \
        python3 examples/python/claim_worker.py            # run forever
    ... python3 examples/python/claim_worker.py --once     # one pass, then exit

What it shows (see docs/claims.md):
- POST /v1/claims with wait=false: a task someone else holds is skipped
  (409 entity_claimed tells who holds it and why), not waited for;
- the row in the claim's `data` is re-read at grant time, so a task another
  worker finished after we listed it is recognised and skipped;
- a heartbeat thread (tandem_client's Claim, used in `with`) renews the lease
  while the work runs longer than it;
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
import os
import sys
import time

from tandem_client import Tandem, TandemClaimedError, TandemError, TandemNotFoundError, TandemStaleContextError, update

NAME = os.environ.get("WORKER_NAME", "claim-worker")
TTL_MS = int(os.environ.get("CLAIM_TTL_MS", "30000"))
WORK_SECONDS = float(os.environ.get("WORK_SECONDS", "0.5"))

# TANDEM_URL and TANDEM_API_KEY come from the environment.
tandem = Tandem(participant={"kind": "agent", "name": NAME}, timeout=70)


def holder_text(error):
    """'human ada: editing' from an entity_claimed error."""
    claim = error.claim or {}
    held_by = claim.get("heldBy", {})
    who = f"{held_by.get('kind', '?')} {held_by.get('name') or held_by.get('id', '?')}"
    return f"{who}: {claim['action']}" if claim.get("action") else who


def summarize(task):
    """Stand-in for the slow part (an LLM call): depends only on what was read."""
    time.sleep(WORK_SECONDS)
    words = task["title"].split()
    return f"{len(words)} words; starts with '{words[0]}'"


def process(task_id):
    try:
        claim = tandem.claim("tasks", task_id, action="summarizing", wait=False, ttl=TTL_MS)
    except TandemClaimedError as e:
        if e.code == "entity_claimed":
            print(f"skip {task_id}: held by {holder_text(e)}")
            return False
        raise
    except TandemNotFoundError:  # deleted (or moved out of our groups) meanwhile
        return False

    with claim:  # heartbeats every third of the lease; releases on the way out
        task = claim.data  # the row re-read at grant time
        if task["status"] != "todo":
            print(f"skip {task_id}: already {task['status']}")
            return False
        print(f"claimed {task_id}")
        notes = summarize(task)
        if claim.lost.is_set():
            print(f"lost {task_id}: claim ended during the work; result discarded")
            return False
        try:
            done = tandem.commit(
                [update("tasks", task_id, {"status": "done", "notes": notes}, read_at=task["syncId"])],
                claim_token=claim.token,
                idempotency_key=f"summarize:{claim.id}",
            )
        except (TandemClaimedError, TandemStaleContextError) as e:
            if e.code in ("claim_lost", "stale_context"):
                print(f"lost {task_id}: {e.code}; result discarded")
                return False
            raise
        print(f"done {task_id} at syncId {done['syncId']}: {notes}")
        return True


def todo_ids():
    return [row["id"] for row in tandem.list_all("tasks", where={"status": "todo"}, order_by={"createdAt": "asc"})]


def main(once):
    after = None
    while True:
        try:
            if after is None:
                after = tandem.request("GET", "/v1/changes", query={"after": 0, "limit": 1})["syncId"]
            for task_id in todo_ids():
                process(task_id)
            if once:
                return
            # Sleep until something changes (a long-poll), then look again.
            feed = tandem.changes(after=after, wait=25)
            next(iter(feed))
            after = feed.cursor
        except TandemError as e:
            # The server is unreachable, restarting, or asks us to slow down (the client already
            # retried a few times): wait, then start over. Claims we held lapse with their lease.
            if once or not e.retryable:
                raise
            print(f"retrying in 5 s: {e}", file=sys.stderr)
            time.sleep(5)


if __name__ == "__main__":
    try:
        main(once="--once" in sys.argv[1:])
    except KeyboardInterrupt:
        pass
