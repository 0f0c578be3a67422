"""Make the print font: a subset of Debian's Noto Sans CJK SC Regular for fast PDF embedding.

Embedding the full Noto CJK collection in a PDF (matplotlib's TrueType/Type 42
embedding, so text stays selectable) makes fontTools parse its large layout
tables for every file: about 1 s per embedded font on an idle 2-core machine,
much more under load. This subset keeps the glyphs a plan map needs (ASCII,
Latin-1, general punctuation, arrows and maths signs, CJK punctuation, full-width
forms, the 6,763 GB 2312 hanzi and every character of the plan text), drops the
layout tables and hinting, and is renamed as the SIL Open Font License requires
for a modified version. Characters outside it fall back to the full font.

Run: ``.venv/bin/python scripts/make_print_font.py`` (needs Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK SC"
OUT = ROOT / "layers" / "maps" / "fonts" / "WeichengPrintSans-Regular.otf"
FAMILY = "Weicheng Print Sans"
RANGES = ((0x20, 0x7F), (0xA0, 0x250), (0x2000, 0x2070), (0x2100, 0x2300), (0x2460, 0x2500), (0x25A0, 0x2600),
          (0x3000, 0x3040), (0xFF00, 0xFFF0))


def codepoints() -> set[int]:
    """The characters kept: the ranges above, GB 2312 hanzi, and every character of the plan and tables."""
    keep = {cp for lo, hi in RANGES for cp in range(lo, hi)}
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        keep.add(cp)
    for path in (ROOT / "geodata" / "inputs" / "weicheng-14th-five-year-plan.txt", ROOT / "geodata" / "names_en.csv",
                 ROOT / "geodata" / "industry_synonyms.csv"):
        if path.exists():
            keep |= {ord(c) for c in path.read_text(encoding="utf-8")}
    try:
        import opencc  # the plan is shown in simplified characters: keep those too
        text = (ROOT / "geodata" / "inputs" / "weicheng-14th-five-year-plan.txt").read_text(encoding="utf-8")
        keep |= {ord(c) for c in opencc.OpenCC("t2s").convert(text)}
    except (ImportError, OSError):
        pass
    return keep


def main() -> None:
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: apt-get install fonts-noto-cjk")
    faces = TTCollection(str(SOURCE), lazy=True).fonts
    index = next(i for i, f in enumerate(faces) if f["name"].getDebugName(1) == FACE)
    font = TTFont(str(SOURCE), fontNumber=index)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    names = {1: FAMILY, 16: FAMILY, 4: f"{FAMILY} Regular", 6: "WeichengPrintSans-Regular",
             3: "WeichengPrintSans-Regular; subset of Noto Sans CJK SC Regular (Debian fonts-noto-cjk)"}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB, {len(font.getGlyphOrder())} glyphs)")


if __name__ == "__main__":
    main()
