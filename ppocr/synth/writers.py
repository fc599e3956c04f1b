"""Where generated word images go besides an LMDB (``ppocr.data.lmdb_format.LMDBWriter``): image
files + a label file. Like the LMDB writer it writes each chunk as it arrives (nothing is held in
memory) and only makes the set usable at ``close``: the label file is renamed into place, so an
interrupted run leaves nothing a dataset would mistake for a complete set.

A sample's metadata (for the generator: the font file, its family, the letter case and the kind of
text) goes to ``meta.jsonl``, one JSON object per line, in the order of ``labels.txt``, with the
image path (in an LMDB: ``meta-%09d``, the format's).
"""
import json
import os

from ppocr.data.lmdb_format import Sample
from ppocr.errors import UserError


def _json(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
