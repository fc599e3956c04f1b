"""Where the word lies in its image: the TPS control points a rectifier can be taught to find.

STAR-Net's rectifier (Liu et al., BMVC 2016; the TPS of Shi et al., "Robust Scene Text
Recognition with Automatic Rectification", CVPR 2016) learns its control points from the
recognition loss alone, and on crops that are mostly straight it learns to stay near the
identity. The synthetic generator knows exactly where each word's top and bottom edges run
(``meta["fiducials"]``: F points, the top edge left to right, then the bottom edge left to
right, in [-1, 1] of the crop), so it can also tell the rectifier where to put them, as the
supervised rectifiers of scene-text work do (e.g. Yang et al., "Symmetry-constrained
Rectification Network for Scene Text Recognition", ICCV 2019, which regresses the text's
geometry). Real crops have no points: their mask is 0 and only the recognition loss sees them.

Example (Train.dataset.transforms, after the resize)::

    - RecResizeImg: {image_shape: [3, 32, 100]}
    - FiducialTargets: {num_fiducial: 20}
    - KeepKeys: {keep_keys: [image, label, length, fiducials, fiducial_mask]}

and ``Loss.fiducial_weight: 0.1`` makes the TPS regress them.
"""
import numpy as np

from ppocr.errors import UserError
from ppocr.registry import DATA_OPS


@DATA_OPS.register()
class FiducialTargets:
    """``fiducials`` [F, 2] float32 (x, y in [-1, 1] of the model's input) and ``fiducial_mask``
    (1.0 when the sample has points, 0.0 when it has none), from the sample's LMDB metadata.

    Placed after ``RecResizeImg``: a right-padded resize keeps ``valid_ratio`` of the width for
    the word, so x moves to ``(x + 1) * valid_ratio - 1``; y is unchanged (the half-pixel shift of
    the resize is ignored: under a hundredth of the width).
    """

    needs_meta = True  # the dataset reads each sample's metadata for this op

    def __init__(self, num_fiducial=20):
        if isinstance(num_fiducial, bool) or not isinstance(num_fiducial, int) or num_fiducial < 4 or num_fiducial % 2:
            raise UserError(f"FiducialTargets.num_fiducial must be an even integer >= 4 (the TPS's "
                            f"Architecture.Transform.num_fiducial), got {num_fiducial!r}")
        self.num_fiducial = num_fiducial

    def __call__(self, data):
        meta = data.pop("meta", None) or {}
        points = meta.get("fiducials")
        if points is None:
            data.update(self.placeholder())
            return data
        points = np.array(points, dtype=np.float32)  # a copy: the metadata's list stays as read
        if points.shape != (self.num_fiducial, 2):
            raise UserError(f"FiducialTargets: a sample's fiducials have shape {list(points.shape)}, expected "
                            f"[{self.num_fiducial}, 2]; set FiducialTargets.num_fiducial to the number the "
                            f"data was generated with")
        points[:, 0] = (points[:, 0] + 1.0) * float(data.get("valid_ratio", 1.0)) - 1.0
        data["fiducials"] = points
        data["fiducial_mask"] = np.float32(1.0)
        return data

    def placeholder(self):
        return {"fiducials": np.zeros((self.num_fiducial, 2), dtype=np.float32), "fiducial_mask": np.float32(0.0)}
