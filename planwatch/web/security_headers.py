"""Response headers every page carries, and the cookie flags every cookie gets.

A pure ASGI middleware (outermost), so that error pages, static files and the CSRF
middleware's own refusals carry the same headers. The policy allows scripts and styles
from this site only — no inline script or style anywhere — and no framing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000"


def _harden_cookie(value: bytes, secure: bool) -> bytes:
    flags = {part.strip().split("=", 1)[0].lower() for part in value.decode("latin-1").split(";")[1:]}
    if "httponly" not in flags:
        value += b"; HttpOnly"
    if secure and "secure" not in flags:
        value += b"; Secure"
    return value


class SecurityHeadersMiddleware:
    """Adds :data:`HEADERS` (and HSTS behind HTTPS), forbids caching of pages, and makes every
    cookie HttpOnly (and Secure behind HTTPS), whichever layer set it."""

    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure
        # The headers to add, encoded once here rather than on every response: for static files
        # and for everything else (which also forbids caching).
        wanted = dict(HEADERS)
        if secure:
            wanted["strict-transport-security"] = HSTS
        self._static = [(name.encode(), text.encode()) for name, text in wanted.items()]
        self._pages = [*self._static, (b"cache-control", b"no-store")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = self._static if str(scope.get("path", "")).startswith("/static/") else self._pages

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                for name, value in message.get("headers") or []:
                    if name.lower() == b"set-cookie":
                        value = _harden_cookie(value, self.secure)
                    headers.append((name, value))
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in wanted if header[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
