"""Every error planwatch raises on purpose belongs to one family with a stable code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import planwatch
from planwatch.errors import PlanwatchError, chinese_part, error_payload


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(planwatch.__path__, "planwatch."):
        if ".migrations." in info.name or info.name.endswith(".migrations"):
            continue
        names.append(info.name)
    return names


def _error_classes() -> list[type[BaseException]]:
    importlib.import_module("planwatch.cli.main")  # command modules import their app from it
    found = []
    for name in _modules():
        module = importlib.import_module(name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == name:
                found.append(obj)
    return found


def test_every_planwatch_exception_is_a_planwatch_error() -> None:
    classes = _error_classes()
    assert len(classes) > 20
    outside = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, PlanwatchError)]
    assert outside == []


def test_codes_are_unique_and_dotted() -> None:
    codes: dict[str, str] = {}
    for cls in _error_classes():
        if cls is PlanwatchError:
            continue
        code = cls.code  # type: ignore[attr-defined]
        assert code != PlanwatchError.code, f"{cls.__name__} has no code of its own"
        assert code == code.lower() and " " not in code
        assert code not in codes, f"{cls.__name__} and {codes[code]} share {code}"
        codes[code] = cls.__name__


def test_old_builtin_bases_still_catch() -> None:
    from planwatch.store.catalogue_loader import LoadError

    with pytest.raises(ValueError):
        raise LoadError("目录无法载入")


def test_payload_shape() -> None:
    from planwatch.store.workspace import WorkspaceExistsError

    err = WorkspaceExistsError("工作区已存在")
    assert error_payload(err) == {"code": "workspace.exists", "message": "工作区已存在", "place": None}


def test_the_exchange_errors_belong_to_the_family() -> None:
    codes = {getattr(c, "code", None) for c in _error_classes()}
    assert {"exchange.sdmx_export", "exchange.structure", "exchange.pull_source", "exchange.pull_locked"} <= codes


@pytest.mark.parametrize(("message", "chinese"), [
    ("工作区数据库版本 0011 早于本程序（0012），请先运行 planwatch upgrade /tmp/ws 升级（建议先备份）"
     "(the database was made by an older planwatch; run planwatch upgrade first)",
     "工作区数据库版本 0011 早于本程序（0012），请先运行 planwatch upgrade /tmp/ws 升级（建议先备份）"),
    ("单位“区妇联”已有2024年度的填报，停用年度应不早于2025年（停用年度是该单位不再填报的第一个数据年度）"
     "retirement year must follow its last report",
     "单位“区妇联”已有2024年度的填报，停用年度应不早于2025年（停用年度是该单位不再填报的第一个数据年度）"),
    ("或先在指标目录中把它们改派给其他单位（catalogue export / import） the unit still reports "
     "indicators or leads targets: name its successor",
     "或先在指标目录中把它们改派给其他单位（catalogue export / import）"),
    # A command, an option or a file name after the Chinese is part of the Chinese message.
    ("submit（报送单位数据）只能授予限定到一个单位的令牌，请指定 --unit",
     "submit（报送单位数据）只能授予限定到一个单位的令牌，请指定 --unit"),
    ("找不到文件 data.xlsx", "找不到文件 data.xlsx"),
    ("no Chinese at all here", "no Chinese at all here"),
])
def test_the_chinese_part_leaves_out_the_english_clause(message: str, chinese: str) -> None:
    assert chinese_part(message) == chinese
    error = PlanwatchError(message)
    assert error.chinese_message == chinese and error.message == message
