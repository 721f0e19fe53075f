"""The errors a request can end in, and the one table of their HTTP statuses.

Each becomes a page (or a redirect) in :mod:`planwatch.web.app`, or a JSON error in
:mod:`planwatch.web.api_v1`. Which status an error answers with is decided here alone, by its
stable ``code`` (:data:`HTTP_STATUS`, read through :func:`http_status`): the pages' errors,
the upload's and the REST API's used to carry a ``status`` each in their own module, and the
API added its own rules for the library's errors beside them, so a status could be changed in
one place and not in another.

What the pages and the API do differently stays different, and is said here: the API answers
the library's errors by their kind (a workflow or lock conflict 409, an unknown object 404),
since a calling system branches on the status; the pages answer every library error with its
Chinese message on a 400 page, since a person reads the message (a missing reason for a
return or an unlock is such a 400, pinned by the page tests). Rendering — HTML or JSON, a
redirect to the login page, ``WWW-Authenticate`` and ``Retry-After`` headers — is each side's.
"""

from __future__ import annotations

from planwatch.errors import PlanwatchError

HTTP_STATUS: dict[str, int] = {
    # the pages' (this module)
    "web": 400,
    "web.login_required": 401,
    "web.password_change_required": 403,
    "web.forbidden": 403,
    "web.not_found": 404,
    "web.bad_request": 400,
    # an upload waiting for the unit's confirmation (planwatch.web.upload_data)
    "web.upload_too_large": 413,
    "web.upload_missing": 409,
    "web.upload_refused": 422,
    # the REST API's (planwatch.web.api_v1.auth)
    "api": 400,
    "api.unauthorized": 401,
    "api.scope": 403,
    "api.forbidden": 403,
    "api.invalid_request": 422,
    "api.not_found": 404,
    "api.conflict": 409,
    "api.rate_limited": 429,
}
"""Every error code the web layer defines → the HTTP status it answers with."""

API_LIBRARY_CONFLICTS = frozenset({"collect.workflow", "collect.locked"})
"""Library errors the API answers with 409: the submission's state does not allow the step."""


def http_status(error: PlanwatchError, *, api: bool = False) -> int:
    """The HTTP status of ``error``: its code's, else (``api``) by kind, else 400."""
    status = HTTP_STATUS.get(error.code)
    if status is not None:
        return status
    if api:
        if error.code in API_LIBRARY_CONFLICTS:
            return 409
        if isinstance(error, LookupError):
            return 404
    return 400


class WebError(PlanwatchError):
    """A refusal of the pages; its status is its code's in :data:`HTTP_STATUS`."""

    code = "web"

    @property
    def status(self) -> int:
        return http_status(self)


class LoginRequired(WebError):
    """No live session: the browser is sent to the login page."""

    code = "web.login_required"


class PasswordChangeRequired(WebError):
    """A first login (or a reset password): nothing but the password page until it is changed."""

    code = "web.password_change_required"


class Forbidden(WebError):
    code = "web.forbidden"


class NotFound(WebError):
    code = "web.not_found"


class BadRequest(WebError):
    code = "web.bad_request"
