"""Synthetic word images for training and validating recognisers, and LMDB tools.

The generator follows the two synthetic sets the field trains on: MJSynth (Jaderberg et al.,
"Synthetic Data and Artificial Neural Networks for Natural Scene Text Recognition", 2014),
which rendered words in about 1,400 typefaces and every case, with borders, shadows, projective
distortion and natural-image blending, and SynthText (Gupta et al., "Synthetic Data for Text
Localisation in Natural Images", CVPR 2016), which showed how much colour contrast and the
surface under the text matter. Modules, in the order a sample is made:

``text``        what the word says, and its case          ``render``     glyphs, outline, shadow
``fonts``       typefaces found, checked, by family        ``geometry``   views, warps, the crop
``split``       the held-out families                      ``curve``      words set along arcs and waves
``fiducials``   the word's box: 20 points for a TPS        ``background`` what the word is on
``colours``     palette and contrast                       ``effects``    blur, noise, JPEG ...
``word``        one sample from all of the above           ``generator``  many, into LMDB/folders
``synth_settings`` every probability and range             ``writers``, ``create_lmdb``: storage

Example::

    from ppocr.synth import generate
    generate(2000, seed=0, lmdb_dir="train_data/synth/training/synth", fonts="/usr/share/fonts",
             split="train", workers=2)
"""
from ppocr.synth.fonts import FontFace, find_fonts, group_by_family, matplotlib_font_dir
from ppocr.synth.generator import generate
from ppocr.synth.split import HELD_OUT_FAMILIES, SPLITS, is_held_out
from ppocr.synth.synth_settings import CASES, DEFAULT_SETTINGS, SynthSettings
from ppocr.synth.text import WORDS_FILE, TextSampler, load_words
from ppocr.synth.word import WordRenderer

__all__ = ["CASES", "DEFAULT_SETTINGS", "HELD_OUT_FAMILIES", "SPLITS", "WORDS_FILE", "FontFace", "SynthSettings",
           "TextSampler", "WordRenderer", "find_fonts", "generate", "group_by_family", "is_held_out", "load_words",
           "matplotlib_font_dir"]
