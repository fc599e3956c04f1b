"""The evaluation table of several benchmark sets: per set, the sample-weighted total and the
arithmetic mean of the sets, as Markdown and JSON.

Papers report both totals: the weighted one (every word counts once, so big sets dominate) and
the mean of the per-set accuracies (every benchmark counts once). They differ, so each row says
which it is.
"""
import json
from dataclasses import dataclass

import numpy as np

from ppocr.utils.io import atomic_write_bytes

# Order of an evaluation's count vector (what the processes all-reduce).
COUNT_FIELDS = ("correct", "samples", "distance", "unusable", "unencodable_labels")


@dataclass(frozen=True)
class SetScore:
    """Counts of one evaluation set; ``distance`` is the sum of normalised edit distances.

    Example::

        s = SetScore.from_counts("SVT", [600, 647, 20.5, 0, 0])
        s.acc, s.norm_edit_dis   # (0.927..., 0.968...)
    """

    name: str
    correct: int
    samples: int
    distance: float
    unusable: int = 0
    unencodable_labels: int = 0

    @classmethod
    def from_counts(cls, name, counts):
        c = [float(v) for v in counts]
        return cls(name, int(round(c[0])), int(round(c[1])), c[2], int(round(c[3])), int(round(c[4])))

    @property
    def acc(self):
        return self.correct / self.samples if self.samples else 0.0

    @property
    def norm_edit_dis(self):
        return 1.0 - self.distance / self.samples if self.samples else 0.0

    def as_dict(self):
        return {"acc": self.acc, "norm_edit_dis": self.norm_edit_dis, "samples": self.samples,
                "correct": self.correct, "unusable": self.unusable, "unencodable_labels": self.unencodable_labels}


class EvalReport:
    """Per-set scores plus both totals; ``markdown()``, ``to_dict()``, ``write(prefix)``.

    Example::

        report = EvalReport([SetScore.from_counts("a", [1, 2, 0.5, 0, 0]),
                             SetScore.from_counts("b", [3, 4, 0.0, 0, 0])], protocol="alnum36")
        report.total()["acc"], report.mean()["acc"]   # (0.666..., 0.625)
    """

    def __init__(self, sets, protocol, description="", weights=None, config=None):
        if not sets:
            raise ValueError("an evaluation report needs at least one set")
        self.sets = list(sets)
        self.protocol, self.description = protocol, description
        self.weights, self.config = weights, config

    def total(self):
        """All samples pooled: each word counts once."""
        summed = np.sum([[s.correct, s.samples, s.distance, s.unusable, s.unencodable_labels] for s in self.sets],
                        axis=0)
        return SetScore.from_counts("total", summed).as_dict()

    def mean(self):
        """Arithmetic mean of the per-set accuracies and edit distances: each set counts once."""
        return {"acc": float(np.mean([s.acc for s in self.sets])),
                "norm_edit_dis": float(np.mean([s.norm_edit_dis for s in self.sets])), "sets": len(self.sets)}

    def to_dict(self):
        return {"weights": self.weights, "config": self.config, "protocol": self.protocol,
                "protocol_description": self.description,
                "sets": [{"name": s.name, **s.as_dict()} for s in self.sets],
                "total_sample_weighted": self.total(), "mean_of_sets": self.mean()}

    def markdown(self):
        head = f"protocol: {self.protocol}" + (f" ({self.description})" if self.description else "")
        if self.weights:
            head = f"weights: {self.weights}; {head}"
        rows = [head, "", "| set | samples | accuracy (%) | norm_edit_dis | unusable |",
                "| --- | ---: | ---: | ---: | ---: |"]
        for s in self.sets:
            rows.append(f"| {_cell(s.name)} | {s.samples} | {100 * s.acc:.2f} | {s.norm_edit_dis:.4f} | {s.unusable} |")
        t, m = self.total(), self.mean()
        rows.append(f"| **total (sample-weighted)** | {t['samples']} | {100 * t['acc']:.2f} | "
                    f"{t['norm_edit_dis']:.4f} | {t['unusable']} |")
        sets = f"{m['sets']} set" + ("s" if m["sets"] != 1 else "")
        rows.append(f"| **mean of {sets} (unweighted)** |  | {100 * m['acc']:.2f} | "
                    f"{m['norm_edit_dis']:.4f} |  |")
        return "\n".join(rows) + "\n"

    def write(self, prefix):
        """``prefix.md`` and ``prefix.json`` (each written atomically); returns the two paths."""
        paths = (prefix + ".md", prefix + ".json")
        for path, text in zip(paths, (self.markdown(), json.dumps(self.to_dict(), indent=2) + "\n")):
            atomic_write_bytes(path, text.encode("utf-8"))
        return paths


def _cell(text):
    return str(text).replace("|", "\\|")
