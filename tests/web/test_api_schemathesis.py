"""Schemathesis against the API's own OpenAPI document: generated requests, valid and not,
for every operation, called with a unit's token and with an office's token. No answer may be
a server error, and every answer must match the document (status, content type, body).

Bounded so that it stays a test of the suite: a few derandomized examples per operation.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from api_support import API, make_token
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from web_support import Site

from planwatch.web.tokens import RateLimiter

# Schemathesis' pytest plugin is loaded by this file alone (pyproject's addopts turn off its
# automatic loading): it imports schemathesis and Hypothesis, about half a second of CPU, in
# every pytest process, the xdist controller included, which runs no test.
pytest_plugins = ["schemathesis.pytest.plugin"]

EXAMPLES = {"GET /assessment": 3, "GET /warnings": 3}
"""Examples per operation (4 unless named): an assessment of another year or method takes a second or two."""
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def tokens(site: Site) -> dict[str, str]:
    site.client().app.state.api_v1.state.api_limiter = RateLimiter(per_minute=10**6, burst=10**6)  # type: ignore[attr-defined]
    return {
        "unit": make_token(site, "fuzz-unit", ["read", "submit"], unit="区卫生健康局"),
        "office": make_token(site, "fuzz-office", ["read", "review"]),
    }


@pytest.fixture(scope="module")
def api_schema(site: Site) -> Any:
    return schemathesis.openapi.from_asgi(f"{API}/openapi.json", site.client().app)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_answers_as_documented(api_schema: Any, tokens: dict[str, str], mode: GenerationMode) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 11
    # Requests the schema allows are tried with both tokens (what one may do the other may not);
    # requests it forbids are refused before any token matters, so one token tries them.
    secrets = list(tokens.values()) if mode == GenerationMode.POSITIVE else [tokens["office"]]
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES.get(operation.label, 4), deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def calls(case: Any) -> None:
            for secret in secrets:
                case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        try:
            calls()
        except Unsatisfiable:  # an operation without parameters has no invalid request to make
            assert mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()), operation.label
