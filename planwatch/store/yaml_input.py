"""Loading YAML that people edit (the catalogue, workspace.yaml), bounded and strict.

``yaml.safe_load`` refuses Python objects but not the rest of what a hostile or careless
file can do: aliases that expand exponentially (a 370-byte file ran 17 minutes at 5 GB),
50,000 nested ``[`` (RecursionError), duplicate keys (the later silently wins, so the edit
someone sees is not the one applied), a file saved as GBK (UnicodeDecodeError). Here:

- the file is at most ``limits.yaml_bytes`` and is read as UTF-8 or, failing that,
  GB18030 (a superset of the GBK Chinese Notepad and WPS save);
- anchors and aliases (``&a`` / ``*a``, and so merge keys) are refused — planwatch never
  writes them and no edit needs them;
- collections nest at most ``limits.yaml_depth`` deep;
- a key given twice in one mapping is refused.

Each refusal is a :class:`YamlInputError` naming line and column.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from planwatch.errors import PlanwatchError
from planwatch.limits import DEFAULT, Limits


class YamlInputError(PlanwatchError, ValueError):
    """A YAML file planwatch will not read; ``place`` is 第 N 行第 M 列 when known."""

    code = "yaml.input"

    def __init__(self, message: str, place: str | None = None) -> None:
        super().__init__(message)
        self.place = place


def _where(mark: Any) -> str | None:
    return f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else None


class _StrictRules(Composer, SafeConstructor, Resolver):
    """The rules of the module docstring, applied as nodes are composed from parser events."""

    max_depth = DEFAULT.yaml_depth
    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            raise YamlInputError(f"不允许使用 YAML 别名（*{event.anchor}）aliases are not allowed",
                                 _where(event.start_mark))
        if getattr(event, "anchor", None):
            raise YamlInputError(f"不允许使用 YAML 锚点（&{event.anchor}）anchors are not allowed",
                                 _where(event.start_mark))
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise YamlInputError(f"嵌套超过 {self.max_depth} 层 nested deeper than {self.max_depth}",
                                     _where(event.start_mark))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key; the base constructor says so
                break
            if first is not None:
                raise YamlInputError(
                    f"键“{key}”重复（第一次在第 {first.line + 1} 行）duplicate key {key!r}",
                    _where(key_node.start_mark),
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


# The events come from libyaml's parser when PyYAML was built with it (its wheels are): it
# scans a catalogue of a few hundred indicators about ten times faster than the pure-Python
# scanner. The nodes are still composed by _StrictRules, so every rule sees every event
# whichever parser made it. _StrictRules comes first: its composer, not CParser's own, builds
# the document.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)

if _CParser is not None:

    class _StrictLoader(_StrictRules, _CParser):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _StrictLoader(_StrictRules, Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


def decode_yaml(data: bytes | str, *, limits: Limits = DEFAULT) -> str:
    """The text of a YAML file: size-checked, UTF-8 (BOM allowed) or GB18030."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > limits.yaml_bytes:
        raise YamlInputError(f"YAML 文件过大（{size} 字节，上限 {limits.yaml_bytes}）file too large")
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise YamlInputError("不是 UTF-8 或 GB18030（GBK）编码的文本，请另存为 UTF-8 (not UTF-8 or GB18030 text)")


class _NotPlain(PlanwatchError):
    """The document is not one :func:`_plain_data` reads; the strict loader decides (never
    reaches a user)."""

    code = "yaml.not_plain"


_STR = "tag:yaml.org,2002:str"
_PLAIN_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)


def _plain_data(loader: Any, max_depth: int) -> Any:
    """The data of a document without tags, anchors, aliases, repeated or complex keys, and
    nested at most ``max_depth`` deep, built straight from the parser's events.

    Such a document is what planwatch writes and what editing it gives; composing it into
    nodes first and then constructing the data from them, event by event through the strict
    rules, was most of a catalogue import's time. Anything else raises :class:`_NotPlain`
    (as does any error on the way), and the strict loader reads the file anew: it alone
    decides what is refused and how, so the answer is always the strict loader's. Scalars are
    resolved and constructed by the same resolver and constructors.
    """
    get_event = loader.get_event
    resolved: dict[tuple[str, Any], str] = {}
    constructors = loader.yaml_constructors

    def scalar(event: Any) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise _NotPlain
        key = (event.value, event.implicit)
        tag = resolved.get(key)
        if tag is None:
            tag = resolved[key] = loader.resolve(ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if tag not in _PLAIN_SCALAR_TAGS:
            raise _NotPlain
        return constructors[tag](loader, ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))

    def node(event: Any, depth: int) -> Any:
        kind = event.__class__
        if kind is ScalarEvent:
            return scalar(event)
        if kind is not MappingStartEvent and kind is not SequenceStartEvent:
            raise _NotPlain
        if event.anchor is not None or event.tag is not None or depth >= max_depth:
            raise _NotPlain
        if kind is SequenceStartEvent:
            items: list[Any] = []
            while (item := get_event()).__class__ is not SequenceEndEvent:
                items.append(node(item, depth + 1))
            return items
        mapping: dict[Any, Any] = {}
        while (key_event := get_event()).__class__ is not MappingEndEvent:
            if key_event.__class__ is not ScalarEvent:
                raise _NotPlain
            key = scalar(key_event)
            if key in mapping:
                raise _NotPlain
            mapping[key] = node(get_event(), depth + 1)
        return mapping

    if get_event().__class__ is not StreamStartEvent or get_event().__class__ is not DocumentStartEvent:
        raise _NotPlain
    data = node(get_event(), 0)
    if get_event().__class__ is not DocumentEndEvent or get_event().__class__ is not StreamEndEvent:
        raise _NotPlain
    return data


def load_yaml(data: bytes | str, *, limits: Limits = DEFAULT) -> Any:
    """The data of one YAML document, under the rules of the module docstring."""
    text = decode_yaml(data, limits=limits)
    if _CParser is not None:
        fast = _StrictLoader(text)
        try:
            return _plain_data(fast, limits.yaml_depth)
        except Exception:  # _NotPlain, or anything the strict loader will report its own way
            pass
        finally:
            fast.dispose()
    loader = _StrictLoader(text)
    loader.max_depth = limits.yaml_depth
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlInputError(f"YAML 格式错误 invalid YAML: {problem}", _where(mark)) from None
    except RecursionError:
        raise YamlInputError("YAML 嵌套过深 nested too deeply") from None
    finally:
        loader.dispose()
