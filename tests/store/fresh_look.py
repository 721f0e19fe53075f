"""Looking at the database the way another process would, after an edit was refused.

A refused catalogue edit must leave nothing behind. Rolling the test's own session back and
reading through it proves little: the rollback itself would hide a half-applied edit. So the
refused edit's session is *committed* (as a careless caller might), and the catalogue is then
exported through a new engine of its own.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.store import models as db
from planwatch.store.catalogue_export import export_catalogue
from planwatch.store.catalogue_import import CatalogueYamlError, import_catalogue
from planwatch.store.db import make_engine, make_sessionmaker


def refused(session: Session, text: str, match: str | None = None) -> CatalogueYamlError:
    """Import ``text``, which must be refused, then commit whatever the session holds."""
    with pytest.raises(CatalogueYamlError, match=match) as info:
        import_catalogue(session, text, actor="统计局张三", source="edit.yaml")
    session.commit()
    return info.value


def fresh_export(session: Session) -> tuple[str, int]:
    """The catalogue YAML and the number of catalogue-import audit rows, read through a new engine."""
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s:
            audits = s.scalar(select(func.count()).select_from(db.AuditEvent)
                              .where(db.AuditEvent.action == "catalogue.import")) or 0
            return export_catalogue(s), audits
    finally:
        engine.dispose()
