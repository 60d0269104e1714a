"""tandem_client against a scripted server: retries keep the idempotency key; what is not retried."""

import unittest

from tests.helpers import FakeServer

import tandem_client as tc

COMMIT = {"object": "commit", "syncId": 7, "stale": False, "rows": [{"id": "t1"}]}


def err(code, status, **extra):
    return (status, {"error": {"type": tc.ERROR_CODES[code][0], "code": code, "message": code, **extra}})


class ClientTest(unittest.TestCase):
    def client(self, *answers):
        self.server = FakeServer(answers)
        self.addCleanup(self.server.close)
        return tc.Tandem(self.server.url, "sk_test", participant={"kind": "agent", "name": "py"}, backoff=0.01)

    def test_a_retried_commit_sends_the_same_idempotency_key(self):
        tandem = self.client(err("internal_error", 500), (429, {"error": {"type": "TandemRateLimitError", "code": "rate_limited", "message": "slow"}}, {"Retry-After": "0.01"}), (200, COMMIT), (200, COMMIT))
        ops = [tc.update("tasks", "t1", {"status": "done"}, read_at=3, on_stale="reject")]
        self.assertEqual(tandem.commit(ops, claim_token="ct_1"), COMMIT)
        keys = [r["headers"]["Idempotency-Key"] for r in self.server.requests]
        self.assertEqual(len(keys), 3)
        self.assertEqual(len(set(keys)), 1)
        first = self.server.requests[0]
        self.assertEqual(first["body"], {"operations": [{"op": "update", "model": "tasks", "id": "t1", "data": {"status": "done"}, "readAt": 3, "onStale": "reject"}], "claimToken": "ct_1"})
        self.assertEqual((first["headers"]["Authorization"], first["headers"]["Tandem-Participant-Name"]), ("Bearer sk_test", "py"))
        tandem.commit(ops)
        self.assertNotEqual(self.server.requests[-1]["headers"]["Idempotency-Key"], keys[0])  # a new call, a new key

    def test_errors_that_are_not_retryable_raise_at_once(self):
        tandem = self.client(err("stale_context", 409, details={"readAt": 1, "currentSyncId": 2, "conflicts": []}))
        with self.assertRaises(tc.TandemStaleContextError) as caught:
            tandem.commit([tc.update("tasks", "t1", {"notes": "x"}, read_at=1)])
        self.assertEqual((caught.exception.code, caught.exception.current_sync_id), ("stale_context", 2))
        self.assertEqual(len(self.server.requests), 1)

    def test_claim_codes_are_the_callers_to_wait_on_and_a_claim_is_not_repeated_after_a_server_error(self):
        held = {"claim": {"heldBy": {"kind": "human", "name": "ada"}}}
        tandem = self.client(err("entity_claimed", 409, details=held), err("entity_claimed", 409, details=held), err("internal_error", 500))
        with self.assertRaises(tc.TandemClaimedError) as caught:
            tandem.retrieve("tasks", "t1", if_claimed="fail")  # a read, safe to repeat, but waiting is the caller's call
        self.assertTrue(caught.exception.retryable)
        self.assertEqual(caught.exception.claim["heldBy"]["name"], "ada")
        self.assertEqual(self.server.requests[0]["path"], "/v1/models/tasks/t1?ifClaimed=fail")
        with self.assertRaises(tc.TandemClaimedError):
            tandem.claim("tasks", "t1", wait=False)
        with self.assertRaises(tc.TandemError):
            tandem.claim("tasks", "t1", ttl="60s")  # the 500 may hide a granted claim: not sent again
        self.assertEqual(len(self.server.requests), 3)

    def test_gives_up_after_the_retries(self):
        tandem = self.client(*[err("internal_error", 500)] * 5)
        with self.assertRaises(tc.TandemError) as caught:
            tandem.retrieve("tasks", "t1")
        self.assertEqual(caught.exception.code, "internal_error")
        self.assertEqual(len(self.server.requests), 4)  # the first try and 3 retries

    def test_an_unreachable_server_is_a_connection_error(self):
        tandem = tc.Tandem("http://127.0.0.1:9", "sk_test", retries=0)
        with self.assertRaises(tc.TandemConnectionError) as caught:
            tandem.list("tasks")
        self.assertEqual((caught.exception.code, caught.exception.retryable), ("offline", True))

    def test_list_and_claims_query_strings(self):
        tandem = self.client((200, {"object": "list", "data": [{"id": "a"}], "hasMore": True, "nextCursor": "c1"}), (200, {"object": "list", "data": [{"id": "b"}], "hasMore": False, "nextCursor": None}))
        self.assertEqual([r["id"] for r in tandem.list_all("tasks", where={"status": "todo"}, page_size=1)], ["a", "b"])
        self.assertEqual(self.server.requests[0]["path"], "/v1/models/tasks?where=%7B%22status%22%3A+%22todo%22%7D&limit=1")
        self.assertTrue(self.server.requests[1]["path"].endswith("&limit=1&cursor=c1"))

    def test_a_claim_in_with_heartbeats_notices_when_it_is_lost_and_releases(self):
        state = {"id": "clm_1", "status": "active", "token": "ct_clm_1.1.x", "data": {"id": "t1", "syncId": 4}}
        tandem = self.client((200, state), (200, {**state, "expiresAt": "later"}), err("claim_lost", 409), err("claim_lost", 409))
        with tandem.claim("tasks", "t1", action="summarizing", ttl=90) as claim:  # a beat every 30 ms
            self.assertEqual((claim.id, claim.token, claim.data["syncId"]), ("clm_1", "ct_clm_1.1.x", 4))
            self.assertTrue(claim.lost.wait(10))  # the second heartbeat hears claim_lost
        paths = [(r["method"], r["path"]) for r in self.server.requests]
        self.assertEqual(paths, [("POST", "/v1/claims"), ("POST", "/v1/claims/clm_1/heartbeat"), ("POST", "/v1/claims/clm_1/heartbeat"), ("DELETE", "/v1/claims/clm_1")])
        self.assertEqual(self.server.requests[0]["body"], {"model": "tasks", "id": "t1", "action": "summarizing", "ttl": 90})

    def test_the_change_feed_moves_its_cursor_per_entry_and_follows_a_resync(self):
        entry = lambda n: {"syncId": n, "changes": []}  # noqa: E731
        resyncs = []
        tandem = self.client(
            (200, {"object": "list", "data": [entry(1), entry(2)], "hasMore": True, "cursor": 2, "syncId": 9}),
            (200, {"object": "list", "data": [], "hasMore": False, "cursor": 9, "syncId": 9, "resync": True}),
            (200, {"object": "list", "data": [entry(10)], "hasMore": False, "cursor": 10, "syncId": 10}),
            (200, {"object": "list", "data": [], "hasMore": False, "cursor": 10, "syncId": 10}),
        )
        feed = tandem.changes(after=0, wait=0, stop_when_idle=True, on_resync=resyncs.append)
        got = []
        for e in feed:
            got.append((e["syncId"], feed.cursor))
        self.assertEqual(got, [(1, 1), (2, 2), (10, 10)])
        self.assertEqual((resyncs, feed.cursor), ([9], 10))
        afters = [r["path"].split("after=")[1].split("&")[0] for r in self.server.requests]
        self.assertEqual(afters, ["0", "2", "9", "10"])

    def test_durations(self):
        self.assertEqual([tc.duration_ms(v) for v in (250, "500ms", "90s", "2m", "1h")], [250, 500, 90_000, 120_000, 3_600_000])
        with self.assertRaises(ValueError):
            tc.duration_ms("soon")


if __name__ == "__main__":
    unittest.main()
