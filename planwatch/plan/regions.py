"""Naming a plan's region in full (枣庄市山亭区, not just 山亭区).

District governments sign as "山亭区人民政府", so the issuer alone is ambiguous (many cities
have a 市中区). A district plan always follows its city's plan and cites it
("按照《枣庄市“十四五”妇女发展规划》"), so the city is read from those citations.
"""

from __future__ import annotations

import re
from collections import Counter

_CITED_CITY = re.compile(r"《(?:[^《》]{0,6}省)?(?P<city>[^《》\s“”、，。]{2,4}?市)(?:“|[^《》]{0,12}规划|国民经济)")


def full_region(name: str | None, lines: list[str]) -> str | None:
    """Prefix a county-level name with the city its document cites most."""
    if not name or "市" in name[:-1] or not name.endswith(("区", "县", "旗")):
        return name
    cities = Counter(m.group("city") for line in lines for m in _CITED_CITY.finditer(line))
    if not cities:
        return name
    city, _ = cities.most_common(1)[0]
    return city + name
