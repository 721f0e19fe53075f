"""The errors a request can end in; each becomes a page (or a redirect) in :mod:`planwatch.web.app`."""

from __future__ import annotations

from planwatch.errors import PlanwatchError


class WebError(PlanwatchError):
    code = "web"
    status = 400


class LoginRequired(WebError):
    """No live session: the browser is sent to the login page."""

    code = "web.login_required"
    status = 401


class PasswordChangeRequired(WebError):
    """A first login (or a reset password): nothing but the password page until it is changed."""

    code = "web.password_change_required"
    status = 403


class Forbidden(WebError):
    code = "web.forbidden"
    status = 403


class NotFound(WebError):
    code = "web.not_found"
    status = 404


class BadRequest(WebError):
    code = "web.bad_request"
    status = 400
