"""The 20 fiducial points of a word (fiducials.py): in the final image they frame the word's ink,
straight or along an arc; each geometric step moves them with the ink; an arc's top edge bends
and a straight word's does not; and they reach the LMDB and the folder's meta.jsonl."""
import json
from dataclasses import replace

import cv2
import numpy as np
import pytest

from ppocr.data.lmdb_format import read_samples
from ppocr.synth import DEFAULT_SETTINGS, WordRenderer, find_fonts, generate
from ppocr.synth.background import make_bank
from ppocr.synth.clutter import add_neighbours
from ppocr.synth.curve import arc_directions, set_along, wave_directions
from ppocr.synth.effects import Degrader
from ppocr.synth.fiducials import NUM_FIDUCIAL, normalised, resized
from ppocr.synth.geometry import crop, cylinder, level, warp
from ppocr.synth.render import FILL, MAIN, GlyphRenderer, GlyphStyle

# nothing but the glyphs on a plain board: every shape and photometric effect off
PLAIN = replace(DEFAULT_SETTINGS, kind_weights=(("word", 1.0),), p_bold=0.0, p_thin=0.0, p_spacing=0.0,
                p_outline=0.0, p_shadow=0.0, p_rotate=0.0, p_rotate_large=0.0, p_shear=0.0, p_perspective=0.0,
                p_view=0.0, p_curve=0.0, p_tilted_box=0.0, p_cylinder=0.0, p_loose=0.0, p_cut=0.0,
                p_neighbours=0.0, p_edges=0.0, background_weights=(("solid", 1.0),), p_palette=1.0,
                p_low_contrast=0.0, p_textured_text=0.0, p_blur=0.0, p_motion_blur=0.0, p_defocus=0.0,
                p_low_resolution=0.0, p_noise=0.0, p_iso_noise=0.0, p_lighting=0.0, p_cast_shadow=0.0,
                p_brightness_contrast=0.0, p_jpeg=0.0)
ARC = replace(PLAIN, p_curve=1.0, curve_weights=(("arc", 1.0),), arc_radius=(2.0, 4.0))


@pytest.fixture(scope="module")
def face():
    return next(f for f in find_fonts() if f.file == "DejaVuSans.ttf")


@pytest.fixture(scope="module")
def bank():
    return make_bank(0, 0)


def samples(face, bank, settings, n=3):
    """``(image, fiducials in pixel indices)`` of ``n`` samples of the word 'typography'."""
    renderer = WordRenderer([face], ["typography"], case="lower", settings=settings)
    out = []
    for i in range(n):
        _, image, meta = renderer.render(np.random.default_rng([11, i]), bank)
        h, w = image.shape[:2]
        assert len(meta["fiducials"]) == NUM_FIDUCIAL and all(len(p) == 2 for p in meta["fiducials"])
        out.append((image, (np.array(meta["fiducials"]) + 1.0) / 2.0 * [w - 1, h - 1]))
    return out


def image_ink(image):
    """The glyphs of a word painted on a plain board: pixels nearer the ink's colour than the board's."""
    pixels = image.reshape(-1, 3).astype(np.float32)
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]).astype(np.float32)
    distance = np.linalg.norm(pixels - np.median(border, axis=0), axis=1)
    return (distance > 0.5 * distance.max()).reshape(image.shape[:2])


def layer_ink(layers):
    return layers[..., MAIN if layers.shape[2] > MAIN else FILL] > 127


def polygon(points, shape):
    """The mask of the polygon top edge -> bottom edge reversed, in pixel indices."""
    mask = np.zeros(shape[:2], dtype=np.uint8)
    ring = np.concatenate([points[:NUM_FIDUCIAL // 2], points[NUM_FIDUCIAL // 2:][::-1]])
    cv2.fillPoly(mask, pts=[np.round(ring * 16).astype(np.int32)], color=1, lineType=cv2.LINE_8, shift=4)
    return mask.astype(bool)


def area(points):
    ring = np.concatenate([points[:NUM_FIDUCIAL // 2], points[NUM_FIDUCIAL // 2:][::-1]]).astype(np.float32)
    return abs(cv2.contourArea(ring))


def assert_frames(ink, points):
    """The polygon holds the ink and is not much larger than the ink's smallest rotated box."""
    assert (ink & polygon(points, ink.shape)).sum() > 0.95 * ink.sum()
    ys, xs = np.nonzero(ink)
    (_, _), (bw, bh), _ = cv2.minAreaRect(np.stack([xs, ys], axis=1).astype(np.float32))
    assert area(points) < 3.0 * bw * bh


@pytest.mark.parametrize("settings", [PLAIN, ARC], ids=["straight", "arc"])
def test_the_points_frame_the_ink_of_the_final_image(face, bank, settings):
    for image, points in samples(face, bank, settings):
        assert_frames(image_ink(image), points)


def deviation(edge):
    """The largest distance of an edge's points from the line through its two ends."""
    direction = (edge[-1] - edge[0]) / np.linalg.norm(edge[-1] - edge[0])
    offsets = edge - edge[0]
    return np.abs(offsets[:, 0] * direction[1] - offsets[:, 1] * direction[0]).max()


def test_an_arc_bends_the_edges_and_a_straight_word_keeps_them_straight(face, bank):
    for (image, straight), (arc_image, arc) in zip(samples(face, bank, PLAIN), samples(face, bank, ARC)):
        top, bottom = straight[:NUM_FIDUCIAL // 2], straight[NUM_FIDUCIAL // 2:]
        assert deviation(top) < 0.005 * image.shape[0] and deviation(bottom) < 0.005 * image.shape[0]
        # level, one above the other, evenly spaced (to the metadata's 4 decimals of [-1, 1])
        assert np.allclose(top[:, 1], top[0, 1], atol=0.05) and np.allclose(top[:, 0], bottom[:, 0], atol=0.05)
        assert np.allclose(np.diff(top[:, 0]), np.diff(top[:, 0]).mean(), atol=0.05)
        assert top[0, 0] < top[-1, 0] and top[0, 1] < bottom[0, 1]  # the order of tps_grid.base_control_points
        assert deviation(arc[:NUM_FIDUCIAL // 2]) > 0.05 * arc_image.shape[0]


@pytest.fixture(scope="module")
def word(face):
    return GlyphRenderer().render_with_fiducials("Hamburg", face, GlyphStyle(size=40))


class Words:
    def sample(self, rng):
        return "line", "lower", "word"


STEPS = {
    "rotate 30": lambda layers, points: warp(layers, 30.0, 0.0, fiducials=points),
    "view": lambda layers, points: warp(layers, 0.0, 0.2, camera=(np.radians(50), np.pi / 2, 1.5), fiducials=points),
    "corners": lambda layers, points: warp(layers, 0.0, 0.0, corners=[[0.1, -0.2], [0, 0.2], [-0.1, 0], [0, -0.1]],
                                           fiducials=points),
    "cylinder": lambda layers, points: cylinder(layers, np.radians(70), 0.35, fiducials=points),
    "level": lambda layers, points: level(*warp(layers, -20.0, 0.0, fiducials=points)),
    "neighbours": lambda layers, points: add_neighbours(layers, np.random.default_rng(2), DEFAULT_SETTINGS,
                                                        draw=lambda text: layers[..., :3], words=Words(),
                                                        fiducials=points),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_moves_the_points_with_the_ink(word, step):
    layers, points = word
    assert_frames(layer_ink(layers), points)
    moved_layers, moved = STEPS[step](layers.copy(), points)
    assert not np.allclose(moved, points, atol=0.5)  # this step does move the word
    assert_frames(layer_ink(moved_layers), moved)


def test_a_crop_that_cuts_into_the_glyphs_leaves_points_outside(word):
    layers, points = word
    cutting = replace(DEFAULT_SETTINGS, p_loose=0.0, tight_margin=(0.0, 0.0), p_cut=1.0, cut=(0.1, 0.12))
    cut, moved = crop(layers, np.random.default_rng(0), cutting, points)
    assert (moved[:, 1] < -0.5).any() or (moved[:, 1] > cut.shape[0] - 0.5).any()  # kept, not clipped
    ink = layer_ink(cut)
    assert (ink & polygon(moved, ink.shape)).sum() > 0.95 * ink.sum()


CURVES = {"smile": lambda length: arc_directions(length, -90.0),
          "wave": lambda length: wave_directions(length, np.radians(25), 1.0, 0.0)}


@pytest.mark.parametrize("curve", sorted(CURVES))
def test_the_points_of_a_curved_word_frame_its_ink(face, curve):
    style = GlyphStyle(size=40)
    glyphs, length = GlyphRenderer().render_each("Sweeping", face, style)
    layers, points = set_along(glyphs, CURVES[curve](length), style)
    assert_frames(layer_ink(layers), points)


def test_resizing_and_normalising_follow_opencv_and_grid_sample():
    # the outer edges of an image stay its edges; the first and last pixel centres are -1 and 1
    edges = np.array([[-0.5, -0.5], [99.5, 39.5]])
    assert np.allclose(resized(edges, (40, 100), (24, 60)), [[-0.5, -0.5], [59.5, 23.5]])
    assert normalised(np.array([[0.0, 0.0], [59.0, 23.0], [29.5, 34.5]]), (24, 60)) == [[-1, -1], [1, 1], [0, 2]]
    dot = np.zeros((40, 100), dtype=np.float32)
    dot[10:14, 60:64] = 1.0  # centred on pixel index (61.5, 11.5)
    small = cv2.resize(dot, dsize=(50, 20), interpolation=cv2.INTER_AREA)
    ys, xs = np.mgrid[:20, :50]
    centre = [(xs * small).sum() / small.sum(), (ys * small).sum() / small.sum()]
    assert np.allclose(resized(np.array([[61.5, 11.5]]), (40, 100), (20, 50)), [centre])


def test_the_degradations_keep_the_image_where_it_was():
    # the points are not moved after the final resize: no effect may crop, pad or resize
    image = np.random.default_rng(0).integers(0, 256, size=(32, 90, 3), dtype=np.uint8)
    every = replace(DEFAULT_SETTINGS, **{name: 1.0 for name in vars(DEFAULT_SETTINGS) if name.startswith("p_")})
    for settings in (every, replace(every, p_motion_blur=0.0), replace(every, p_motion_blur=0.0, p_defocus=0.0)):
        applied = []
        assert Degrader(settings).degrade(image, np.random.default_rng(1), applied).shape == image.shape
        assert "low resolution" in applied


def test_the_points_reach_the_lmdb_and_the_folder(tmp_path):
    generate(6, seed=1, lmdb_dir=str(tmp_path / "lmdb"), out_dir=str(tmp_path / "folder"))
    stored = [sample.meta["fiducials"] for _, sample in read_samples(str(tmp_path / "lmdb"))]
    lines = (tmp_path / "folder" / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(stored) == 6 and [json.loads(line)["fiducials"] for line in lines] == stored
    for points in stored:
        assert np.array(points).shape == (NUM_FIDUCIAL, 2)
        assert all(isinstance(v, float) and round(v, 4) == v for pair in points for v in pair)
