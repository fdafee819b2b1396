"""A local HTTP server standing in for an SMS gateway, for the tests (the `sms_gateway`
fixture in the root conftest.py) and the production suite, which stops it and starts it again
on the same port to see the portal deliver every message once the gateway is back."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Gateway:
    """What the gateway saw. `script` holds the answers to give, in order, as (status, seconds
    to wait before answering, JSON body); once it is used up every request gets 200 and
    `{"id": "gw-<n>"}`. Like real gateways it accepts each `reference` once: `delivered` holds
    what reached phones, `received` every request."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    delivered: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: list[tuple[int, float, dict[str, Any]]] = field(default_factory=list)


def _gateway_handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                body: dict[str, Any] = json.loads(raw)
            else:
                body = {k: v[0] for k, v in parse_qs(raw).items()}
            request = {"path": self.path, "body": body, "headers": dict(self.headers)}
            gateway.received.append(request)
            status, delay, answer = gateway.script.pop(0) if gateway.script else (200, 0.0, {})
            reference = body.get("reference") or self.headers.get("I-Twilio-Idempotency-Token")
            if status < 300 and reference not in gateway.delivered:
                gateway.delivered[str(reference)] = request
            answer = answer or {"id": f"gw-{len(gateway.received)}", "sid": "SM" + "0" * 32}
            time.sleep(delay)  # an answer slower than the client waits: accepted, yet timed out
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(answer).encode())
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


class GatewayServer:
    """The gateway on 127.0.0.1, a thread of the test process. `stop()` closes the port (the
    portal then meets "connection refused", as when a gateway is down); `start()` opens the
    same port again, with what was seen so far kept."""

    def __init__(self, port: int = 0) -> None:
        self.gateway = Gateway()
        self.port = port
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _gateway_handler(self.gateway))
        self.port = int(server.server_address[1])
        self.gateway.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
