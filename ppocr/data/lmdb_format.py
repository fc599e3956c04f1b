"""The LMDB word-image set, one format that this module alone reads and writes (as
``ppocr/export/model_folder.py`` does for exported models): the MJSynth / deep-text-recognition-
benchmark layout that LMDBDataSet reads, the generator and the converters write and the leak
finder compares.

An LMDB folder holds ``data.mdb``; its keys are

- ``num-samples``: the number n of samples, written last, so a set without it is incomplete;
- for i = 1..n: ``image-%09d`` (the encoded image) and ``label-%09d`` (UTF-8 text), and where a
  writer has it ``meta-%09d`` (JSON: the generator's font and case, a converted crop's name), which
  readers of the standard layout ignore;
- ``synth-info`` (JSON, optional): how the set was generated.

Only the standard library and ``lmdb`` are imported at the top, so the benchmarks load this file
by path, whichever library their child process measures.

Example::

    writer = LMDBWriter("train_data/words")
    writer.write(0, [Sample("hello", png_bytes)])
    writer.close(count=1)
    [(i, s.label) for i, s in read_samples("train_data/words")]     # [(1, 'hello')]
"""
import json
import os
from typing import NamedTuple, Optional

import lmdb

DATA_FILE = "data.mdb"  # what makes a folder an LMDB
LOCK_FILE = "lock.mdb"
NUM_SAMPLES = b"num-samples"
INFO = b"synth-info"
READ_ONLY = dict(readonly=True, lock=False, readahead=False, meminit=False)


def image_key(index):
    """The key of sample ``index`` (1-based)'s encoded image."""
    return b"image-%09d" % index


def label_key(index):
    return b"label-%09d" % index


def meta_key(index):
    return b"meta-%09d" % index


class Sample(NamedTuple):
    """One sample of a word-image set."""

    label: str
    image: bytes  # encoded (JPEG, PNG ...)
    meta: Optional[dict] = None


def is_lmdb(folder):
    return os.path.isfile(os.path.join(folder, DATA_FILE))


def remove_lmdb(folder):
    """Delete the LMDB files of ``folder`` (a set abandoned before it held anything), not the folder."""
    for name in (DATA_FILE, LOCK_FILE):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            os.remove(path)


def open_reader(path, max_readers=126):
    """A read-only environment on the LMDB folder ``path`` (no lock, no read-ahead: many readers)."""
    return lmdb.open(path, max_readers=max_readers, **READ_ONLY)


def read_count(txn):
    """``num-samples`` as an int; a ValueError saying what was found when it is missing or not a number."""
    raw = txn.get(NUM_SAMPLES)
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"no valid 'num-samples' key (got {raw!r})") from None


def read_raw(txn, index):
    """``(label bytes, encoded image)`` of sample ``index`` (1-based), each None when its key is missing."""
    return txn.get(label_key(index)), txn.get(image_key(index))


def read_meta(txn, index):
    """The ``meta-%09d`` mapping of sample ``index``, or None."""
    raw = txn.get(meta_key(index))
    return json.loads(raw) if raw else None


def read_samples(path):
    """``(index, Sample)`` of every sample of the LMDB folder ``path``, in order (a missing
    ``num-samples`` reads as none)."""
    with lmdb.open(path, **READ_ONLY) as env, env.begin() as txn:
        raw = txn.get(NUM_SAMPLES)
        for index in range(1, int(raw or 0) + 1):
            label, image = read_raw(txn, index)
            yield index, Sample(label.decode("utf-8") if label is not None else None, image, read_meta(txn, index))


def _json(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class LMDBWriter:
    """``image-%09d`` / ``label-%09d`` (and ``meta-%09d``) for i = 1..n, then ``num-samples``; each
    chunk is written as it arrives, so nothing is held in memory."""

    def __init__(self, path, map_size=1 << 28):
        if is_lmdb(path):
            from ppocr.errors import UserError  # here, not at the top: see the module docstring

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
            index = start + offset + 1
            entries += [(image_key(index), sample.image), (label_key(index), sample.label.encode("utf-8"))]
            if sample.meta is not None:
                entries.append((meta_key(index), _json(sample.meta).encode("utf-8")))
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
        entries = [(NUM_SAMPLES, str(int(count)).encode("ascii"))]
        if info is not None:
            entries.insert(0, (INFO, _json(info).encode("utf-8")))
        self._put(entries)
        self.env.sync()
        self.env.close()

    def abort(self):
        """Close without ``num-samples``: readers will not take the partial set for a whole one."""
        self.env.close()
