"""Typefaces for the generator: found in folders and globs, checked, grouped into families.

A font file (``.ttf``, ``.otf``, or each face of a ``.ttc`` collection) is usable when it draws
its own distinct glyph for a-z, A-Z and 0-9 and is not a symbol, math, icon or dingbat font
(those map letters to other shapes, or to letters that are not text faces), nor a small-caps
face (its lower case looks upper case). Its family, the unit
of the held-out split, comes from the font's name table (the typographic family, else the
family), with width, weight and style words taken off: "Roboto Condensed Light" and "Roboto"
are one family, as are "Inter Display" and "Inter".

Example::

    faces = find_fonts(["/usr/share/fonts", "~/fonts/*.otf"])
    sorted(group_by_family(faces))   # ['Cabin', 'Caladea', 'DejaVu Sans', ...]
"""
import functools
import os
import re
import string
from collections import defaultdict
from dataclasses import dataclass

from PIL import ImageFont

from ppocr.errors import UserError
from ppocr.synth.files import find_files
from ppocr.synth.split import family_key, select_faces

FONT_EXTENSIONS = (".ttf", ".otf", ".ttc")
CHECK_CHARS = string.ascii_letters + string.digits
DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# words of a family name that name a weight, width or style of the family, not the family
STYLE_WORDS = frozenset(
    "thin hairline extralight ultralight light book regular normal medium semibold demibold demi semi "
    "extra ultra bold extrabold ultrabold heavy black italic oblique condensed cn narrow semicondensed "
    "extended expanded wide display caption text half".split())
# a family name with one of these words is not a text face (math, symbol, icon, dingbat fonts)
SYMBOL_WORDS = ("symbol", "math", "dingbat", "icon", "emoji", "music", "keyboard", "awesome", "wingding",
                "webding", "phonetic", "initials", "ornament", "fontello", "entypo")
# variants of one design named as families: "Roadgeek 2014 Series C", "Accanthis ADF Std No2",
# "Tiresias PCfont Z", "Anonymous Pro Minus", "Linux Libertine O"
VARIANT_SUFFIX = re.compile(r"^(Series [A-Z]+|No\d+|V\d+|Minus|[A-Z])$")
GLUED_STYLE = re.compile(r"^(.{3,}?)(Bold|Italic|Oblique|Condensed|Light|Regular|Medium)$")  # "OCRABold"
# matplotlib's Computer Modern files carry one family name per file; they are three designs
FAMILY_ALIASES = {"cmr10": "CMU Serif", "cmb10": "CMU Serif", "cmti10": "CMU Serif", "cmmi10": "CMU Serif",
                  "cmss10": "CMU Sans Serif", "cmtt10": "CMU Typewriter"}
# small capitals draw "a" as a small "A": the image would read upper case under a lower-case label
SMALL_CAPS = re.compile(r"small\s*caps|\bSC\b|smcp|\bCaps\b|Titling|ADF Style", flags=re.IGNORECASE)
# families whose letters are not the letters of their code points: Greek drawn at a-z (Alfa beta,
# Ellhnikh), and school fonts ruled with guide lines or dotted for tracing (Abecedario_pautada ...)
NOT_LATIN_TEXT = re.compile(r"^(Alfa ?beta|Ellhnikh|Abecedario_.+)$", flags=re.IGNORECASE)
GENERIC_GLYPH_NAME = re.compile(r"^(uni[0-9A-F]{4,}|u[0-9A-F]{4,6}|glyph\d+|gid\d+|cid\d+|g\d+|index\d+)$")


@dataclass(frozen=True)
class FontFace:
    """One face: ``path`` and ``index`` (the face in a .ttc), its ``family`` and full ``name``."""

    path: str
    index: int
    family: str
    name: str

    @property
    def file(self):
        """What a sample's metadata records: the file name, and the face of a collection."""
        base = os.path.basename(self.path)
        return base if not self.path.lower().endswith(".ttc") else f"{base}#{self.index}"

    def load(self, size):
        # the basic layout (FreeType kerning) draws the same pixels with or without libraqm
        return ImageFont.truetype(self.path, size, index=self.index, layout_engine=ImageFont.Layout.BASIC)


def matplotlib_font_dir():
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf")


def font_files(patterns=None):
    """Font files of ``patterns``: folders (searched recursively), globs, or files; a string may
    list several, comma-separated. ``None``: matplotlib's bundled fonts (always installed)."""
    return find_files([matplotlib_font_dir()] if patterns is None else patterns, FONT_EXTENSIONS)


def find_fonts(patterns=None, split="all", families=None, exclude_families=None):
    """The usable faces of ``patterns`` (see ``font_files``), sorted, restricted to a split
    (``ppocr.synth.split``). A UserError when none is left.

    Example::

        find_fonts("/usr/share/fonts", split="heldout")   # the held-out families' faces only
    """
    files = font_files(patterns)
    faces = [face for path in files for face in inspect_file(path, os.stat(path).st_mtime_ns)]
    if not faces:
        where = f" in {patterns!r}" if patterns is not None else ""
        raise UserError(f"no usable font found{where} ({len(files)} font files looked at): give --fonts folders "
                        "or globs of .ttf/.otf/.ttc files that draw a-z, A-Z and 0-9")
    return select_faces(faces, split=split, families=families, exclude_families=exclude_families)


def group_by_family(faces):
    """{family: [faces]} in family order."""
    grouped = defaultdict(list)
    for face in faces:
        grouped[face.family].append(face)
    return dict(sorted(grouped.items(), key=lambda item: family_key(item[0])))


@functools.lru_cache(maxsize=4096)
def inspect_file(path, mtime_ns=None):
    """The usable faces of one file (``mtime_ns`` only keys the cache)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.lower().endswith(".ttc"):
            count = len(TTCollection(path, lazy=True).fonts)
        else:
            count = 1
        faces = []
        for index in range(count):
            font = TTFont(path, fontNumber=index if count > 1 else -1, lazy=True)
            family, name, names = _names(font)
            if (SMALL_CAPS.search(names) or NOT_LATIN_TEXT.match(family) or _is_symbol_font(font, names)
                    or not _draws_alphanumerics(path, index)):
                continue
            faces.append(FontFace(path=path, index=index, family=family, name=name))
        return tuple(faces)
    except (TTLibError, OSError, KeyError, AssertionError, ValueError):
        return ()  # not a font FreeType and fontTools can read: not usable


def _names(font):
    table = font["name"]
    raw = str(table.getDebugName(16) or table.getDebugName(1) or "").strip()
    name = str(table.getDebugName(4) or raw).strip()
    return normalise_family(raw), name, f"{table.getDebugName(1) or ''} {raw} {name}"


def normalise_family(raw):
    """The family of a name-table family name: 'Roboto Condensed Light' -> 'Roboto'."""
    alias = FAMILY_ALIASES.get(raw.lower())
    if alias:
        return alias
    words = raw.replace("-", " ").split()
    while len(words) > 1:
        if len(words) > 2 and VARIANT_SUFFIX.match(" ".join(words[-2:])):
            del words[-2:]
        elif words[-1].lower() in STYLE_WORDS or VARIANT_SUFFIX.match(words[-1]):
            words.pop()
        else:
            break
    glued = GLUED_STYLE.match(words[-1]) if words else None
    if glued:
        words[-1] = glued.group(1)
    return " ".join(words) or raw


def _is_symbol_font(font, names):
    if any(word in names.lower() for word in SYMBOL_WORDS):
        return True
    # the BMP subtables only: decoding a font's full-Unicode table costs ten times as long
    cmap = font.getBestCmap(cmapPreferences=((3, 1), (0, 3), (1, 0))) or {}
    foreign = 0
    for ch in CHECK_CHARS:
        glyph = cmap.get(ord(ch))
        if glyph is None:
            return True  # no glyph of its own for a letter or a digit
        expected = DIGIT_NAMES[int(ch)] if ch.isdigit() else ch
        if not (glyph == expected or glyph.startswith((expected + ".", expected + "_")) or
                (ch.isdigit() and glyph.startswith(expected)) or GENERIC_GLYPH_NAME.match(glyph)):
            foreign += 1  # e.g. 'a' drawn by a glyph named 'alpha' or 'a60' (a dingbat)
    return foreign > 2


def _draws_alphanumerics(path, index):
    """Each of a-z, A-Z, 0-9 draws ink, and at most two pairs look the same (an I like an l)."""
    try:
        font = ImageFont.truetype(path, 24, index=index, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        return False
    masks = [bytes(font.getmask(c)) for c in CHECK_CHARS]
    if any(not any(m) for m in masks):
        return False
    return len(set(masks)) >= len(masks) - 2
