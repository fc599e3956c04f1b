"""TextSampler: the documented case proportions, the kinds of text, labels exactly as drawn."""
import collections
import string

import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.synth import DEFAULT_SETTINGS, TextSampler, load_words
from ppocr.synth.generator import settings_for
from ppocr.synth.text import apply_case

PUNCTUATION = settings_for(punctuation=True)


def draws(n=3000, **options):
    sampler = TextSampler(load_words(), **options)
    return [sampler.sample(np.random.default_rng([11, i])) for i in range(n)]


def test_mixed_case_follows_the_documented_proportions():
    samples = draws(settings=PUNCTUATION)
    share = collections.Counter(case for _, case, _ in samples)
    for case, expected in zip(("lower", "title", "upper"), DEFAULT_SETTINGS.case_weights):
        assert abs(share[case] / len(samples) - expected) < 0.03, (case, share)
    kinds = collections.Counter(kind for _, _, kind in samples)
    for kind, expected in DEFAULT_SETTINGS.kind_weights:
        assert abs(kinds[kind] / len(samples) - expected) < 0.03, (kind, kinds)
    words = [t for t, case, kind in samples if kind == "word" and case == "title"]
    assert all(t == apply_case(t, "title") for t in words) and any(t[0] in "\"(#@&" for t in words)
    punctuated = sum(any(c in string.punctuation for c in t) for t, _, _ in samples) / len(samples)
    assert 0.05 < punctuated < 0.15
    assert all(t.isalnum() for t, _, _ in draws(1000))  # by default, no punctuation


def test_fixed_case_alphanumeric_and_max_len():
    for case in ("lower", "title", "upper"):
        samples = draws(400, case=case, max_len=8, settings=settings_for(punctuation=False))
        assert all(c == case and t == apply_case(t, case) and 0 < len(t) <= 8 and t.isalnum() for t, c, _ in samples)
    assert apply_case("don't", "title") == "Don't" and apply_case("21st", "upper") == "21ST"
    assert all(len(t) == 1 for t, _, _ in draws(100, max_len=1, settings=PUNCTUATION))


def test_bad_options_are_user_errors():
    with pytest.raises(UserError, match="case must be one of"):
        TextSampler(["a"], case="Lower")
    with pytest.raises(UserError, match="max_len"):
        TextSampler(["a"], max_len=0)
