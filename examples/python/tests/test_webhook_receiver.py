"""webhook_receiver: stores new events before it answers 2xx, dedupes by event id, refuses bad requests."""

import io
import json
import os
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

from tests import helpers  # noqa: F401 - puts the examples on sys.path

import webhook_receiver
from standard_webhooks import signed_headers

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def event(n):
    return {"id": f"evt_{n}_0", "type": "tasks.created", "model": "tasks", "objectId": f"t{n}", "data": {"id": f"t{n}"}, "syncId": n}


class ReceiverTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.dir.name, "events.jsonl")
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.dir.cleanup()

    def start(self, **kw):
        server = webhook_receiver.serve(SECRET, self.out, **kw)
        self.servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    def post(self, url, payload, headers=None, msg_id="msg_1"):
        body = json.dumps(payload).encode()
        headers = signed_headers(SECRET, body, msg_id) if headers is None else headers
        req = urllib.request.Request(url, data=body, headers={"content-type": "application/json", **headers}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, json.load(res)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def lines(self):
        if not os.path.exists(self.out):
            return []
        with open(self.out, encoding="utf-8") as f:
            return [json.loads(line)["id"] for line in f]

    def test_stores_each_event_once_also_after_a_restart(self):
        url = self.start()
        self.assertEqual(self.post(url, {"data": [event(1), event(2)]}), (200, {"received": 2}))
        self.assertEqual(self.post(url, {"data": [event(2), event(3)]}), (200, {"received": 2}))  # a redelivery, then a new one
        self.assertEqual(self.lines(), ["evt_1_0", "evt_2_0", "evt_3_0"])
        restarted = self.start()  # a new process reads the ids it already has
        self.assertEqual(self.post(restarted, {"data": [event(1), event(4)]})[0], 200)
        self.assertEqual(self.lines(), ["evt_1_0", "evt_2_0", "evt_3_0", "evt_4_0"])

    def test_refuses_bad_signatures_and_bodies(self):
        url = self.start()
        status, body = self.post(url, {"data": [event(1)]}, headers={})
        self.assertEqual((status, body["error"]["code"]), (401, "unauthenticated"))
        other = signed_headers("whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=", b"x", "msg_1")
        self.assertEqual(self.post(url, {"data": [event(1)]}, headers=other)[0], 401)
        self.assertEqual(self.post(url, {"data": "nope"})[0], 400)
        self.assertEqual(self.post(url, {"data": [{"no": "id"}]})[0], 400)
        huge = urllib.request.Request(url, data=b"{}", headers={"content-length": str(webhook_receiver.MAX_BODY_BYTES + 1)}, method="POST")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(huge, timeout=10)
        self.assertEqual(caught.exception.code, 413)
        self.assertFalse(os.path.exists(self.out))

    def test_answers_only_after_the_events_are_on_disk(self):
        order = []
        url = self.start(on_events=lambda events: order.append(("callback", [e["id"] for e in events])))
        handler = self.servers[0].RequestHandlerClass
        store, send_response = handler.store, handler.send_response
        add = store.add
        store.add = lambda events: (order.append(("stored", self.lines())), add(events), order.append(("stored", self.lines())))[1]
        handler.send_response = lambda self_, code, message=None: (order.append(("answered", code)), send_response(self_, code, message))[1]
        self.assertEqual(self.post(url, {"data": [event(1)]})[0], 200)
        self.assertEqual(order[1:], [("stored", ["evt_1_0"]), ("callback", ["evt_1_0"]), ("answered", 200)])

    def test_a_failing_callback_does_not_turn_stored_events_into_a_retry(self):
        def broken(events):
            raise RuntimeError("the worker's queue is gone")

        url = self.start(on_events=broken)
        stderr, sys.stderr = sys.stderr, io.StringIO()  # the traceback goes there
        try:
            self.assertEqual(self.post(url, {"data": [event(1)]})[0], 200)
            self.assertIn("the worker's queue is gone", sys.stderr.getvalue())
        finally:
            sys.stderr = stderr
        self.assertEqual(self.lines(), ["evt_1_0"])

    def test_a_failed_write_is_not_a_2xx_and_the_retry_is_stored(self):
        url = self.start()
        store = self.servers[0].RequestHandlerClass.store
        real_fsync = os.fsync

        def broken(fd):
            raise OSError(28, "No space left on device")

        webhook_receiver.os.fsync = broken
        try:
            status, body = self.post(url, {"data": [event(1)]})
        finally:
            webhook_receiver.os.fsync = real_fsync
        self.assertEqual((status, body["error"]["code"]), (500, "internal_error"))
        self.assertNotIn("evt_1_0", store.seen)
        self.assertEqual(self.post(url, {"data": [event(1)]})[0], 200)
        self.assertEqual(self.lines(), ["evt_1_0"])


if __name__ == "__main__":
    unittest.main()
