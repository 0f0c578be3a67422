"""Alembic environment: runs on the connection :func:`layers.store.engine.upgrade` hands over.

From a shell, ``alembic -c layers/store/alembic.ini upgrade head`` also works; it opens
``$WEICHENG_MAP_DB`` (or the default SQLite file) the same way the app does.
"""

from __future__ import annotations

from alembic import context

from layers.store.schema import metadata

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      transaction_per_migration=False)  # one transaction: a failed step leaves nothing half-done
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from layers.store.engine import get_engine

    with get_engine().connect() as conn:
        _run(conn)
