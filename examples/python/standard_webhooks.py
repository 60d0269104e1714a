"""Standard Webhooks signatures with hmac/hashlib (Python 3.11 standard library only).

Tandem signs its webhook deliveries and its Data Source requests the same way:

    webhook-id:        msg_... (the same on every retry of one message)
    webhook-timestamp: unix seconds of this attempt
    webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">  (space-separated
                       list: while a secret is rolled, one signature per secret)

The HMAC key is the base64-decoded part of the `whsec_<base64>` secret, never its text.
`verify()` is what a receiver calls on the raw body bytes, before parsing them.
"""

import base64
import binascii
import hashlib
import hmac
import re
import time

TOLERANCE_SECONDS = 300  # the Standard Webhooks replay window: 5 minutes either way

_PREFIX = "whsec_"


class WebhookVerificationError(Exception):
    """A request that must be refused (401). `reason` mirrors the TypeScript VerificationFailure."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason  # missing_headers | invalid_timestamp | timestamp_out_of_range | invalid_signature


def secret_key(secret):
    """The HMAC key of a `whsec_<base64>` secret (bytes pass through). A malformed secret is a ValueError."""
    if isinstance(secret, (bytes, bytearray)):
        return bytes(secret)
    encoded = secret[len(_PREFIX):] if secret.startswith(_PREFIX) else secret
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise ValueError('A signing secret must be "whsec_" followed by base64') from None
    if len(key) < 16:
        raise ValueError(f"A signing secret must hold at least 16 bytes (got {len(key)})")
    return key


def _as_bytes(body):
    return body.encode() if isinstance(body, str) else bytes(body)


def sign(secret, msg_id, timestamp, body):
    """`v1,<base64>` for one message (what a sender puts in webhook-signature)."""
    content = f"{msg_id}.{int(timestamp)}.".encode() + _as_bytes(body)
    mac = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secrets, body, msg_id, timestamp=None):
    """The three headers of one signed POST; several secrets (a roll) give one signature each."""
    ts = int(time.time() if timestamp is None else timestamp)
    secrets = [secrets] if isinstance(secrets, (str, bytes)) else list(secrets)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": " ".join(sign(s, msg_id, ts, body) for s in secrets),
    }


def _header(headers, name):
    get = getattr(headers, "get", None)
    value = get(name) if get else None  # http.server's headers look names up case-insensitively
    if value is None and isinstance(headers, dict):
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value


def verify(secret, headers, body, tolerance=TOLERANCE_SECONDS, now=None):
    """Check the signature headers of a raw body; raise WebhookVerificationError if they do not hold.

    `secret` is a `whsec_` secret, its key bytes, or a list of them (a receiver that holds both
    secrets during a roll). Any `v1` signature of the header matching any secret passes.
    """
    keys = [secret_key(s) for s in ([secret] if isinstance(secret, (str, bytes, bytearray)) else secret)]
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing_headers", "Missing webhook-id, webhook-timestamp or webhook-signature header")
    if not re.fullmatch(r"[0-9]+", timestamp):
        raise WebhookVerificationError("invalid_timestamp", "webhook-timestamp must be unix seconds")
    if abs(int(time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise WebhookVerificationError("timestamp_out_of_range", f"webhook-timestamp is too old or too far in the future (more than {tolerance} s from now)")
    content = f"{msg_id}.{timestamp}.".encode() + _as_bytes(body)
    expected = [base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()) for key in keys]
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version != "v1":
            continue  # other schemes (v1a, v2, ...) are not ours to check
        # compare_digest over every expected value: the time taken does not tell which bytes matched.
        if any(hmac.compare_digest(value.encode(), e) for e in expected):
            return
    raise WebhookVerificationError("invalid_signature", "No webhook-signature matches")
