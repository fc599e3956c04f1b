"""Font discovery, the usability check and family names, on matplotlib's fonts only."""
import os
import shutil

import pytest

from ppocr.errors import UserError
from ppocr.synth import find_fonts, group_by_family, matplotlib_font_dir
from ppocr.synth.fonts import NOT_LATIN_TEXT, SMALL_CAPS, font_files, normalise_family
from ppocr.synth.split import HELD_OUT_FAMILIES, select_faces

MPL = matplotlib_font_dir()


def test_symbol_math_and_fallback_fonts_are_rejected():
    names = {os.path.basename(f.path) for f in find_fonts()}
    assert {"DejaVuSans.ttf", "DejaVuSerif-Italic.ttf", "STIXGeneral.ttf", "cmr10.ttf", "cmtt10.ttf"} <= names
    # cmex10/cmsy10 map letters to math symbols; the others lack letters altogether
    for rejected in ("cmex10.ttf", "cmsy10.ttf", "STIXNonUni.ttf", "STIXSizOneSym.ttf", "DejaVuSansDisplay.ttf",
                     "LastResortHE-Regular.ttf"):
        assert rejected not in names, rejected


def test_faces_are_grouped_into_families():
    grouped = group_by_family(find_fonts())
    assert sorted(grouped) == ["CMU Sans Serif", "CMU Serif", "CMU Typewriter", "DejaVu Sans", "DejaVu Sans Mono",
                               "DejaVu Serif", "STIXGeneral"]
    assert sorted(f.file for f in grouped["DejaVu Sans"]) == ["DejaVuSans-Bold.ttf", "DejaVuSans-BoldOblique.ttf",
                                                             "DejaVuSans-Oblique.ttf", "DejaVuSans.ttf"]


@pytest.mark.parametrize("raw, family", [("Roboto Condensed Light", "Roboto"), ("Inter Display", "Inter"),
                                         ("IBM 3270 Semi-Condensed", "IBM 3270"), ("Nimbus Roman", "Nimbus Roman"),
                                         ("Open Sans", "Open Sans"), ("cmss10", "CMU Sans Serif"), ("Black", "Black"),
                                         ("Roadgeek 2014 Series EEM", "Roadgeek 2014"), ("OCRABold", "OCRA"),
                                         ("Linux Libertine Display O", "Linux Libertine"), ("P052", "P052"),
                                         ("Accanthis ADF Std No2", "Accanthis ADF Std")])
def test_family_names_lose_their_weight_width_and_style_words(raw, family):
    assert normalise_family(raw) == family


@pytest.mark.parametrize("names, small_caps", [("Go Smallcaps Go-Smallcaps", True), ("Amatic SC Bold", True),
                                                ("Alegreya Sans SC", True), ("Scala Sans Scala", False),
                                                ("Source Sans Pro", False), ("Latin Modern Roman Caps", True),
                                                ("Mekanus ADF Titling Std", True), ("Romande ADF Style Std", True),
                                                ("Romande ADF Std", False), ("Capriola", False)])
def test_small_caps_faces_are_recognised_by_name(names, small_caps):
    assert bool(SMALL_CAPS.search(names)) == small_caps


@pytest.mark.parametrize("family, latin", [("Alfa beta", False), ("Ellhnikh", False), ("Abecedario_pautada", False),
                                           ("Abecedario_punt guiada", False), ("Abecedario", True),
                                           ("GFS Didot", True), ("Alfa Slab One", True)])
def test_greek_at_latin_code_points_and_ruled_school_fonts_are_left_out(family, latin):
    assert (NOT_LATIN_TEXT.match(family) is None) == latin


def test_folders_globs_commas_otf_and_ttc(tmp_path):
    from fontTools.ttLib import TTCollection, TTFont

    shutil.copy(os.path.join(MPL, "DejaVuSans.ttf"), tmp_path / "Sans.otf")  # found by its extension
    collection = TTCollection()
    collection.fonts = [TTFont(os.path.join(MPL, name)) for name in ("DejaVuSerif.ttf", "cmsy10.ttf", "cmr10.ttf")]
    (tmp_path / "sub").mkdir()
    collection.save(str(tmp_path / "sub" / "pair.ttc"))
    faces = find_fonts(str(tmp_path))
    assert sorted((f.file, f.family) for f in faces) == [("Sans.otf", "DejaVu Sans"), ("pair.ttc#0", "DejaVu Serif"),
                                                         ("pair.ttc#2", "CMU Serif")]
    assert len(faces[1].load(20).getbbox("Ag")) == 4  # PIL draws a face of a collection
    both = font_files([f"{tmp_path}/*.otf, {MPL}/cmr10.ttf", os.path.join(str(tmp_path), "sub")])
    assert sorted(os.path.basename(p) for p in both) == ["Sans.otf", "cmr10.ttf", "pair.ttc"]


def test_the_split_is_fixed_and_spans_the_kinds_of_type():
    assert set(HELD_OUT_FAMILIES) >= {"serif", "sans", "mono"} and len(HELD_OUT_FAMILIES) >= 4
    faces = find_fonts()
    train, held = select_faces(faces, "train"), select_faces(faces, "heldout")
    assert {f.family for f in held} == {"STIXGeneral"} and not {f.family for f in train} & {"STIXGeneral"}
    assert len(train) + len(held) == len(faces)
    with pytest.raises(UserError, match="no font left"):
        select_faces(faces, "train", exclude_families=[f.family for f in train])
