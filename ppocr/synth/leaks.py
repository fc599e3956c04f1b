"""Training crops that are test crops: the leak check between word-crop sets.

Public training splits can hold the very words of a test split: the same photograph cropped
twice, or the same scene in two competitions (ICDAR 2013's scene test set reuses ICDAR 2003
photographs). A model trained on them reads those test words from memory. Two crops are

``exact``           when their decoded grey pixels are the same (MD5 of pixels and shape);
``near``            when their grey 32x12 thumbnails (area-averaged, mean removed, unit length)
                    correlate at ``threshold`` or more (0.94 by default) and their labels are the
                    same word once lower-cased to 0-9a-z (``alnum36``);
``recut``           (with ``recut=``, off by default) when they are the same word of at least four
                    characters and, cut by different boxes, still match: the inner part of one,
                    scaled by up to a quarter, slid over the other, correlates at ``recut`` or more
                    (``crop_sets.registered_correlation``). ICDAR 2013's scene test words and ICDAR
                    2003's training words are cut from some of the same photographs by different
                    boxes: their thumbnails can correlate at 0.3 and less;
``different word``  at the thumbnail threshold with another word: a look-alike (a plain sign, two
                    words in one font), reported apart and never excluded.

With ``whole_scenes``, a leak takes every crop of its scene with it (names ``scene#k``, as the
converters of scene sets write them): when one word of a photograph is in a test set, the
photograph is, and so are its other words, however differently they were cut.

A set (``ppocr.synth.crop_sets.CropSet``) is a ``path<TAB>label`` file or a folder of LMDBs;
its crops' names are what ``convert_public_set(exclude=...)`` leaves out. The correlation of
every pair is one matrix product per block of training crops, so 10,000 x 10,000 crops take
seconds.

Example::

    from ppocr.synth.crop_sets import CropSet
    from ppocr.synth.leaks import find_leaks
    train = CropSet.load("lists/iiit5k_train.txt")
    tests = [CropSet.load(p) for p in ("lists/iiit5k_test.txt", "lists/svt_test.txt")]
    check = find_leaks([train], tests)   # add recut=0.8 (and CropSet.load(..., keep_grey=True)) for re-cut words
    print(check)           # iiit5k_train (2000 crops): 13 leaks (13 near: iiit5k_test 13) ...
    check.excluded(train)  # the names of its crops to leave out of training
"""
from typing import NamedTuple

import numpy as np

from ppocr.errors import UserError
from ppocr.synth.crop_sets import registered_correlation

VERDICTS = ("exact", "near", "recut", "different word")
LEAKS = ("exact", "near", "recut")
RECUT_MIN_CHARS = 4  # "the", "and", "for" in one typeface on two different signs are common; not a leak


class Match(NamedTuple):
    verdict: str
    score: float  # correlation of the thumbnails (of the registered crops for ``recut``)
    train_set: str
    train_name: str
    train_label: str
    test_set: str
    test_name: str
    test_label: str
    train_index: int
    test_index: int


def scene_of(name):
    """The scene a crop named ``scene#k`` was cut from, else None."""
    scene, sep, k = name.rpartition("#")
    return scene if sep and scene and k.isdigit() else None


class LeakCheck:
    """The matches of some training sets against some test sets (every training crop's best)."""

    def __init__(self, train_sets, test_sets, threshold, matches, recut=None, whole_scenes=False):
        self.train_sets, self.test_sets, self.threshold, self.matches = train_sets, test_sets, threshold, matches
        self.recut, self.whole_scenes = recut, whole_scenes

    def of(self, train, verdicts=VERDICTS):
        return [m for m in self.matches if m.train_set == train.name and m.verdict in verdicts]

    def excluded(self, train):
        """The names of ``train``'s crops to leave out, in the set's order: its leaks, and with
        ``whole_scenes`` every other crop of their scenes."""
        leaks = {m.train_index for m in self.of(train, LEAKS)}
        scenes = {scene_of(train.names[i]) for i in leaks} - {None} if self.whole_scenes else set()
        return [name for i, name in enumerate(train.names) if i in leaks or scene_of(name) in scenes]

    def counts(self, train):
        """{verdict: {test set: count}} of one training set."""
        out = {v: {} for v in VERDICTS}
        for m in self.of(train):
            out[m.verdict][m.test_set] = out[m.verdict].get(m.test_set, 0) + 1
        return out

    def __str__(self):
        tests = ", ".join(f"{t.name} ({len(t)})" for t in self.test_sets)
        rule = f"thumbnail correlation >= {self.threshold:g} (near)"
        rule += f" or registered correlation >= {self.recut:g} (recut)" if self.recut is not None else ""
        lines = [f"test sets: {tests}; leaks: the same pixels (exact), or the same alnum36 word at {rule}"]
        for train in self.train_sets:
            counts, leaks = self.counts(train), len(self.of(train, LEAKS))
            per_set = {v: ", ".join(f"{t} {n}" for t, n in counts[v].items()) for v in VERDICTS}
            detail = "; ".join(f"{sum(counts[v].values())} {v}: {per_set[v]}" for v in LEAKS if counts[v])
            line = f"{train.name} ({len(train)} crops): {_count(leaks, 'leak')}" + (f" ({detail})" if detail else "")
            if self.whole_scenes:
                line += f", {len(self.excluded(train)) - leaks} more crops of their scenes"
            line += f"; {_count(sum(counts['different word'].values()), 'look-alike')} of a different word"
            lines.append(line + (f": {per_set['different word']}" if counts["different word"] else ""))
            if train.unreadable:
                lines.append(f"  {len(train.unreadable)} crops not readable (e.g. {train.unreadable[0][0]})")
        return "\n".join(lines)


def _count(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def find_leaks(train_sets, test_sets, threshold=0.94, recut=None, whole_scenes=False, block=2048, progress=False):
    """Every training crop that is a test crop (``exact``, ``near``, ``recut``) or looks like one of
    another word (``different word``), with its best test match; a ``LeakCheck``. ``recut``: the
    registered correlation from which two cuts of one word are one (None: no such check; the sets
    must be loaded with ``keep_grey``)."""
    if not 0.0 < threshold <= 1.0:
        raise UserError(f"the correlation threshold must be in (0, 1], got {threshold} (0.94: the default)")
    if recut is not None and not 0.0 < recut <= 1.0:
        raise UserError(f"the recut threshold must be in (0, 1], got {recut}")
    if recut is not None and any(s.greys is None for s in (*train_sets, *test_sets)):
        raise UserError("the recut check needs the crops themselves: load every set with CropSet.load(..., "
                        "keep_grey=True)")
    tests = np.concatenate([t.features() for t in test_sets])
    test_of = [(t, i) for t in test_sets for i in range(len(t))]
    test_words = [w for t in test_sets for w in t.words()]
    first_digest = {}
    for j, (t, i) in enumerate(test_of):
        first_digest.setdefault(t.digests[i], j)
    matches = []
    for train in train_sets:
        best = _correlated(train, tests, test_words, threshold, block)
        for i, digest in enumerate(train.digests):
            if digest in first_digest:
                j = first_digest[digest]
                best[i] = ("exact", j, float(train.thumbs[i] @ tests[j]))
        if recut is not None:
            best.update(_recut(train, test_of, test_words, recut, best, progress))
        for i, (verdict, j, score) in sorted(best.items()):
            test, k = test_of[j]
            matches.append(Match(verdict, score, train.name, train.names[i], train.labels[i], test.name,
                                 test.names[k], test.labels[k], i, k))
    matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, m.train_set, m.train_index))
    return LeakCheck(train_sets, test_sets, threshold, matches, recut=recut, whole_scenes=whole_scenes)


def _correlated(train, tests, test_words, threshold, block):
    """{train index: (verdict, test index, correlation)} of the thumbnail pairs at ``threshold`` or more."""
    feats, words = train.features(), train.words()
    vocabulary = {w: k for k, w in enumerate(sorted(set(words) | set(test_words)))}
    train_ids = np.array([vocabulary[w] for w in words])
    test_ids = np.array([vocabulary[w] for w in test_words])
    best = {}
    for start in range(0, len(train), block):
        corr = feats[start:start + block] @ tests.T
        rows, cols = np.nonzero(corr >= threshold)
        scores, same = corr[rows, cols], train_ids[start + rows] == test_ids[cols]
        order = np.lexsort((-scores, ~same, rows))  # per row: the same word first, then the highest score
        rows, cols, scores, same = rows[order], cols[order], scores[order], same[order]
        firsts = np.unique(rows, return_index=True)[1]
        for r, c, s, agree in zip(rows[firsts], cols[firsts], scores[firsts], same[firsts]):
            best[start + int(r)] = ("near" if agree else "different word", int(c), float(s))
    return best


def _recut(train, test_of, test_words, recut, found, progress):
    """{train index: ("recut", test index, registered correlation)} for the crops not yet a leak."""
    from ppocr.utils.progress import ProgressBar

    by_word = {}
    for j, word in enumerate(test_words):
        if len(word) >= RECUT_MIN_CHARS:
            by_word.setdefault(word, []).append(j)
    todo = [(i, by_word[w]) for i, w in enumerate(train.words())
            if w in by_word and found.get(i, ("",))[0] not in LEAKS]
    out = {}
    with ProgressBar(total=sum(len(c) for _, c in todo), desc=f"{train.name} recut", unit="pair",
                     disable=not progress, dynamic_ncols=True) as bar:
        for i, candidates in todo:
            scores = [registered_correlation(train.greys[i], test_of[j][0].greys[test_of[j][1]]) for j in candidates]
            bar.update(len(candidates))
            k = int(np.argmax(scores))
            if scores[k] >= recut:
                out[i] = ("recut", candidates[k], scores[k])
    return out
