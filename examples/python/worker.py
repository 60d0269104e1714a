#!/usr/bin/env python3
r"""An agent that writes a summary into every task's `notes`, reacting to webhooks (stdlib only).

    # webhooks: run the receiver in this process; register its URL as a webhook endpoint
    TANDEM_URL=http://127.0.0.1:7878 TANDEM_API_KEY=$(cat .tandem/dev-key) \
        python3 examples/python/worker.py --port 8790 --secret whsec_...
    # no webhooks: follow the change log with long-polls instead
    TANDEM_URL=http://127.0.0.1:7878 TANDEM_API_KEY=$(cat .tandem/dev-key) \
        python3 examples/python/worker.py

A task needs work while it is not done and has no notes. For each one the worker

- claims only the `notes` field (wait=false: a task someone else holds is skipped, and
  queued again when a `tasks.claim.released` / `.expired` event says it is free), so people
  can still rename or move the task meanwhile;
- does the slow part (a stand-in for a model call) on the row as the claim read it;
- writes the notes under the claim's fencing token with `readAt` = the syncId it read:
  if the task changed meanwhile (a new title), the write is refused (stale_context), the
  worker reads the row again and redoes the work; if the claim ended, it discards the work;
- releases the claim (tandem_client's Claim: a heartbeat thread keeps it alive till then).

Options: --port/--secret/--events (webhook mode: where the receiver listens, its whsec_
secret(s), the file it stores events in); --once (one pass over the tasks, then exit);
--exit-after N (stop after N summaries); --step (wait for a line on stdin before each piece
of work: to watch, or test, what happens while the claim is held). Environment: TANDEM_URL,
TANDEM_API_KEY, WORKER_NAME (default "summarizer"), CLAIM_TTL_MS (default 30000),
WORK_SECONDS (simulated work per task, default 0.2).
"""

import argparse
import os
import queue
import sys
import threading
import time

import webhook_receiver
from tandem_client import Tandem, TandemClaimedError, TandemError, TandemNotFoundError, TandemStaleContextError, update

NAME = os.environ.get("WORKER_NAME", "summarizer")
TTL_MS = int(os.environ.get("CLAIM_TTL_MS", "30000"))
WORK_SECONDS = float(os.environ.get("WORK_SECONDS", "0.2"))


def say(text):
    print(text, flush=True)


def needs_work(task):
    return task is not None and task.get("status") != "done" and not task.get("notes")


def summarize(task):
    """The slow part (an LLM call, say): depends only on the row it is given."""
    time.sleep(WORK_SECONDS)
    words = task["title"].split()
    return f"{len(words)} words; starts with '{words[0]}'"


class Worker:
    def __init__(self, tandem, step=False):
        self.tandem = tandem
        self.step = step
        self.todo = queue.Queue()
        self.skipped = set()  # held by someone else: worth another look once their claim ends
        self.done = 0

    # -- what to work on: from webhook events, or from the change log --

    def on_events(self, events):
        """The receiver's callback (events already stored): queue the tasks that need work."""
        for e in events:
            if e.get("model") != "tasks":
                continue
            if e.get("type") in ("tasks.created", "tasks.updated") and needs_work(e.get("data")):
                self.todo.put(e["objectId"])
            elif e.get("type") in ("tasks.claim.released", "tasks.claim.expired") and e.get("objectId") in self.skipped:
                self.todo.put(e["objectId"])

    def follow(self, after):
        """The long-poll fallback: the same decisions from GET /v1/changes entries."""
        feed = self.tandem.changes(after=after, wait=25)
        while True:
            try:
                for entry in feed:  # a new pass resumes from feed.cursor
                    for c in entry.get("changes", []):
                        if c["model"] == "tasks" and needs_work(c.get("data")):
                            self.todo.put(c["id"])
                    claim = entry.get("claim")
                    if claim and claim["event"] in ("released", "expired"):
                        target = claim["state"]["target"]
                        if target["model"] == "tasks" and target["id"] in self.skipped:
                            self.todo.put(target["id"])
            except TandemError as e:
                if not e.retryable:
                    self.todo.put(e)  # the main loop raises it
                    return
                print(f"change feed: {e}; again in 5 s", file=sys.stderr)
                time.sleep(5)

    def scan(self):
        """What needs work already (at start, before the events of new changes)."""
        for task in self.tandem.list_all("tasks", where={"status": ["todo", "doing"]}, order_by={"createdAt": "asc"}):
            if needs_work(task):
                self.todo.put(task["id"])

    # -- the work --

    def process(self, task_id):
        try:
            claim = self.tandem.claim("tasks", task_id, field="notes", action="summarizing", wait=False, ttl=TTL_MS)
        except TandemClaimedError as e:
            if e.code != "entity_claimed":
                raise
            held_by = (e.claim or {}).get("heldBy", {})
            say(f"skip {task_id}: held by {held_by.get('kind')} {held_by.get('name') or held_by.get('id')}")
            self.skipped.add(task_id)
            return
        except TandemNotFoundError:
            return  # deleted meanwhile
        self.skipped.discard(task_id)
        with claim:  # heartbeats while we work, releases at the end
            task = claim.data  # re-read at the grant: another worker may have done it already
            if not needs_work(task):
                return
            say(f"claimed {task_id}")
            while True:
                if self.step:
                    sys.stdin.readline()
                notes = summarize(task)
                if claim.lost.is_set():
                    say(f"lost {task_id}: claim ended during the work; result discarded")
                    return
                try:
                    done = self.tandem.commit(
                        [update("tasks", task_id, {"notes": notes}, read_at=task["syncId"])],
                        claim_token=claim.token,
                        idempotency_key=f"notes:{claim.id}:{task['syncId']}",  # one per attempt: a retry of it never commits twice
                    )
                except TandemStaleContextError as e:
                    fields = ", ".join(sorted(c["field"] for c in e.conflicts))
                    say(f"stale {task_id}: {fields} changed after syncId {e.read_at}; redoing")
                    task = self.tandem.retrieve("tasks", task_id)
                    if not needs_work(task):
                        return
                    continue
                except TandemClaimedError as e:
                    if e.code != "claim_lost":
                        raise
                    say(f"lost {task_id}: claim_lost; result discarded")
                    return
                say(f"done {task_id} at syncId {done['syncId']}: {notes}")
                self.done += 1
                return

    def run(self, exit_after=None):
        # A task may be queued twice (the scan and an event): process() re-reads it under the claim.
        while exit_after is None or self.done < exit_after:
            task_id = self.todo.get()
            if isinstance(task_id, Exception):
                raise task_id
            self.process(task_id)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Summarize tasks under claims, reacting to webhooks or long-polls.")
    parser.add_argument("--port", type=int, default=8790, help="webhook receiver port (0 picks a free one)")
    parser.add_argument("--secret", action="append", help="the endpoint's whsec_ secret: turns on webhook mode (twice while rolling)")
    parser.add_argument("--events", default="worker-events.jsonl", help="where the receiver stores events")
    parser.add_argument("--once", action="store_true", help="one pass over the tasks, then exit")
    parser.add_argument("--exit-after", type=int, help="exit after this many summaries")
    parser.add_argument("--step", action="store_true", help="wait for a line on stdin before each piece of work")
    args = parser.parse_args(argv)

    tandem = Tandem(participant={"kind": "agent", "name": NAME})
    worker = Worker(tandem, step=args.step)
    if args.once:
        worker.scan()
        while not worker.todo.empty():
            worker.process(worker.todo.get())
        return 0
    # Listen first, then scan what is already there: a change in between is seen twice, never missed.
    if args.secret:
        server = webhook_receiver.serve(args.secret, args.events, port=args.port, on_events=worker.on_events)
        worker.scan()
        say(f"listening on http://127.0.0.1:{server.server_address[1]}")
    else:
        head = tandem.request("GET", "/v1/changes", query={"after": 0, "limit": 1})["syncId"]
        threading.Thread(target=worker.follow, args=(head,), daemon=True).start()
        worker.scan()
        say(f"following changes after syncId {head}")
    worker.run(args.exit_after)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        pass
