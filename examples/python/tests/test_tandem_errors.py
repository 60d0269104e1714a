"""tandem_errors: every envelope becomes the typed error of its code, with the TypeScript fields."""

import unittest

from tests import helpers  # noqa: F401 - puts the examples on sys.path

import tandem_errors as te


def envelope(code, **extra):
    return {"error": {"type": te.ERROR_CODES[code][0], "code": code, "message": f"a {code}", **extra}}


class ErrorsTest(unittest.TestCase):
    def test_every_code_rebuilds_its_class_status_and_retryable(self):
        for code, (name, status, retryable) in te.ERROR_CODES.items():
            with self.subTest(code=code):
                e = te.error_from_envelope(status, envelope(code))
                self.assertIs(type(e), te.ERROR_CLASSES[name])
                self.assertIsInstance(e, te.TandemError)
                self.assertEqual((e.type, e.code, e.status, e.retryable, e.message), (name, code, status, retryable, f"a {code}"))

    def test_stale_context_details(self):
        conflicts = [{"field": "title", "yours": None, "theirs": "New title"}]
        e = te.error_from_envelope(409, envelope("stale_context", details={"readAt": 3, "currentSyncId": 5, "conflicts": conflicts}))
        self.assertIsInstance(e, te.TandemStaleContextError)
        self.assertEqual((e.read_at, e.current_sync_id, e.conflicts), (3, 5, conflicts))

    def test_entity_claimed_names_the_holder(self):
        holder = {"id": "clm_1", "heldBy": {"kind": "human", "name": "ada"}, "action": "editing"}
        e = te.error_from_envelope(409, envelope("entity_claimed", param="id", details={"claim": holder}))
        self.assertIsInstance(e, te.TandemClaimedError)
        self.assertEqual((e.claim, e.param, e.retryable), (holder, "id", True))
        self.assertEqual(e.to_json(), {"type": "TandemClaimedError", "code": "entity_claimed", "message": "a entity_claimed", "param": "id", "details": {"claim": holder}})
        self.assertEqual(str(e), "409 entity_claimed: a entity_claimed")

    def test_rate_limited_says_when_to_come_back(self):
        e = te.error_from_envelope(429, envelope("rate_limited", details={"retryAfter": 2}))
        self.assertIsInstance(e, te.TandemRateLimitError)
        self.assertEqual(e.retry_after, 2.0)

    def test_unknown_codes_and_foreign_bodies(self):
        newer = te.error_from_envelope(409, {"error": {"type": "TandemConflictError", "code": "brand_new", "message": "m"}})
        self.assertIsInstance(newer, te.TandemConflictError)
        self.assertEqual((newer.status, newer.retryable), (409, False))
        proxy = te.error_from_envelope(502, "<html>Bad gateway</html>")
        self.assertEqual((type(proxy), proxy.code, proxy.status, proxy.retryable), (te.TandemError, "internal_error", 502, True))
        self.assertFalse(te.error_from_envelope(404, None).retryable)


if __name__ == "__main__":
    unittest.main()
