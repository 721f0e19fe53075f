"""One table decides the HTTP status of every error the web layer raises or answers.

The pages' errors, the upload's and the REST API's each used to carry their own ``status``
in their own module; these tests keep the statuses in :data:`planwatch.web.errors.HTTP_STATUS`
and pin where the pages and the API differ on purpose.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import planwatch.web
from planwatch.areas import UnknownAreaError
from planwatch.collect.importer import LockedError
from planwatch.collect.workflow import WorkflowError
from planwatch.errors import PlanwatchError
from planwatch.web.api_v1.auth import ApiError, ApiNotFound, RateLimited, Unauthorized, error_response
from planwatch.web.errors import HTTP_STATUS, NotFound, WebError, http_status
from planwatch.web.upload_data import NoPendingUpload, UploadRefused, UploadTooLarge


def _web_error_classes() -> list[type[PlanwatchError]]:
    found: list[type[PlanwatchError]] = []
    for info in pkgutil.walk_packages(planwatch.web.__path__, "planwatch.web."):
        module = importlib.import_module(info.name)
        found += [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, WebError | ApiError) and c.__module__ == info.name]
    return found


def test_every_web_and_api_error_has_its_status_in_the_table() -> None:
    classes = _web_error_classes()
    assert len(classes) >= 17  # 6 pages', 3 upload's, 8 API's
    missing = [f"{c.__module__}.{c.__name__} ({c.code})" for c in classes if c.code not in HTTP_STATUS]
    assert missing == []


def test_no_error_class_sets_a_status_of_its_own() -> None:
    """A ``status = 404`` in a class body would be a second place deciding a status."""
    own = [f"{c.__module__}.{c.__name__}" for c in _web_error_classes()
           if isinstance(c.__dict__.get("status"), int)]
    assert own == []


@pytest.mark.parametrize(("error", "status"), [
    (NotFound("没有这个地区"), 404),
    (UploadTooLarge("文件过大"), 413),
    (NoPendingUpload("没有待确认的上传"), 409),
    (UploadRefused("未通过校验"), 422),
    (Unauthorized("API 令牌无效"), 401),
    (ApiNotFound("没有此对象"), 404),
    (RateLimited(5), 429),
])
def test_the_statuses_are_what_they_were(error: PlanwatchError, status: int) -> None:
    assert http_status(error) == http_status(error, api=True) == status
    assert error.status == status  # type: ignore[attr-defined]


@pytest.mark.parametrize(("error", "api", "pages"), [
    (WorkflowError("退回须填写原因"), 409, 400),
    (LockedError(3), 409, 400),
    (UnknownAreaError("没有这个地区"), 404, 400),
    (PlanwatchError("其他错误"), 400, 400),
])
def test_library_errors_the_api_answers_by_kind_and_the_pages_with_400(
    error: PlanwatchError, api: int, pages: int
) -> None:
    assert (http_status(error, api=True), http_status(error)) == (api, pages)


def test_the_api_answer_keeps_shape_status_and_headers() -> None:
    response = error_response(RateLimited(7))
    assert response.status_code == 429 and response.headers["retry-after"] == "7"
    assert response.body.decode() == '{"code":"api.rate_limited","message":"请求过于频繁，请 7 秒后再试","place":null}'
    assert error_response(WorkflowError("不能审定"), 422).status_code == 422  # a route may name its own
