"""Chapters, sections and numbered items of the cleaned plan text.

Every record the project extracts keeps a :class:`Citation` built here, so a
user can find the sentence in the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CHAPTER_RE = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.*)$")
_SECTION_RE = re.compile(r"^第([一二三四五六七八九十]+)节\s*(.*)$")
_ITEM_RE = re.compile(r"^\s*(\d+)\s*[.．、]\s*(.*)$")


@dataclass(frozen=True)
class Citation:
    """Where a passage stands in the plan."""

    chapter: str
    chapter_title: str
    section: str = ""
    section_title: str = ""
    item: int | None = None

    def __str__(self) -> str:
        parts = [f"第{self.chapter}章 {self.chapter_title}".strip()]
        if self.section:
            parts.append(f"第{self.section}节 {self.section_title}".strip())
        if self.item is not None:
            parts.append(f"第{self.item}项")
        return "，".join(parts)

    def as_dict(self) -> dict:
        """Return the citation as a JSON-ready dict with its display text."""
        return {"chapter": self.chapter, "chapter_title": self.chapter_title,
                "section": self.section, "section_title": self.section_title,
                "item": self.item, "text": str(self)}


@dataclass
class Paragraph:
    """One line of the plan with the citation of the place it stands."""

    text: str
    citation: Citation
    line_no: int


@dataclass
class Section:
    """A section (节) with its paragraphs; chapter intros have ``section=''``."""

    chapter: str
    chapter_title: str
    section: str
    section_title: str
    paragraphs: list[Paragraph] = field(default_factory=list)


def split_sections(text: str) -> list[Section]:
    """Split the cleaned plan into sections, numbering items inside each."""
    sections: list[Section] = []
    current = Section("", "", "", "")
    for line_no, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        if m := _CHAPTER_RE.match(line):
            current = Section(m.group(1), m.group(2).strip(), "", "")
            sections.append(current)
            continue
        if m := _SECTION_RE.match(line):
            current = Section(current.chapter, current.chapter_title, m.group(1), m.group(2).strip())
            sections.append(current)
            continue
        item = _ITEM_RE.match(line)
        cite = Citation(current.chapter, current.chapter_title, current.section,
                        current.section_title, int(item.group(1)) if item else None)
        current.paragraphs.append(Paragraph(line, cite, line_no))
    return sections


def find_section(sections: list[Section], chapter: str, section: str) -> Section:
    """Return one section, by chapter and section numerals (e.g. ``"六"``, ``"一"``).

    Raises
    ------
    LookupError
        When the plan has no such section.
    """
    for sec in sections:
        if sec.chapter == chapter and sec.section == section:
            return sec
    raise LookupError(f"规划文本中找不到第{chapter}章第{section}节")


def numbered_items(section: Section) -> list[tuple[int, str, str, Citation]]:
    """The numbered items of a section as ``(number, title, body, citation)``.

    Items read ``1.站南片区。 东至……``: the title runs to the first 。.
    """
    items = []
    for para in section.paragraphs:
        m = _ITEM_RE.match(para.text)
        if not m:
            continue
        head, _, body = m.group(2).partition("。")
        items.append((int(m.group(1)), head.strip(), body.strip(), para.citation))
    return items
