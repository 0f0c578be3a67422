"""Find zones, parks, projects and roads by (partial) name."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from layers.data import Layers
from layers.plan.text import to_simplified

KIND_LABELS = {"zone": "片区", "park": "园区", "project": "项目", "road": "道路/地物"}


@dataclass(frozen=True)
class Hit:
    """One search result; ``bounds`` is ``None`` for things not on the map."""

    kind: str
    id: str
    name: str
    bounds: tuple[float, float, float, float] | None

    @property
    def label(self) -> str:
        """``站南片区（片区）``."""
        return f"{self.name}（{KIND_LABELS[self.kind]}）"


def _norm(text: str) -> str:
    return to_simplified(str(text)).strip().lower()


def _names(row) -> list[str]:
    """A row's name and aliases. Imported projects have no aliases: after joining the plan's projects
    their cell is NaN, and a name list must not assume a list there."""
    aliases = getattr(row, "aliases", None)
    if isinstance(aliases, str):
        aliases = [aliases]
    elif not isinstance(aliases, (list, tuple, np.ndarray)):
        aliases = []
    return [str(row.name), *(a for a in aliases if isinstance(a, str) and a)]


def search(layers: Layers, query: str, *, limit: int | None = 20) -> list[Hit]:
    """Everything whose name (or alias) contains ``query``, exact matches first; at most ``limit`` (None: all)."""
    q = _norm(query or "")
    if not q:
        return []
    sources = [("zone", layers.zones), ("park", layers.parks), ("road", layers.gazetteer)]
    if layers.projects is not None:
        sources.append(("project", layers.projects))
    hits = []
    for kind, frame in sources:
        for row in frame.itertuples():
            if not any(q in _norm(n) for n in _names(row)):
                continue
            geom = row.geometry
            bounds = tuple(geom.bounds) if geom is not None and not geom.is_empty else None
            row_id = getattr(row, "id", None) or f"feature-{row.name}"
            hits.append((0 if _norm(row.name) == q else 1, Hit(kind, str(row_id), row.name, bounds)))
    hits.sort(key=lambda h: h[0])
    return [h for _, h in hits[:limit]]
