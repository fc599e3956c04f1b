"""WordRenderer's shapes: the shares of curved words, strong views and tilted boxes are those of
the settings, a curve or a view never changes what the label says, and impossible shares are
refused."""
from dataclasses import replace

import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.synth import DEFAULT_SETTINGS, find_fonts, load_words
from ppocr.synth.background import make_bank
from ppocr.synth.word import WordRenderer

N = 600


@pytest.fixture(scope="module")
def bank():
    return make_bank(0, 0)


def effects(settings, bank, n=N, seed=8):
    renderer = WordRenderer(find_fonts(), load_words(), settings=settings)
    out = []
    for i in range(n):
        text, image, meta = renderer.render(np.random.default_rng([seed, i]), bank)
        assert image.ndim == 3 and image.shape[0] >= 24 and image.shape[1] >= 1
        out.append((text, meta["effects"]))
    return out


def test_the_shares_of_curves_views_and_tilted_boxes_are_the_settings(bank):
    s = DEFAULT_SETTINGS
    drawn = [e for _, e in effects(s, bank)]
    curved = [e for e in drawn if "arc" in e or "wave" in e]
    viewed = [e for e in drawn if "view" in e]
    tolerance = 3 * np.sqrt(0.2 * 0.8 / N)  # three standard deviations of a share near 0.2
    assert abs(len(curved) / N - s.p_curve) < tolerance
    assert abs(len(viewed) / N - s.p_view) < tolerance
    assert not any(("arc" in e or "wave" in e) and "view" in e for e in drawn)  # one or the other
    arcs = sum("arc" in e for e in curved) / len(curved)
    assert abs(arcs - dict(s.curve_weights)["arc"]) < 3 * np.sqrt(0.25 / len(curved))
    tilted = sum("tilted box" in e for e in curved) / len(curved)
    assert abs(tilted - s.p_tilted_box) < 3 * np.sqrt(0.25 / len(curved))
    assert not any("tilted box" in e for e in drawn if e not in curved)
    assert not any("cylinder" in e for e in curved)  # a curved word is not wrapped round a cylinder too


def test_other_shares_are_honoured_and_the_labels_stay_the_same(bank):
    plain = effects(replace(DEFAULT_SETTINGS, p_curve=0.0, p_view=0.0), bank, n=80)
    assert not any(k in e for _, e in plain for k in ("arc", "wave", "view", "tilted box"))
    bent = effects(replace(DEFAULT_SETTINGS, p_curve=1.0, p_view=0.0, p_tilted_box=1.0), bank, n=80)
    assert all(("arc" in e) != ("wave" in e) and "tilted box" in e for _, e in bent)
    viewed = effects(replace(DEFAULT_SETTINGS, p_curve=0.0, p_view=1.0), bank, n=80)
    assert all("view" in e and "perspective" not in e for _, e in viewed)
    # the text is drawn before the shape: the same sample says the same whatever its shape
    assert [t for t, _ in plain] == [t for t, _ in bent] == [t for t, _ in viewed]


def test_impossible_shares_are_user_errors():
    with pytest.raises(UserError, match="p_curve \\+ p_view"):
        WordRenderer(find_fonts(), ["word"], settings=replace(DEFAULT_SETTINGS, p_curve=0.7, p_view=0.5))
