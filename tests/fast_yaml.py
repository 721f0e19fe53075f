"""``yaml.safe_load`` and ``yaml.safe_dump`` on libyaml, for tests that turn catalogues into data and back.

The catalogue tests read each export and write each edit: with PyYAML's pure-Python scanner
and emitter that was a quarter of their CPU time. libyaml gives the same data (what the tests
compare); the production code under test reads YAML through its own strict loader.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)


def safe_dump(data: Any, **options: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, **options)  # type: ignore[no-any-return]
