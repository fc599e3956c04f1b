"""FiducialTargets: the generator's control points read from the LMDB, moved by the resize's padding."""
import lmdb
import numpy as np
import pytest
from tests.helpers.datasets import make_config, word_png

from ppocr.data import collate
from ppocr.data.imaug.fiducials import FiducialTargets
from ppocr.data.lmdb_dataset import LMDBDataSet
from ppocr.data.lmdb_format import LMDBWriter, Sample, meta_key
from ppocr.errors import UserError

POINTS = np.concatenate([np.stack([np.linspace(-0.9, 0.9, 10), np.full(10, -0.5)], axis=1),
                         np.stack([np.linspace(-0.9, 0.9, 10), np.full(10, 0.6)], axis=1)])


def test_points_follow_the_right_padding_of_the_resize():
    out = FiducialTargets()({"meta": {"fiducials": POINTS.tolist()}, "valid_ratio": np.float32(0.5)})
    assert out["fiducials"].shape == (20, 2) and out["fiducials"].dtype == np.float32
    assert float(out["fiducial_mask"]) == 1.0 and "meta" not in out
    # the word fills the left half of the padded input: -1 stays the left edge, +1 becomes the middle
    np.testing.assert_allclose(out["fiducials"][:, 0], (POINTS[:, 0] + 1) * 0.5 - 1, atol=1e-6)
    np.testing.assert_allclose(out["fiducials"][:, 1], POINTS[:, 1], atol=1e-6)


@pytest.mark.parametrize("meta", [None, {}, {"font": "x.ttf"}])
def test_a_sample_without_points_is_masked_out(meta):
    out = FiducialTargets()({"meta": meta, "valid_ratio": np.float32(1.0)})
    assert float(out["fiducial_mask"]) == 0.0 and not out["fiducials"].any()


def test_points_of_another_count_are_a_config_error():
    with pytest.raises(UserError, match="num_fiducial"):
        FiducialTargets(num_fiducial=16)({"meta": {"fiducials": POINTS.tolist()}})
    with pytest.raises(UserError, match="even integer"):
        FiducialTargets(num_fiducial=7)


def test_the_dataset_reads_the_metadata_only_for_the_op(tmp_path, ctc_charset):
    path = str(tmp_path / "fid")
    writer = LMDBWriter(path, map_size=1 << 24)
    writer.write(0, [Sample("ab", word_png("ab", width=40), {"fiducials": POINTS.tolist()}),
                     Sample("cd", word_png("cd", width=40)),  # a real crop: no points
                     Sample("ef", word_png("ef", width=40), {"fiducials": POINTS.tolist()})])
    writer.close(3)
    with lmdb.open(path) as env, env.begin(write=True) as txn:
        txn.put(meta_key(3), b"{not json")  # damaged metadata: trained on without points
    config = make_config({"name": "LMDBDataSet", "data_dir": path})
    transforms = config["Train"]["dataset"]["transforms"]
    assert "fiducials" not in LMDBDataSet(config, "Train", ctc_charset)[0]
    transforms.insert(-1, {"FiducialTargets": {"num_fiducial": 20}})
    transforms[-1]["KeepKeys"]["keep_keys"] += ["fiducials", "fiducial_mask"]
    ds = LMDBDataSet(config, "Train", ctc_charset)
    batch = collate([ds[i] for i in range(3)])
    assert batch["fiducials"].shape == (3, 20, 2)
    np.testing.assert_array_equal(batch["fiducial_mask"], [1.0, 0.0, 0.0])
    # a 40x20 word resized to 32 high is 64 wide: 0.64 of the 100-wide input
    np.testing.assert_allclose(batch["fiducials"][0, :, 0], (POINTS[:, 0] + 1) * 0.64 - 1, atol=1e-6)
