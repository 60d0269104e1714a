"""A granted claim, for tandem_client: its token, the row at the grant, a heartbeat thread in `with`."""

import threading

from tandem_errors import TandemClaimedError, TandemError


class Claim:
    """A granted claim: `id`, `token` (send it as commit(claim_token=...)), `data` (the row at the grant), `state`."""

    def __init__(self, client, answer, ttl_ms):
        self.client = client
        self.state = answer
        self.id = answer["id"]
        self.token = answer["token"]
        self.data = answer.get("data")
        self.ttl_ms = ttl_ms
        self.lost = threading.Event()  # set when a heartbeat learns the claim ended (stop, discard the work)
        self._stop = threading.Event()
        self._thread = None

    def heartbeat(self):
        try:
            self.state = self.client.heartbeat(self.id)
        except TandemClaimedError as e:
            if e.code == "claim_lost":
                self.lost.set()
            raise
        return self.state

    def release(self):
        """Release (or leave the line); a claim that already ended is not an error here."""
        try:
            self.state = self.client.release(self.id)
        except TandemClaimedError as e:
            if e.code != "claim_lost":
                raise
            self.lost.set()
        return self.state

    def __enter__(self):
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat {self.id}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self._stop.set()
        self._thread.join()
        try:
            self.release()
        except TandemError:
            if exc_type is None:
                raise
            # Already failing: keep that error; the claim lapses with its lease.

    def _beat(self):
        # Every third of the lease: a missed beat or two (a network blip) still leaves time.
        while not self._stop.wait(max(self.ttl_ms / 3000, 0.05)):
            try:
                self.heartbeat()
            except TandemClaimedError:
                return
            except TandemError:
                continue
