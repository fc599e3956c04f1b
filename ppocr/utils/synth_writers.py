"""Where generated word images go: an LMDB in the standard layout, or image files + a label file.

Both write each chunk as it arrives (nothing is held in memory) and only make the set usable
at ``close``: the LMDB gets ``num-samples`` last and the label file is renamed into place, so an
interrupted run leaves nothing a dataset would mistake for a complete set.
"""
import os

import lmdb

from ppocr.errors import UserError


class LMDBWriter:
    """``image-%09d`` / ``label-%09d`` for i = 1..n, then ``num-samples`` (MJSynth layout)."""

    def __init__(self, path, map_size=1 << 28):
        if os.path.exists(os.path.join(path, "data.mdb")):
            raise UserError(f"{path!r} already holds an LMDB: choose another folder or delete it first")
        os.makedirs(path, exist_ok=True)
        self.path = path
        self.env = lmdb.open(path, map_size=map_size, subdir=True, lock=True)

    def write(self, start, chunk):
        """Samples ``start, start+1, ...`` (0-based) of ``chunk`` = [(label, encoded image)]."""
        while True:
            try:
                with self.env.begin(write=True) as txn:
                    for offset, (label, image) in enumerate(chunk):
                        key = start + offset + 1
                        txn.put(b"image-%09d" % key, image)
                        txn.put(b"label-%09d" % key, label.encode("utf-8"))
                return
            except lmdb.MapFullError:  # the aborted transaction is retried in a larger map
                self.env.set_mapsize(self.env.info()["map_size"] * 2)

    def close(self, count):
        self.write_meta(count)
        self.env.sync()
        self.env.close()

    def abort(self):
        """Close without ``num-samples``: readers will not take the partial set for a whole one."""
        self.env.close()

    def write_meta(self, count):
        while True:
            try:
                with self.env.begin(write=True) as txn:
                    txn.put(b"num-samples", str(int(count)).encode("ascii"))
                return
            except lmdb.MapFullError:
                self.env.set_mapsize(self.env.info()["map_size"] * 2)


class FolderWriter:
    """``out_dir/images/word_%09d.jpg`` plus a label file of ``images/word_%09d.jpg<TAB>label``
    lines (paths relative to ``out_dir``, the SimpleDataSet ``data_dir``)."""

    def __init__(self, out_dir, label_file=None):
        self.out_dir = out_dir
        self.label_file = label_file or os.path.join(out_dir, "labels.txt")
        os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
        os.makedirs(os.path.dirname(os.path.abspath(self.label_file)), exist_ok=True)
        self.tmp = self.label_file + ".part"
        self.labels = open(self.tmp, "w", encoding="utf-8", newline="\n")

    def write(self, start, chunk):
        for offset, (label, image) in enumerate(chunk):
            name = f"images/word_{start + offset + 1:09d}.jpg"
            with open(os.path.join(self.out_dir, name), "wb") as f:
                f.write(image)
            self.labels.write(f"{name}\t{label}\n")

    def close(self, count):
        self.labels.close()
        os.replace(self.tmp, self.label_file)
