"""ppocr/data/lmdb_format.py: the LMDB word-image set is one format. What its writer writes its
readers read back (metadata and generation info included); a set closed without ``num-samples`` reads
as incomplete; an existing set is never written over; no other module of the library, benchmark or
test spells its keys or files."""
import ast
import re

import pytest

from ppocr.data import lmdb_format
from ppocr.data.lmdb_format import LMDBWriter, Sample, is_lmdb, read_count, read_meta, read_raw, read_samples
from ppocr.errors import UserError
from tests.helpers.e2e import REPO, library_users

KEYS = re.compile(rb"^(num-samples|synth-info|(image|label|meta)-(%09d|\d{9}))$")


def test_what_is_written_is_read_back(tmp_path):
    path = str(tmp_path / "set")
    writer = LMDBWriter(path, map_size=1 << 12)  # small: the writer grows the map when it is full
    writer.write(0, [Sample("hello", b"\x89PNG one", {"name": "a.png"}), ("wörld", b"\x89PNG two")])
    writer.write(2, [Sample("x" * 100, bytes(20_000))])
    writer.close(3, info={"seed": 7})
    assert is_lmdb(path)
    read = list(read_samples(path))
    assert [(i, s.label, s.meta) for i, s in read] == [(1, "hello", {"name": "a.png"}), (2, "wörld", None),
                                                       (3, "x" * 100, None)]
    assert read[1][1].image == b"\x89PNG two" and len(read[2][1].image) == 20_000
    with lmdb_format.open_reader(path, max_readers=4) as env, env.begin() as txn:
        assert read_count(txn) == 3 and read_raw(txn, 4) == (None, None)
        assert read_meta(txn, 1) == {"name": "a.png"} and read_meta(txn, 2) is None
        assert txn.get(lmdb_format.INFO) == b'{"seed":7}'


def test_an_aborted_set_is_incomplete_and_a_written_one_is_not_written_over(tmp_path):
    path = str(tmp_path / "set")
    writer = LMDBWriter(path)
    writer.write(0, [("a", b"x")])
    writer.abort()
    assert list(read_samples(path)) == []
    with lmdb_format.open_reader(path, max_readers=4) as env, env.begin() as txn:
        with pytest.raises(ValueError, match="no valid 'num-samples' key \\(got None\\)"):
            read_count(txn)
    with pytest.raises(UserError, match="already holds an LMDB: choose another folder"):
        LMDBWriter(path)
    lmdb_format.remove_lmdb(path)
    assert not is_lmdb(path)


def spelled_keys(path):
    """Lines of ``path`` whose constants are the format's keys or its data file's name."""
    return sorted(node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and (node.value == lmdb_format.DATA_FILE
                                                   or isinstance(node.value, bytes) and KEYS.match(node.value)))


def test_no_other_module_spells_the_keys():
    files = [*library_users(), *sorted((REPO / "tests").rglob("*.py"))]
    found = {str(p.relative_to(REPO)): spelled_keys(p) for p in files
             if p.name not in ("lmdb_format.py", "test_lmdb_format.py")}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_check_sees_a_spelled_key(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('n = txn.get(b"num-samples")\nkey = b"image-%09d" % 3\nok = "data.mdb"\nfine = "image-%09d"\n')
    assert spelled_keys(probe) == [1, 2, 3]
