#!/usr/bin/env python3
"""A Tandem webhook receiver in one file (Python 3.11 standard library only).

Tandem POSTs `{"data": [event, ...]}` to each webhook endpoint, signed like a Standard
Webhook (see standard_webhooks.py). This receiver

- verifies the signature on the raw body (401 on a bad or missing one, or a timestamp
  more than 5 minutes away from now: a replay);
- stores each event it has not seen yet (deduplicated by event `id`: delivery is
  at-least-once, so a retried batch arrives again) as one JSON line, and fsyncs;
- answers 2xx only after that, so an event Tandem counts as delivered is on disk.
  Anything else (a full disk, a crash before the answer) is not a 2xx, and Tandem retries.

Run:

    python3 examples/python/webhook_receiver.py --port 0 --secret whsec_... --out events.jsonl

It prints `listening on http://127.0.0.1:PORT` once bound, then one JSON line per request
(`{"status": 200, "stored": 2, "duplicates": 0}`). Pass --secret twice to accept two
secrets while you roll one. As a module: `verify(secret, headers, body)`, `EventStore`,
`make_handler(...)` / `WebhookHandler`, and `serve(...)` for a receiver in a thread.
"""

import argparse
import json
import os
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standard_webhooks import TOLERANCE_SECONDS, WebhookVerificationError, secret_key, sign, signed_headers, verify

__all__ = ["verify", "sign", "signed_headers", "secret_key", "WebhookVerificationError", "EventStore", "WebhookHandler", "make_handler", "serve"]


MAX_BODY_BYTES = 16 * 1024 * 1024  # far above a delivery batch (bounded in count and bytes by the sender)


class EventStore:
    """Events as JSON lines in one file; remembers the ids already stored (also across restarts)."""

    def __init__(self, path):
        self.path = path
        self.seen = set()
        self._lock = threading.Lock()
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        self.seen.add(json.loads(line)["id"])

    def add(self, events):
        """Append the events not stored yet, fsync, and return them (an OSError means: not stored)."""
        with self._lock:
            new, ids = [], set()
            for event in events:
                if event["id"] not in self.seen and event["id"] not in ids:
                    new.append(event)
                    ids.add(event["id"])
            if new:
                with open(self.path, "a", encoding="utf-8") as f:
                    start = f.tell()
                    try:
                        f.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in new))
                        f.flush()
                        os.fsync(f.fileno())
                    except OSError:
                        f.truncate(start)  # take back a partial write, so the retry does not duplicate lines
                        raise
                self.seen |= ids  # only once they are on disk: a failed write is retried, not skipped
            return new


class WebhookHandler(BaseHTTPRequestHandler):
    """POST handler; `make_handler()` fills in the class attributes below."""

    secrets = ()  # whsec_ secrets: any one verifying is enough
    store = None  # an EventStore
    on_events = None  # called with the newly stored events, after they are on disk (keep it quick)
    tolerance = TOLERANCE_SECONDS
    log_requests = False  # print one JSON line per request on stdout (the CLI turns it on)
    _print_lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:  # refuse before reading: nobody makes us buffer gigabytes unsigned
            self.close_connection = True
            return self._answer(413, {"error": {"type": "TandemValidationError", "code": "payload_too_large", "message": f"Over {MAX_BODY_BYTES} bytes"}})
        body = self.rfile.read(length)
        try:
            verify(self.secrets, self.headers, body, self.tolerance)
        except WebhookVerificationError as e:
            return self._answer(401, {"error": {"type": "TandemAuthError", "code": "unauthenticated", "message": str(e)}}, reason=e.reason)
        try:
            events = json.loads(body)["data"]
            if not isinstance(events, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in events):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return self._answer(400, {"error": {"type": "TandemValidationError", "code": "invalid_request", "message": 'Expected {"data": [{"id": ...}, ...]}'}})
        try:
            new = self.store.add(events)
        except OSError as e:  # not stored: not a 2xx, so the sender retries the whole batch
            return self._answer(500, {"error": {"type": "TandemError", "code": "internal_error", "message": f"Could not store the events: {e}"}})
        if new and self.on_events:
            try:
                type(self).on_events(new)
            except Exception:  # noqa: BLE001 - the events are stored: a failing callback must not make the sender retry them
                traceback.print_exc()
        self._answer(200, {"received": len(events)}, stored=len(new), duplicates=len(events) - len(new))

    def _refuse_method(self):
        self._answer(405, {"error": {"type": "TandemValidationError", "code": "invalid_request", "message": "Use POST"}})

    do_GET = do_PUT = do_PATCH = do_DELETE = _refuse_method

    def _answer(self, status, payload, **log):
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            log["delivered"] = False  # the sender gave up waiting; it will retry, and we dedupe
        if self.log_requests:
            with self._print_lock:  # whole lines, even with many threads
                sys.stdout.write(json.dumps({"status": status, **log}) + "\n")
                sys.stdout.flush()

    def log_message(self, *args):
        pass


def make_handler(secret, store, on_events=None, tolerance=TOLERANCE_SECONDS, log_requests=False):
    """A WebhookHandler subclass bound to a secret (or a list of them) and an EventStore."""
    secrets = [secret] if isinstance(secret, str) else list(secret)
    for s in secrets:
        secret_key(s)  # a malformed secret fails here, at start, not on the first delivery
    attrs = {"secrets": secrets, "store": store, "tolerance": tolerance, "log_requests": log_requests}
    if on_events is not None:
        attrs["on_events"] = staticmethod(on_events)
    return type("BoundWebhookHandler", (WebhookHandler,), attrs)


def serve(secret, out, port=0, host="127.0.0.1", on_events=None, tolerance=TOLERANCE_SECONDS, log_requests=False):
    """Start a receiver in a background thread; returns the server (`.server_address`, `.shutdown()`)."""
    server = ThreadingHTTPServer((host, port), make_handler(secret, EventStore(out), on_events, tolerance, log_requests))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()  # quick shutdown()
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description="Receive Tandem webhooks: verify, dedupe, store, then answer 2xx.")
    parser.add_argument("--port", type=int, default=8788, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--secret", action="append", help="whsec_... (twice while rolling; or WEBHOOK_SECRET)")
    parser.add_argument("--out", required=True, help="the JSON-lines file events are appended to")
    parser.add_argument("--tolerance", type=int, default=TOLERANCE_SECONDS, help="largest clock skew accepted, in seconds")
    args = parser.parse_args(argv)
    secrets = args.secret or ([os.environ["WEBHOOK_SECRET"]] if os.environ.get("WEBHOOK_SECRET") else [])
    if not secrets:
        parser.error("--secret (or WEBHOOK_SECRET) is required")
    try:
        handler = make_handler(secrets, EventStore(args.out), tolerance=args.tolerance, log_requests=True)
    except ValueError as e:
        parser.error(str(e))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    print(f"listening on http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
