"""Fixtures of the data tests: synthetic LMDBs in nested folders, a broken sample, charsets."""
import pytest
from tests.helpers.datasets import make_config, word_png, write_lmdb

from ppocr.synth import generate
from ppocr.trained_model.from_config import build_charset


@pytest.fixture(scope="session")
def lmdb_tree(tmp_path_factory):
    """root/a (40 samples), root/nested/deeper/b (24 samples), root/not_lmdb (a text file)."""
    root = tmp_path_factory.mktemp("lmdb_tree")
    generate(40, seed=1, lmdb_dir=str(root / "a"))
    generate(24, seed=2, lmdb_dir=str(root / "nested" / "deeper" / "b"))
    (root / "not_lmdb").mkdir()
    (root / "not_lmdb" / "readme.txt").write_text("not an lmdb")
    return root


@pytest.fixture
def broken_lmdb(tmp_path):
    """Three samples; the second image is not an image."""
    path = str(tmp_path / "broken")
    write_lmdb(path, [("ab", word_png("ab")), ("cd", b"this is not an image"), ("ef", word_png("ef"))])
    return path


@pytest.fixture
def ctc_charset():
    return build_charset(make_config({"name": "LMDBDataSet"}))


@pytest.fixture
def spin_charset():
    return build_charset(make_config({"name": "LMDBDataSet"}, spin=True))
