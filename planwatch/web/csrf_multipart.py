"""asgi-csrf 0.11 with python-multipart 0.0.13 and later: a multipart body (a file upload)
otherwise fails with a TypeError before any route runs.

asgi-csrf reads a multipart body only up to the ``csrftoken`` field and refuses a file that
comes before it, by handing the parser a file class that raises on its first write. Newer
python-multipart takes no such class (``FileClass``). The parser below accepts it again and
keeps the rule: when a part with a file name begins, that class is made and written to, which
raises exactly as asgi-csrf expects, so a file before the token is still refused (403).
"""

from __future__ import annotations

from typing import Any

import asgi_csrf
from python_multipart import FormParser
from python_multipart.multipart import MultipartParser, parse_options_header


class CompatFormParser(FormParser):
    def __init__(self, *args: Any, FileClass: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parser = self.parser
        if FileClass is None or not isinstance(parser, MultipartParser):
            return
        callbacks: Any = parser.callbacks
        names: list[bytes] = []
        values: list[bytes] = []
        disposition: list[bytes] = []
        on_field, on_value = callbacks.get("on_header_field"), callbacks.get("on_header_value")
        on_end, on_finished = callbacks.get("on_header_end"), callbacks.get("on_headers_finished")

        def header_field(data: bytes, start: int, end: int) -> None:
            names.append(data[start:end])
            if on_field:
                on_field(data, start, end)

        def header_value(data: bytes, start: int, end: int) -> None:
            values.append(data[start:end])
            if on_value:
                on_value(data, start, end)

        def header_end() -> None:
            if b"".join(names).lower() == b"content-disposition":
                disposition[:] = [b"".join(values).strip(b" \t")]
            names.clear()
            values.clear()
            if on_end:
                on_end()

        def headers_finished() -> None:
            _, options = parse_options_header(disposition[0] if disposition else b"")
            disposition.clear()
            if options.get(b"filename") is not None:
                FileClass(options.get(b"filename"), options.get(b"name"), {}).write(b"")
            if on_finished:
                on_finished()

        callbacks.update(on_header_field=header_field, on_header_value=header_value, on_header_end=header_end,
                         on_headers_finished=headers_finished)


def install() -> None:
    """Let asgi-csrf use the parser above (idempotent)."""
    asgi_csrf.FormParser = CompatFormParser
