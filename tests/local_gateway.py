"""A real HTTP server on 127.0.0.1 for the channel backends' tests (an SMS gateway, a group robot's webhook): no mock
of the HTTP client. Each POST takes the next scripted answer (a status, or "hang" to answer after the client's
timeout has passed) and is kept with its JSON body."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG_SECONDS = 0.6  # longer than the tests' CHANNEL_TIMEOUT (0.2 s)


@dataclass
class Gateway:
    url: str
    script: list[Any] = field(default_factory=list)  # answers still to give: 200, 500, "hang", (200, {"errcode": 0})
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *answers: Any) -> None:
        with self.lock:
            self.script[:] = list(answers)
            self.received.clear()

    def _next(self, body: dict[str, Any], path: str) -> Any:
        with self.lock:
            self.received.append({"path": path, **body})
            return self.script.pop(0) if self.script else 200


def serve() -> Iterator[Gateway]:
    """Start the server in a thread; yields the Gateway; stops it on exit."""
    gateway: Gateway

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            answer = gateway._next(body, self.path)
            if answer == "hang":
                time.sleep(HANG_SECONDS)
                answer = 200
            status, payload = answer if isinstance(answer, tuple) else (answer, {"errcode": 0})
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (its timeout): nothing to answer
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gateway = Gateway(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
