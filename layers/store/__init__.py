"""Store stage: the database (SQLite by default, PostgreSQL + PostGIS by URL) and what is kept in it.

- :mod:`~layers.store.engine`: :func:`get_engine`, :func:`upgrade` (Alembic, ``migrations/``),
  Chinese messages for database failures;
- :mod:`~layers.store.schema`: every table;
- :mod:`~layers.store.database`: :class:`Store`, imported projects and recorded target values;
- :mod:`~layers.store.users`: :func:`add_user`, :func:`authenticate` (argon2, rate limit),
  :func:`can`, :func:`oidc_user` (``python -m layers.users``);
- :mod:`~layers.store.audit`: the append-only log, :func:`record`, :func:`entries`, :func:`to_csv`;
- :mod:`~layers.store.imports`: CSV/XLSX project lists, :func:`read_table`, :func:`validate`.
"""
