"""Tandem's typed errors for Python, rebuilt from the HTTP error envelope.

The same classes and code table as the TypeScript client (core/src/errors/codes.ts; a test
compares the two): branch on `code`, or catch a class.

    {"error": {"type": "TandemClaimedError", "code": "entity_claimed", "message": "...",
               "param": "...", "details": {...}}}
"""

# code -> (class name, HTTP status, retryable): in step with core/src/errors/codes.ts.
ERROR_CODES = {
    "invalid_data": ("TandemValidationError", 400, False),
    "invalid_request": ("TandemValidationError", 400, False),
    "invalid_json": ("TandemValidationError", 400, False),
    "unknown_model": ("TandemValidationError", 400, False),
    "unknown_field": ("TandemValidationError", 400, False),
    "payload_too_large": ("TandemValidationError", 413, False),
    "too_many_operations": ("TandemValidationError", 400, False),
    "stale_context": ("TandemStaleContextError", 409, False),
    "entity_claimed": ("TandemClaimedError", 409, True),
    "claim_lost": ("TandemClaimedError", 409, False),
    "grant_timeout": ("TandemClaimedError", 408, True),
    "queue_too_deep": ("TandemClaimedError", 409, True),
    "too_many_waiting_claims": ("TandemClaimedError", 429, True),
    "claim_conflict": ("TandemClaimedError", 409, True),
    "unauthenticated": ("TandemAuthError", 401, False),
    "forbidden": ("TandemAuthError", 403, False),
    "session_expired": ("TandemAuthError", 401, False),
    "not_found": ("TandemNotFoundError", 404, False),
    "idempotency_key_reused": ("TandemConflictError", 409, False),
    "already_exists": ("TandemConflictError", 409, False),
    "history_compacted": ("TandemConflictError", 409, False),
    "store_locked": ("TandemConflictError", 409, False),
    "rate_limited": ("TandemRateLimitError", 429, True),
    "offline": ("TandemConnectionError", 503, True),
    "timeout": ("TandemConnectionError", 504, True),
    "slow_consumer": ("TandemConnectionError", 503, True),
    "internal_error": ("TandemError", 500, True),
    "source_unavailable": ("TandemError", 503, True),
    "source_timeout": ("TandemError", 504, True),
    "source_invalid_response": ("TandemError", 502, True),
    "source_unauthorized": ("TandemError", 502, False),
}


class TandemError(Exception):
    """Base of every Tandem error: `type` (class name), `code`, `message`, `param`, `details`, `status`, `retryable`."""

    def __init__(self, code, message, param=None, details=None, status=None, retryable=None):
        super().__init__(message)
        if code in ERROR_CODES:
            _, default_status, default_retryable = ERROR_CODES[code]
        else:  # a code newer than this file: judge by the status
            default_status = 500 if status is None else status
            default_retryable = default_status >= 500 or default_status == 429
        self.code = code
        self.message = message
        self.param = param
        self.details = details or {}
        self.status = default_status if status is None else status
        self.retryable = default_retryable if retryable is None else retryable

    @property
    def type(self):
        return type(self).__name__

    def __str__(self):
        return f"{self.status} {self.code}: {self.message}"

    def to_json(self):
        """The envelope's `error` object, as the server sends it."""
        out = {"type": self.type, "code": self.code, "message": self.message}
        if self.param is not None:
            out["param"] = self.param
        if self.details:
            out["details"] = self.details
        return out


class TandemValidationError(TandemError):
    pass


class TandemStaleContextError(TandemError):
    """The row changed after `readAt`: what changed is in `conflicts` ({field, yours, theirs})."""

    @property
    def read_at(self):
        return int(self.details.get("readAt", 0))

    @property
    def current_sync_id(self):
        return int(self.details.get("currentSyncId", 0))

    @property
    def conflicts(self):
        return self.details.get("conflicts", [])


class TandemClaimedError(TandemError):
    """Someone holds the row (`claim` is their ClaimState, for entity_claimed), or our claim ended."""

    @property
    def claim(self):
        return self.details.get("claim")


class TandemAuthError(TandemError):
    pass


class TandemNotFoundError(TandemError):
    pass


class TandemConflictError(TandemError):
    pass


class TandemRateLimitError(TandemError):
    @property
    def retry_after(self):
        """Seconds to wait before the next request (details.retryAfter), if the server said."""
        value = self.details.get("retryAfter")
        return float(value) if value is not None else None


class TandemConnectionError(TandemError):
    pass


ERROR_CLASSES = {cls.__name__: cls for cls in (
    TandemError, TandemValidationError, TandemStaleContextError, TandemClaimedError, TandemAuthError,
    TandemNotFoundError, TandemConflictError, TandemRateLimitError, TandemConnectionError,
)}


def error_from_envelope(status, body):
    """The typed error for an error answer; `body` is the parsed JSON (or anything else: a proxy's page)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        # Not Tandem's envelope (a proxy's 502 page, say): a server-side failure, retryable if 5xx.
        return TandemError("internal_error", f"HTTP {status} without a Tandem error body", status=status, retryable=status >= 500 or status == 429)
    code = error["code"]
    # The class comes from the code table when we know the code, else from the envelope's `type`.
    name = ERROR_CODES[code][0] if code in ERROR_CODES else error.get("type")
    cls = ERROR_CLASSES.get(name, TandemError)
    return cls(code, str(error.get("message", "")), error.get("param"), error.get("details"), status=status)
