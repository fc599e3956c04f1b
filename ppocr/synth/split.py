"""The fixed typeface split: families held out of training, used only to validate.

A family is the unit of the split (all its weights, widths and styles go together), and a held-out
design takes its metric clones with it: a model trained on Liberation Serif has in effect seen
Tinos, Nimbus Roman and STIX General too, so none of them may be in a training set whose
validation uses the others. The four kinds the field's words come in are each represented:

- serif, the Times design: STIX General (matplotlib's, so a machine with only the pip packages
  has a held-out family too) and its clones Liberation Serif, Tinos, Nimbus Roman, FreeSerif,
  TeX Gyre Termes;
- sans: Lato, and Carlito (Lato re-spaced to Calibri's metrics);
- condensed display: Yanone Kaffeesatz;
- casual display: Comic Neue;
- monospaced: Inconsolata.

``split="train"`` leaves these out, ``split="heldout"`` keeps only them, ``split="all"`` takes
every family. Example::

    find_fonts("/usr/share/fonts", split="train")
"""
import re

from ppocr.errors import UserError

HELD_OUT_FAMILIES = {
    "serif": ("STIXGeneral", "STIX", "STIX Two", "Liberation Serif", "Tinos", "Nimbus Roman", "FreeSerif",
              "TeX Gyre Termes"),
    "sans": ("Lato", "Carlito"),
    "condensed display": ("Yanone Kaffeesatz",),
    "casual display": ("Comic Neue",),
    "mono": ("Inconsolata",),
}
SPLITS = ("all", "train", "heldout")


def family_key(name):
    """A family name compared without case, spaces or punctuation: 'STIX General' = 'STIXGeneral'."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def held_out_keys():
    return {family_key(name) for names in HELD_OUT_FAMILIES.values() for name in names}


def is_held_out(family):
    return family_key(family) in held_out_keys()


def _names(value):
    """A list of family names from a list or a comma-separated string."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [str(v).strip() for v in items if str(v).strip()]


def select_faces(faces, split="all", families=None, exclude_families=None):
    """The faces of ``split``, then only ``families`` (if given), then not ``exclude_families``."""
    if split not in SPLITS:
        raise UserError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    held = held_out_keys()
    if split == "train":
        faces = [f for f in faces if family_key(f.family) not in held]
    elif split == "heldout":
        faces = [f for f in faces if family_key(f.family) in held]
    wanted = {family_key(n): n for n in _names(families)}
    if wanted:
        found = {family_key(f.family) for f in faces}
        unknown = [name for key, name in wanted.items() if key not in found]
        if unknown:
            known = sorted({f.family for f in faces})
            raise UserError(f"no usable font of the families {unknown} in split {split!r}; "
                            f"the fonts found have: {', '.join(known) or 'none'}")
        faces = [f for f in faces if family_key(f.family) in wanted]
    excluded = {family_key(n) for n in _names(exclude_families)}
    faces = [f for f in faces if family_key(f.family) not in excluded]
    if not faces:
        raise UserError(f"no font left in split {split!r} after --families/--exclude_families: the held-out "
                        f"families are {', '.join(n for v in HELD_OUT_FAMILIES.values() for n in v)}; "
                        "add fonts with --fonts (see doc/tools/gen_synth_data.md)")
    return faces
