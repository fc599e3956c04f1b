"""Where generated word images go: an LMDB in the standard layout, or image files + a label file.

Both write each chunk as it arrives (nothing is held in memory) and only make the set usable
at ``close``: the LMDB gets ``num-samples`` last and the label file is renamed into place, so an
interrupted run leaves nothing a dataset would mistake for a complete set.

A sample may carry metadata (for the generator: the font file, its family, the letter case and
the kind of text): in an LMDB as ``meta-%09d`` (JSON) beside ``image-``/``label-``, which readers
of the standard layout ignore; in a folder as ``meta.jsonl``, one JSON object per line, in the
order of ``labels.txt``, with the image path.
"""
import json
import os
from typing import NamedTuple, Optional

import lmdb

from ppocr.errors import UserError


class Sample(NamedTuple):
    label: str
    image: bytes  # encoded (JPEG, PNG ...)
    meta: Optional[dict] = None


def _json(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class LMDBWriter:
    """``image-%09d`` / ``label-%09d`` (and ``meta-%09d``) for i = 1..n, then ``num-samples``
    (MJSynth layout)."""

    def __init__(self, path, map_size=1 << 28):
        if os.path.exists(os.path.join(path, "data.mdb")):
            raise UserError(f"{path!r} already holds an LMDB: choose another folder or delete it first")
        os.makedirs(path, exist_ok=True)
        self.path = path
        self.env = lmdb.open(path, map_size=map_size, subdir=True, lock=True)

    def write(self, start, chunk):
        """Samples ``start, start+1, ...`` (0-based) of ``chunk``, a list of ``Sample`` or of
        ``(label, encoded image)`` pairs."""
        entries = []
        for offset, sample in enumerate(chunk):
            sample = Sample(*sample)
            key = start + offset + 1
            entries += [(b"image-%09d" % key, sample.image), (b"label-%09d" % key, sample.label.encode("utf-8"))]
            if sample.meta is not None:
                entries.append((b"meta-%09d" % key, _json(sample.meta).encode("utf-8")))
        self._put(entries)

    def _put(self, entries):
        while True:
            try:
                with self.env.begin(write=True) as txn:
                    for key, value in entries:
                        txn.put(key, value)
                return
            except lmdb.MapFullError:  # the aborted transaction is retried in a larger map
                self.env.set_mapsize(self.env.info()["map_size"] * 2)

    def close(self, count, info=None):
        """``num-samples`` (and ``info`` as the JSON of ``synth-info``): the set is complete."""
        entries = [(b"num-samples", str(int(count)).encode("ascii"))]
        if info is not None:
            entries.insert(0, (b"synth-info", _json(info).encode("utf-8")))
        self._put(entries)
        self.env.sync()
        self.env.close()

    def abort(self):
        """Close without ``num-samples``: readers will not take the partial set for a whole one."""
        self.env.close()


def refuse_full_folder(out_dir):
    """A one-line UserError when ``out_dir`` already holds files: a new set never mixes with an old one
    (its labels.txt would be replaced, its images overwritten one by one), as an LMDB is never added to."""
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        held = ", ".join(sorted(os.listdir(out_dir))[:3])
        raise UserError(f"{out_dir!r} already holds files ({held}, ...): choose another folder or delete it first")


class FolderWriter:
    """``out_dir/images/word_%09d.jpg`` plus a label file of ``images/word_%09d.jpg<TAB>label``
    lines (paths relative to ``out_dir``, the SimpleDataSet ``data_dir``), and ``meta.jsonl``
    beside the label file when samples carry metadata."""

    def __init__(self, out_dir, label_file=None):
        refuse_full_folder(out_dir)
        self.out_dir = out_dir
        self.label_file = label_file or os.path.join(out_dir, "labels.txt")
        os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
        os.makedirs(os.path.dirname(os.path.abspath(self.label_file)), exist_ok=True)
        self.meta_file = os.path.join(os.path.dirname(os.path.abspath(self.label_file)), "meta.jsonl")
        self.labels = open(self.label_file + ".part", "w", encoding="utf-8", newline="\n")
        self.meta = None

    def write(self, start, chunk):
        for offset, sample in enumerate(chunk):
            sample = Sample(*sample)
            name = f"images/word_{start + offset + 1:09d}.jpg"
            with open(os.path.join(self.out_dir, name), "wb") as f:
                f.write(sample.image)
            self.labels.write(f"{name}\t{sample.label}\n")
            if sample.meta is not None:
                if self.meta is None:
                    self.meta = open(self.meta_file + ".part", "w", encoding="utf-8", newline="\n")
                self.meta.write(_json(dict(sample.meta, path=name, label=sample.label)) + "\n")

    def close(self, count, info=None):
        self.labels.close()
        os.replace(self.label_file + ".part", self.label_file)
        if self.meta is not None:
            self.meta.close()
            os.replace(self.meta_file + ".part", self.meta_file)
