"""The web application's settings: the ``web:`` section of workspace.yaml, and its secret.

```yaml
web:
  secure_cookies: true     # behind HTTPS (a reverse proxy): cookies carry Secure, and HSTS is sent
  idle_minutes: 30         # a session ends after this long without a request
  api_calls_per_minute: 120  # REST API: each token's calls are refilled at this rate …
  api_burst: 60            # … up to this many at once; beyond, 429 with Retry-After
```

The CSRF signing secret must be the same for every worker and survive restarts, so it is
read from ``PLANWATCH_WEB_SECRET`` or, failing that, from ``web-secret.key`` in the
workspace folder, created on first use readable by its owner only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planwatch.errors import PlanwatchError

SECRET_ENV = "PLANWATCH_WEB_SECRET"
SECRET_FILE = "web-secret.key"


class WebSettingsError(PlanwatchError, ValueError):
    code = "web.settings"


class WebSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secure_cookies: bool = Field(default=False, description="Secure cookies and HSTS (behind HTTPS)")
    idle_minutes: int = Field(default=30, ge=1, le=30, description="空闲超时（分钟），等保要求不超过 30")
    api_calls_per_minute: int = Field(default=120, ge=1, le=100_000, description="每个 API 令牌每分钟可调用次数")
    api_burst: int = Field(default=60, ge=1, le=100_000, description="每个 API 令牌可连续调用的次数")

    @classmethod
    def from_workspace_extra(cls, extra: dict[str, Any] | None) -> WebSettings:
        section = (extra or {}).get("web") or {}
        try:
            return cls.model_validate(section)
        except ValidationError as exc:
            details = "；".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise WebSettingsError(f"workspace.yaml 的 web 配置无效：{details}") from None


def load_secret(workspace_dir: Path) -> str:
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env
    file = workspace_dir / SECRET_FILE
    if file.is_file():
        return file.read_text(encoding="ascii").strip()
    secret = secrets.token_urlsafe(48)
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first: use theirs
        return file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    return secret
