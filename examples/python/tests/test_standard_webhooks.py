"""standard_webhooks: the reference vector, every way a request must fail, and a secret roll."""

import unittest

from tests import helpers  # noqa: F401 - puts the examples on sys.path

from standard_webhooks import WebhookVerificationError, secret_key, sign, signed_headers, verify

# The vector of the Standard Webhooks reference libraries' tests (spec v1.0.0).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
BODY = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
HEADERS = {"webhook-id": MSG_ID, "webhook-timestamp": str(TS), "webhook-signature": SIGNATURE}
DECOYS = ["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="]
OTHER = "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="


def outcome(secret, headers, body=BODY, now=TS):
    try:
        verify(secret, headers, body, now=now)
        return "verified"
    except WebhookVerificationError as e:
        return e.reason


class StandardWebhooksTest(unittest.TestCase):
    def test_reference_vector(self):
        self.assertEqual(sign(SECRET, MSG_ID, TS, BODY), SIGNATURE)
        self.assertEqual(sign(SECRET[len("whsec_"):], MSG_ID, TS, BODY.decode()), SIGNATURE)
        self.assertEqual(signed_headers(SECRET, BODY, MSG_ID, TS), HEADERS)
        self.assertEqual(outcome(SECRET, HEADERS), "verified")
        self.assertEqual(outcome(secret_key(SECRET), HEADERS), "verified")
        mixed = {**HEADERS, "webhook-signature": " ".join([DECOYS[0], DECOYS[1], SIGNATURE])}
        self.assertEqual(outcome(SECRET, mixed), "verified")
        self.assertEqual(outcome(SECRET, {**HEADERS, "webhook-signature": " ".join(DECOYS)}), "invalid_signature")

    def test_header_names_are_case_insensitive(self):
        upper = {k.upper(): v for k, v in HEADERS.items()}
        self.assertEqual(outcome(SECRET, upper), "verified")

    def test_tampered_body_wrong_secret_and_old_or_early_timestamps_fail(self):
        self.assertEqual(outcome(SECRET, HEADERS, b'{"test": 2432232315}'), "invalid_signature")
        self.assertEqual(outcome(OTHER, HEADERS), "invalid_signature")
        self.assertEqual(outcome(SECRET, HEADERS, now=TS + 6 * 60), "timestamp_out_of_range")
        self.assertEqual(outcome(SECRET, HEADERS, now=TS - 6 * 60), "timestamp_out_of_range")
        self.assertEqual(outcome(SECRET, HEADERS, now=TS + 4 * 60), "verified")
        # Re-signed at an old moment with the right secret: still a replay.
        old = signed_headers(SECRET, BODY, MSG_ID, TS - 6 * 60)
        self.assertEqual(outcome(SECRET, old), "timestamp_out_of_range")
        self.assertEqual(outcome(SECRET, {"webhook-id": MSG_ID}), "missing_headers")
        self.assertEqual(outcome(SECRET, {**HEADERS, "webhook-timestamp": "16142e5"}), "invalid_timestamp")
        self.assertEqual(outcome(SECRET, {**HEADERS, "webhook-timestamp": "١٦١٤٢٦٥٣٣٠"}), "invalid_timestamp")

    def test_during_a_roll_either_secret_verifies(self):
        rolled = signed_headers([SECRET, OTHER], BODY, MSG_ID, TS)
        self.assertEqual(len(rolled["webhook-signature"].split(" ")), 2)
        self.assertEqual(outcome(SECRET, rolled), "verified")
        self.assertEqual(outcome(OTHER, rolled), "verified")
        # A receiver may hold both secrets too (it rolls before the sender does).
        self.assertEqual(outcome([OTHER, SECRET], HEADERS), "verified")
        third = "whsec_" + "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="
        self.assertEqual(outcome(third, rolled), "invalid_signature")

    def test_malformed_secrets_are_a_value_error(self):
        self.assertEqual(len(secret_key(SECRET)), 24)
        with self.assertRaisesRegex(ValueError, "whsec_"):
            secret_key("whsec_not base64!")
        with self.assertRaisesRegex(ValueError, "16 bytes"):
            secret_key("whsec_c2hvcnQ=")


if __name__ == "__main__":
    unittest.main()
