"""The test clients' HTTP requests, each sent to the application in one call to the event loop.

Starlette's TestClient hands every HTTP request to the application's event loop in about nine
separate calls from the test's thread (two events, a body stream, a cancel scope, the task, its
wait, each body chunk, the end of the body, the close), each a thread hop of about 0.15 ms of
CPU: a millisecond and more per request, most of what a cheap page or a refusal costs. Here the
request runs to its end inside one call and the response comes back whole. What the
application sees is the same (the scope Starlette builds, the body, then a disconnect once the
response is complete), and so is what the test sees: status, headers, body, trailers, the
template debug information, and the application's exception when it raises (a bare 500 when
the client was made with ``raise_server_exceptions=False``). WebSocket requests keep Starlette's
own way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import GeneratorType
from typing import Any
from urllib.parse import unquote

import anyio
from starlette import testclient
from starlette.testclient import _TestClientTransport
from starlette.types import ASGIApp, Message

httpx = testclient.httpx


@dataclass
class _Answer:
    """What the application sent for one request."""

    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: list[bytes] = field(default_factory=list)
    trailers_expected: bool = False
    trailers: list[tuple[bytes, bytes]] = field(default_factory=list)
    debug: dict[str, Any] | None = None
    error: Exception | None = None


def _scope(transport: _TestClientTransport, request: Any) -> dict[str, Any]:
    """The scope exactly as Starlette's transport builds it for an HTTP request."""
    url = request.url
    port = url.port if url.port is not None else {"http": 80, "https": 443}[url.scheme]
    headers: list[tuple[bytes, bytes]] = [] if "host" in request.headers else [(b"host", url.netloc)]
    headers += [(key.lower().encode(), value.encode()) for key, value in request.headers.multi_items()]
    return {
        "type": "http",
        "http_version": "1.1",
        "method": request.method,
        "path": unquote(url.path),
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "root_path": transport.root_path,
        "scheme": url.scheme,
        "query_string": url.query.decode(encoding="ascii").encode(),
        "headers": headers,
        "client": transport.client,
        "server": [url.raw_host.decode(encoding="ascii"), port],
        "extensions": {"http.response.debug": {}, "http.response.trailers": {}},
        "state": transport.app_state.copy(),
    }


async def _exchange(app: ASGIApp, scope: dict[str, Any], request: Any) -> _Answer:
    answer = _Answer()
    complete = anyio.Event()
    request_complete = False
    body_complete = False

    async def receive() -> Message:
        nonlocal request_complete
        if request_complete:
            if not complete.is_set():
                await complete.wait()
            return {"type": "http.disconnect"}
        body = request.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif body is None:
            body = b""
        elif isinstance(body, GeneratorType):
            try:
                chunk = body.send(None)
                if isinstance(chunk, str):
                    chunk = chunk.encode("utf-8")
                return {"type": "http.request", "body": chunk, "more_body": True}
            except StopIteration:
                request_complete = True
                return {"type": "http.request", "body": b""}
        request_complete = True
        return {"type": "http.request", "body": body}

    async def send(message: Message) -> None:
        nonlocal body_complete
        if message["type"] == "http.response.start":
            assert answer.status is None, 'Received multiple "http.response.start" messages.'
            answer.status = message["status"]
            answer.headers = [(key.decode(), value.decode()) for key, value in message.get("headers", [])]
            answer.trailers_expected = message.get("trailers", False)
        elif message["type"] == "http.response.body":
            assert answer.status is not None, 'Received "http.response.body" without "http.response.start".'
            assert not complete.is_set(), 'Received "http.response.body" after response completed.'
            assert not body_complete, 'Received "http.response.body" after body completed.'
            answer.body.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                body_complete = True
                if not answer.trailers_expected:
                    complete.set()
        elif message["type"] == "http.response.trailers":
            assert answer.trailers_expected, 'Received "http.response.trailers" without declaring trailers.'
            assert body_complete, 'Received "http.response.trailers" before body completed.'
            assert not complete.is_set(), 'Received "http.response.trailers" after response completed.'
            answer.trailers.extend(message.get("headers", []))
            if not message.get("more_trailers", False):
                complete.set()
        elif message["type"] == "http.response.debug":
            answer.debug = message["info"]

    try:
        await app(scope, receive, send)
    except Exception as exc:
        answer.error = exc
    return answer


_starlette_handle_request: Callable[[_TestClientTransport, Any], Any] = _TestClientTransport.handle_request


def handle_request(self: _TestClientTransport, request: Any) -> Any:
    """Drop-in for ``_TestClientTransport.handle_request`` (see the module's docstring)."""
    if request.url.scheme in {"ws", "wss"}:
        return _starlette_handle_request(self, request)
    scope = _scope(self, request)
    with self.portal_factory() as portal:
        answer = portal.call(_exchange, self.app, scope, request)
    if answer.error is not None and self.raise_server_exceptions:
        raise answer.error
    if answer.status is None:
        if self.raise_server_exceptions:
            raise AssertionError("TestClient did not receive any response.")
        return httpx.Response(status_code=500, headers=[], stream=httpx.ByteStream(b""), request=request)
    body = b"" if request.method == "HEAD" else b"".join(answer.body)
    response = httpx.Response(status_code=answer.status, headers=answer.headers, stream=httpx.ByteStream(body),
                              request=request)
    if answer.trailers_expected:
        response.extensions["http.response.trailers"] = answer.trailers
    if answer.debug is not None:
        response.extensions["http.response.debug"] = answer.debug
        if "template" in answer.debug:
            response.template = answer.debug["template"]  # type: ignore[attr-defined]
        if "context" in answer.debug:
            response.context = answer.debug["context"]  # type: ignore[attr-defined]
    return response
