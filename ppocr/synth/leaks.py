"""Training crops that are test crops: the leak check between word-crop sets.

Public training splits can hold the very words of a test split: the same photograph cropped
twice, or the same scene in two competitions (ICDAR 2013's scene test set reuses ICDAR 2003
photographs). A model trained on them reads those test words from memory. Two crops are

``exact``           when their decoded grey pixels are the same (MD5 of pixels and shape);
``near``            when their grey 32x12 thumbnails (area-averaged, mean removed, unit length)
                    correlate at ``threshold`` or more (0.94 by default) and their labels are the
                    same word once lower-cased to 0-9a-z (``alnum36``);
``different word``  at that correlation with another word: a look-alike (a plain sign, two words
                    in one font), reported apart and never excluded.

A set (``ppocr.synth.crop_sets.CropSet``) is a ``path<TAB>label`` file or a folder of LMDBs;
its crops' names are what ``convert_public_set(exclude=...)`` leaves out. The correlation of
every pair is one matrix product per block of training crops, so 10,000 x 10,000 crops take
seconds.

Example::

    from ppocr.synth.crop_sets import CropSet
    from ppocr.synth.leaks import find_leaks
    train = CropSet.load("lists/iiit5k_train.txt")
    tests = [CropSet.load(p) for p in ("lists/iiit5k_test.txt", "lists/svt_test.txt")]
    check = find_leaks([train], tests)
    print(check)           # iiit5k_train (2000 crops): 13 leaks (13 near: iiit5k_test 13) ...
    check.excluded(train)  # the names of its crops to leave out of training
"""
from typing import NamedTuple

import numpy as np

from ppocr.errors import UserError

VERDICTS = ("exact", "near", "different word")
LEAKS = ("exact", "near")


class Match(NamedTuple):
    verdict: str
    score: float  # correlation of the thumbnails
    train_set: str
    train_name: str
    train_label: str
    test_set: str
    test_name: str
    test_label: str
    train_index: int
    test_index: int


class LeakCheck:
    """The matches of some training sets against some test sets (every training crop's best)."""

    def __init__(self, train_sets, test_sets, threshold, matches):
        self.train_sets, self.test_sets, self.threshold, self.matches = train_sets, test_sets, threshold, matches

    def of(self, train, verdicts=VERDICTS):
        return [m for m in self.matches if m.train_set == train.name and m.verdict in verdicts]

    def excluded(self, train):
        """The names of ``train``'s crops that are test crops (exact or near), in the set's order."""
        return [m.train_name for m in sorted(self.of(train, LEAKS), key=lambda m: m.train_index)]

    def counts(self, train):
        """{verdict: {test set: count}} of one training set."""
        out = {v: {} for v in VERDICTS}
        for m in self.of(train):
            out[m.verdict][m.test_set] = out[m.verdict].get(m.test_set, 0) + 1
        return out

    def __str__(self):
        tests = ", ".join(f"{t.name} {len(t)}" for t in self.test_sets)
        lines = [f"against {tests}; near: thumbnail correlation >= {self.threshold:g} and the same alnum36 word"]
        for train in self.train_sets:
            counts = self.counts(train)
            per_set = {v: ", ".join(f"{t} {n}" for t, n in counts[v].items()) for v in VERDICTS}
            detail = "; ".join(f"{sum(counts[v].values())} {v}: {per_set[v]}" for v in LEAKS if counts[v])
            line = f"{train.name} ({len(train)} crops): {_count(len(self.of(train, LEAKS)), 'leak')}"
            line += f" ({detail})" if detail else ""
            line += f"; {_count(sum(counts['different word'].values()), 'look-alike')} of a different word"
            lines.append(line + (f": {per_set['different word']}" if counts["different word"] else ""))
            if train.unreadable:
                lines.append(f"  {len(train.unreadable)} crops not readable (e.g. {train.unreadable[0][0]})")
        return "\n".join(lines)


def _count(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def find_leaks(train_sets, test_sets, threshold=0.94, block=2048):
    """Every training crop that is a test crop (``exact``, ``near``) or looks like one of another
    word (``different word``), with its best test match; a ``LeakCheck``."""
    if not 0.0 < threshold <= 1.0:
        raise UserError(f"the correlation threshold must be in (0, 1], got {threshold} (0.94: the default)")
    tests = np.concatenate([t.features() for t in test_sets])
    test_of = [(t, i) for t in test_sets for i in range(len(t))]
    test_words = [w for t in test_sets for w in t.words()]
    first_digest = {}
    for j, (t, i) in enumerate(test_of):
        first_digest.setdefault(t.digests[i], j)
    matches = []
    for train in train_sets:
        feats, words = train.features(), train.words()
        vocabulary = {w: k for k, w in enumerate(sorted(set(words) | set(test_words)))}
        train_ids = np.array([vocabulary[w] for w in words])
        test_ids = np.array([vocabulary[w] for w in test_words])
        best = {}  # train index -> (verdict, test index, score)
        for start in range(0, len(train), block):
            corr = feats[start:start + block] @ tests.T
            rows, cols = np.nonzero(corr >= threshold)
            scores, same = corr[rows, cols], train_ids[start + rows] == test_ids[cols]
            order = np.lexsort((-scores, ~same, rows))  # per row: the same word first, then the highest score
            rows, cols, scores, same = rows[order], cols[order], scores[order], same[order]
            firsts = np.unique(rows, return_index=True)[1]
            for r, c, s, agree in zip(rows[firsts], cols[firsts], scores[firsts], same[firsts]):
                best[start + int(r)] = ("near" if agree else "different word", int(c), float(s))
        for i, digest in enumerate(train.digests):
            if digest in first_digest:
                j = first_digest[digest]
                best[i] = ("exact", j, float(feats[i] @ tests[j]))
        for i, (verdict, j, score) in sorted(best.items()):
            test, k = test_of[j]
            matches.append(Match(verdict, score, train.name, train.names[i], train.labels[i], test.name,
                                 test.names[k], test.labels[k], i, k))
    matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, m.train_set, m.train_index))
    return LeakCheck(train_sets, test_sets, threshold, matches)
