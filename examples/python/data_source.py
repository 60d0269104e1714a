#!/usr/bin/env python3
"""A Tandem Data Source in one file (Python 3 standard library only).

Tandem's `httpSource({ url, secret })` keeps your rows canonical here: the
Tandem server POSTs signed JSON requests and this endpoint answers them from
its own SQLite file.

    {"type": "load",   "model": m, "id": id}         -> {"row": row | null, "groups": [...]}
    {"type": "list",   "model": m, "query": q}       -> {"rows": [...]}
    {"type": "commit", "clientTxId": t,
     "operations": [...], "scope": {...}}            -> {"rows": [row | null, ...]}

Every request is signed like a Standard Webhook (headers webhook-id,
webhook-timestamp, webhook-signature = "v1,<base64 HMAC-SHA256 of
'id.timestamp.body'>", key = the base64 part of the whsec_ secret). Bad,
missing or old signatures get 401. Every refusal uses Tandem's error
envelope {"error": {"type", "code", "message"}}; a refused commit changes
nothing. Commits are deduplicated by clientTxId: a retry of the same commit
gets the first answer and is not applied again.

Run:  python3 examples/python/data_source.py --port 0 --secret whsec_... [--db rows.db]
It prints its URL (http://127.0.0.1:<port>) on the first line, then one JSON
line per request it answered.
"""

import argparse
import functools
import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standard_webhooks
from standard_webhooks import secret_key  # noqa: F401 - part of this module's API (tests import it)

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
  model TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL,    -- the row as JSON, system fields included
  groups TEXT NOT NULL,  -- its sync groups as a JSON array
  PRIMARY KEY (model, id)
);
CREATE TABLE IF NOT EXISTS commits (
  client_tx_id TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL
);
"""


class Refusal(Exception):
    """An answer in Tandem's error envelope."""

    def __init__(self, status, type_, code, message):
        super().__init__(message)
        self.status, self.type, self.code, self.message = status, type_, code, message

    def envelope(self):
        return {"error": {"type": self.type, "code": self.code, "message": self.message}}


def unauthenticated(message):
    return Refusal(401, "TandemAuthError", "unauthenticated", message)


def invalid(message):
    return Refusal(400, "TandemValidationError", "invalid_request", message)


# --- signatures (shared with webhook_receiver.py) ------------------------------

def verify(key, headers, body, tolerance, now=None):
    """Standard Webhooks verification; a failure is a 401 in Tandem's envelope."""
    try:
        standard_webhooks.verify(key, headers, body, tolerance, now)
    except standard_webhooks.WebhookVerificationError as e:
        raise unauthenticated(str(e)) from None


# --- list semantics (the same as Tandem's own stores) -------------------------

def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def as_text(v):
    # Strings compare by UTF-16 code unit, like JavaScript; other values by their JSON text.
    s = v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return s.encode("utf-16-be")


def same(a, b):
    """Null-safe equality: null equals null; a boolean never equals a number."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def compare(a, b):
    """Total order: null first, then numbers, booleans, strings (UTF-16 code units), other values by JSON."""
    if a is None or b is None:
        return 0 if (a is None) == (b is None) else (-1 if a is None else 1)
    if is_number(a) and is_number(b):
        return (a > b) - (a < b)
    if isinstance(a, bool) and isinstance(b, bool):
        return int(a) - int(b)
    sa, sb = as_text(a), as_text(b)
    return (sa > sb) - (sa < sb)


def matches(row, where):
    for cond in where:
        v, op, value = row.get(cond["field"]), cond["op"], cond.get("value")
        if op == "eq":
            ok = same(v, value)
        elif op == "ne":
            ok = not same(v, value)
        elif op == "in":
            if not isinstance(value, list):
                raise invalid(f'"in" on {cond["field"]} needs an array')
            ok = any(same(v, x) for x in value)
        elif op in ("gt", "gte", "lt", "lte"):
            if v is None:  # a range never matches null
                return False
            c = compare(v, value)
            ok = {"gt": c > 0, "gte": c >= 0, "lt": c < 0, "lte": c <= 0}[op]
        else:
            raise invalid(f"unknown operator {op!r}")
        if not ok:
            return False
    return True


def order(order_by):
    def cmp(a, b):
        for key in order_by:
            c = compare(a.get(key["field"]), b.get(key["field"]))
            if c:
                return c if key["dir"] == "asc" else -c
        return 0

    return cmp


def visible(row_groups, groups):
    return groups is None or any(g in groups for g in row_groups)


# --- the three requests -------------------------------------------------------

class DataSource:
    def __init__(self, db_path, hold_commits=0):
        self.db_path = db_path
        self.hold_commits = hold_commits  # fault injection, see --hold-commits
        self.holds = {}
        self.lock = threading.Lock()
        db = self.connect()
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
        finally:
            db.close()

    def connect(self):
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def load(self, db, body):
        found = db.execute("SELECT data, groups FROM rows WHERE model = ? AND id = ?", (text(body, "model"), text(body, "id"))).fetchone()
        if found is None:
            return {"row": None}
        return {"row": json.loads(found[0]), "groups": json.loads(found[1])}

    def list(self, db, body):
        query = body.get("query")
        if not isinstance(query, dict):
            raise invalid('"query" must be an object')
        where, order_by = query.get("where", []), query.get("orderBy", [])
        limit, after, groups = query.get("limit", 100), query.get("after"), query.get("groups")
        if not isinstance(where, list) or not all(isinstance(c, dict) and isinstance(c.get("field"), str) for c in where):
            raise invalid('"query.where" must be an array of { field, op, value }')
        if not isinstance(order_by, list) or not all(isinstance(k, dict) and isinstance(k.get("field"), str) and k.get("dir") in ("asc", "desc") for k in order_by):
            raise invalid('"query.orderBy" must be an array of { field, dir: "asc" | "desc" }')
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise invalid('"query.limit" must be a non-negative integer')
        if after is not None and not isinstance(after, dict):
            raise invalid('"query.after" must be an object')
        if groups is not None and not (isinstance(groups, list) and all(isinstance(g, str) for g in groups)):
            raise invalid('"query.groups" must be null or an array of strings')
        # A reference, not a query planner: filter in Python. A real endpoint compiles this to SQL.
        rows = []
        for data, row_groups in db.execute("SELECT data, groups FROM rows WHERE model = ?", (text(body, "model"),)):
            row = json.loads(data)
            if visible(json.loads(row_groups), groups) and matches(row, where):
                rows.append(row)
        cmp = order(order_by)
        if after is not None:
            rows = [r for r in rows if cmp(r, after) > 0]
        rows.sort(key=functools.cmp_to_key(cmp))
        return {"rows": rows[:limit]}

    def commit(self, db, body):
        tx_id = text(body, "clientTxId")
        operations = body.get("operations")
        if not isinstance(operations, list) or not operations:
            raise invalid('"operations" must be a non-empty array')
        request_hash = hashlib.sha256(json.dumps(operations, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        db.execute("BEGIN IMMEDIATE")
        try:
            seen = db.execute("SELECT request_hash, response FROM commits WHERE client_tx_id = ?", (tx_id,)).fetchone()
            if seen is not None:
                db.execute("ROLLBACK")
                if seen[0] != request_hash:
                    raise Refusal(409, "TandemConflictError", "idempotency_key_reused", f"clientTxId {tx_id} was used for other operations")
                return json.loads(seen[1]), True
            rows = [self.apply(db, i, op) for i, op in enumerate(operations)]
            response = {"rows": rows}
            db.execute(
                "INSERT INTO commits (client_tx_id, request_hash, response, created_at) VALUES (?, ?, ?, ?)",
                (tx_id, request_hash, json.dumps(response), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            )
            db.execute("COMMIT")
            return response, False
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def apply(self, db, i, op):
        if not isinstance(op, dict):
            raise invalid(f"operations[{i}] must be an object")
        kind, model, row_id = op.get("op"), text(op, "model"), text(op, "id")
        exists = db.execute("SELECT 1 FROM rows WHERE model = ? AND id = ?", (model, row_id)).fetchone() is not None
        if kind == "delete":
            if not exists:
                raise Refusal(404, "TandemNotFoundError", "not_found", f'{model} "{row_id}" not found')
            db.execute("DELETE FROM rows WHERE model = ? AND id = ?", (model, row_id))
            return None
        if kind not in ("create", "update"):
            raise invalid(f"operations[{i}].op must be create, update or delete")
        row, groups = op.get("row"), op.get("groups")
        if not isinstance(row, dict) or row.get("id") != row_id:
            raise invalid(f"operations[{i}].row must be an object with id {row_id!r}")
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise invalid(f"operations[{i}].groups must be an array of strings")
        if kind == "create" and exists:
            raise Refusal(409, "TandemConflictError", "already_exists", f'{model} "{row_id}" already exists')
        if kind == "update" and not exists:
            raise Refusal(404, "TandemNotFoundError", "not_found", f'{model} "{row_id}" not found')
        db.execute(
            "INSERT OR REPLACE INTO rows (model, id, data, groups) VALUES (?, ?, ?, ?)",
            (model, row_id, json.dumps(row, ensure_ascii=False), json.dumps(groups)),
        )
        return row

    # --hold-commits N: answer the first N fresh commits only once Tandem sends the same
    # clientTxId again (it timed out and retried), to show that a retry is applied once.
    def hold_answer(self, tx_id):
        with self.lock:
            if self.hold_commits <= 0:
                return None
            self.hold_commits -= 1
            event = self.holds[tx_id] = threading.Event()
        return event

    def release_hold(self, tx_id):
        with self.lock:
            event = self.holds.pop(tx_id, None)
        if event:
            event.set()


def text(obj, field):
    value = obj.get(field)
    if not isinstance(value, str) or not value:
        raise invalid(f'"{field}" must be a non-empty string')
    return value


PRINT_LOCK = threading.Lock()


def make_handler(source, key, tolerance):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            log = {"type": None, "status": 200}
            try:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                verify(key, self.headers, raw, tolerance)
                try:
                    body = json.loads(raw)
                except ValueError:
                    raise Refusal(400, "TandemValidationError", "invalid_json", "The body is not JSON")
                if not isinstance(body, dict):
                    raise invalid("The body must be a JSON object")
                log["type"] = body.get("type")
                hold = None
                db = source.connect()
                try:
                    if body.get("type") == "load":
                        answer = source.load(db, body)
                    elif body.get("type") == "list":
                        answer = source.list(db, body)
                    elif body.get("type") == "commit":
                        log["clientTxId"] = body.get("clientTxId")
                        answer, log["replay"] = source.commit(db, body)
                        if log["replay"]:
                            source.release_hold(body["clientTxId"])
                        else:
                            hold = source.hold_answer(body["clientTxId"])
                    else:
                        raise invalid(f"Unknown request type {body.get('type')!r}")
                finally:
                    db.close()
                if hold is not None:
                    log["held"] = hold.wait(30)
                self.answer(200, answer, log)
            except Refusal as refusal:
                log["status"] = refusal.status
                log["code"] = refusal.code
                self.answer(refusal.status, refusal.envelope(), log)
            except Exception as error:  # noqa: BLE001 - the envelope must go out whatever happened
                log["status"] = 500
                self.answer(500, {"error": {"type": "TandemError", "code": "internal_error", "message": str(error)}}, log)

        def refuse_method(self):
            self.answer(405, {"error": {"type": "TandemValidationError", "code": "invalid_request", "message": "Use POST"}}, {"status": 405})

        do_GET = do_PUT = do_PATCH = do_DELETE = refuse_method

        def answer(self, status, payload, log):
            data = json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                log["delivered"] = False  # the caller gave up waiting
            with PRINT_LOCK:  # one whole line per request, even with many threads
                sys.stdout.write(json.dumps(log) + "\n")
                sys.stdout.flush()

        def log_message(self, *args):
            pass

    return Handler


def main(argv=None):
    parser = argparse.ArgumentParser(description="A Tandem Data Source on SQLite (stdlib only).")
    parser.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--secret", default=os.environ.get("TANDEM_SOURCE_SECRET"), help="whsec_... (or TANDEM_SOURCE_SECRET)")
    parser.add_argument("--db", default="data-source.db", help="the SQLite file holding the rows")
    parser.add_argument("--tolerance", type=int, default=300, help="largest clock skew accepted, in seconds")
    parser.add_argument("--hold-commits", type=int, default=0, help="fault injection: answer the first N commits only when they are retried")
    args = parser.parse_args(argv)
    if not args.secret:
        parser.error("--secret (or TANDEM_SOURCE_SECRET) is required")
    try:
        key = secret_key(args.secret)
    except ValueError:
        parser.error("--secret must be whsec_ followed by base64")
    source = DataSource(args.db, args.hold_commits)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(source, key, args.tolerance))
    server.daemon_threads = True
    print(f"http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
