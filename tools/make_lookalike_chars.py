"""Writes extract/patterns/lookalike_chars.tsv: characters that look like a Chinese ideograph but
are another code point, each with the ideograph it stands for.

    python tools/make_lookalike_chars.py [--ucd /usr/share/unicode]

Chinese PDF fonts often map a glyph shared by an ideograph and a radical to the radical, so the
text layer says ⼯ (U+2F2F KANGXI RADICAL WORK) where the page shows 工, ⼆ for 二, ⻄ for 西. Two
sources, both Unicode's own:
- Equivalent_Unified_Ideograph (EquivalentUnifiedIdeograph.txt of the Unicode Character
  Database, Debian package unicode-data): the Kangxi radicals, the CJK radicals supplement and
  the CJK strokes that are visually identical or near-identical to a unified ideograph;
- the CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) whose canonical
  decomposition (NFC) is one unified ideograph (Python's unicodedata).
Each replacement is one character for one, so offsets into the text do not move.
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "extract" / "patterns" / "lookalike_chars.tsv"
COMPATIBILITY = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def equivalent_unified(ucd: Path) -> dict[int, tuple[int, str]]:
    out: dict[int, tuple[int, str]] = {}
    for line in (ucd / "EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, target = (f.strip() for f in data.split(";"))
        first, _, last = source.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            out[cp] = (int(target, 16), "Equivalent_Unified_Ideograph")
    return out


def compatibility_ideographs() -> dict[int, tuple[int, str]]:
    out: dict[int, tuple[int, str]] = {}
    for low, high in COMPATIBILITY:
        for cp in range(low, high + 1):
            nfc = unicodedata.normalize("NFC", chr(cp))
            if len(nfc) == 1 and ord(nfc) != cp:
                out[cp] = (ord(nfc), "NFC")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ucd", type=Path, default=Path("/usr/share/unicode"))
    args = ap.parse_args()
    mapping = {**compatibility_ideographs(), **equivalent_unified(args.ucd)}
    rows = ["# lookalike\tideograph\tcode point\tsource (tools/make_lookalike_chars.py)"]
    rows += [f"{chr(cp)}\t{chr(target)}\tU+{cp:04X}\t{source}"
             for cp, (target, source) in sorted(mapping.items())]
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(mapping)} characters")


if __name__ == "__main__":
    main()
