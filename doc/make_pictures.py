"""Redraw the pictures of the tool pages (doc/imgs/*.png) from the shipped model.

    python doc/make_pictures.py              # about a minute on two CPU cores
    python doc/make_pictures.py --only synth_samples

Each picture is made by the library code the tool itself runs; nothing is drawn by hand.
"""
import argparse
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from ppocr.inference.rectification import compose_grid  # noqa: E402

IMGS = os.path.join(REPO, "doc", "imgs")
SHIPPED = os.path.join(REPO, "pretrained", "rec_mv3_tps_bilstm_ctc_synth")
CONFIG = os.path.join(REPO, "configs", "rec", "demo_mv3_tps_bilstm_ctc.yml")
SAMPLE_LIST = os.path.join(REPO, "doc", "imgs_words_en.txt")


def _tile(img, height=48):
    img = cv2.cvtColor(img, code=cv2.COLOR_GRAY2BGR) if img.ndim == 2 else img
    width = max(1, int(round(img.shape[1] * height / img.shape[0])))
    return cv2.resize(img, dsize=(width, height), interpolation=cv2.INTER_AREA)


def _text(text, height=48, width=150):
    band = np.full((height, width, 3), 255, dtype=np.uint8)
    cv2.putText(band, text, org=(6, height // 2 + 6), fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=0.6,
                color=(0, 0, 0), thickness=1, lineType=cv2.LINE_AA)
    return band


def _save(name, img):
    os.makedirs(IMGS, exist_ok=True)
    path = os.path.join(IMGS, name)
    cv2.imwrite(path, img, params=[cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"{path}: {img.shape[1]}x{img.shape[0]}, {os.path.getsize(path) // 1024} KB")


def _samples():
    with open(SAMPLE_LIST, encoding="utf-8") as f:
        pairs = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return [(os.path.join(REPO, "doc", name), label) for name, label in pairs]


# the fonts and backgrounds of the pretraining recipe (doc/tools/gen_synth_data.md), where installed
RECIPE_FONTS = ["/usr/share/fonts", "/usr/share/texmf/fonts/opentype"]
RECIPE_BACKGROUNDS = ["/usr/share/backgrounds", "/usr/share/wallpapers", "/usr/share/gimp/2.0/patterns",
                      "/usr/share/mypaint/backgrounds"]


def _installed(folders):
    """The ``folders`` that exist here, or None (the generator's defaults) when none does."""
    return [f for f in folders if os.path.isdir(f)] or None


# one row per effect: the settings that make every sample of the row show it
EFFECTS = {
    "photograph": dict(background_weights=(("photo", 1.0),), p_busy=1.0),
    "cylinder": dict(p_curve=0.0, p_cylinder=1.0),
    "curve": dict(p_curve=1.0, p_view=0.0),
    "neighbours": dict(p_neighbours=1.0, p_loose=1.0),
    "board edges": dict(p_edges=1.0),
    "perspective": dict(p_view=0.0, p_perspective=1.0, perspective=(0.18, 0.3)),
    "strong view": dict(p_curve=0.0, p_view=1.0),
    "defocus": dict(p_motion_blur=0.0, p_defocus=1.0),
    "motion blur": dict(p_motion_blur=1.0),
    "cast shadow": dict(p_cast_shadow=1.0),
    "low resolution": dict(p_low_resolution=1.0),
    "JPEG": dict(p_jpeg=1.0, jpeg_quality=(10, 25)),
}


# the sheet of curved and perspective words: a row per shape, every sample of the row in it
CURVED = {
    "arc, upright box": dict(p_curve=1.0, p_view=0.0, curve_weights=(("arc", 1.0),), p_tilted_box=0.0),
    "arc, tilted box": dict(p_curve=1.0, p_view=0.0, curve_weights=(("arc", 1.0),), p_tilted_box=1.0),
    "arc, strong bend": dict(p_curve=1.0, p_view=0.0, curve_weights=(("arc", 1.0),), arc_radius=(1.2, 2.5)),
    "wave": dict(p_curve=1.0, p_view=0.0, curve_weights=(("wave", 1.0),)),
    "view, turned aside": dict(p_curve=0.0, p_view=1.0, view_axes=(("horizontal", 1.0),)),
    "view, from below/above": dict(p_curve=0.0, p_view=1.0, view_axes=(("vertical", 1.0),)),
    "view, both": dict(p_curve=0.0, p_view=1.0, view_axes=(("both", 1.0),)),
    "slant": dict(p_curve=0.0, p_view=0.0, p_shear=1.0, shear=0.35),
}


def synth_samples():
    """24 training words and, below, 4 held-out words in each case, as tools/gen_synth_data.py
    renders them: in the recipe's fonts where they are installed, else in matplotlib's."""
    from ppocr.synth import generate
    from ppocr.synth.generator import generate_per_case

    fonts = _installed(RECIPE_FONTS)
    with tempfile.TemporaryDirectory() as tmp:
        generate(24, seed=11, out_dir=os.path.join(tmp, "train"), fonts=fonts, split="train")
        generate_per_case(4, seed=12, out_dir=os.path.join(tmp, "val"), fonts=fonts, split="heldout")
        train = _annotated(os.path.join(tmp, "train"))
        cases = [_annotated(os.path.join(tmp, "val", case)) for case in ("lower", "title", "upper")]
    top = compose_grid([sum(train[i:i + 4], []) for i in range(0, 24, 4)],
                       ["training split, seed 11", "label | family"] * 4)
    bottom = compose_grid([sum(case, []) for case in cases], ["held out, seed 12: lower / Title / UPPER", ""] * 4)
    width = max(top.shape[1], bottom.shape[1])
    top, bottom = (np.pad(g, ((0, 0), (0, width - g.shape[1]), (0, 0)), constant_values=255) for g in (top, bottom))
    _save("synth_samples.png", np.concatenate([top, np.full((12, width, 3), 255, np.uint8), bottom], axis=0))


def synth_effects():
    """A row of six training words per effect of the generator, each drawn with that effect
    on every sample (the rest as usual): a contact sheet of generated words only."""
    _save("synth_effects.png", compose_grid(_effect_rows(EFFECTS, seed=20), ["effect"] + [""] * 6))


def synth_curved():
    """Words bent along arcs and waves and seen in strong views, a row of six per shape."""
    _save("synth_curved.png", compose_grid(_effect_rows(CURVED, seed=40, label_width=215, height=56, width=270),
                                           ["shape"] + [""] * 6))


def synth_fiducials():
    """The words of ``synth_curved`` with the 20 control points the generator records for each
    (red: the top edge, blue: the bottom edge), on a white margin where they fall outside."""
    _save("synth_fiducials.png", compose_grid(_effect_rows(CURVED, seed=40, label_width=215, height=56, width=270,
                                                           points=True), ["shape"] + [""] * 6))


def _with_points(image, fiducials, margin=10):
    """``image`` on a white margin with its ``fiducials`` ([-1, 1], grid_sample's convention) drawn."""
    h, w = image.shape[:2]
    out = cv2.copyMakeBorder(image, top=margin, bottom=margin, left=margin, right=margin,
                             borderType=cv2.BORDER_CONSTANT, value=(255, 255, 255))
    pixels = (np.asarray(fiducials) + 1.0) / 2.0 * [w - 1, h - 1] + margin
    for k, (x, y) in enumerate(pixels):
        cv2.circle(out, center=(int(round(x)), int(round(y))), radius=max(2, h // 24),
                   color=(0, 0, 230) if k < len(pixels) // 2 else (230, 60, 0), thickness=-1, lineType=cv2.LINE_AA)
    return out


def _effect_rows(effects, seed, label_width=130, height=40, width=230, points=False):
    """[[name, six tiles]] for each {name: settings changes} of ``effects``, in the recipe's
    fonts and backgrounds where installed; with ``points``, each word's control points drawn."""
    from dataclasses import replace

    from ppocr.synth import DEFAULT_SETTINGS, generate

    fonts = _installed(RECIPE_FONTS)
    backgrounds = _installed(RECIPE_BACKGROUNDS)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, changes) in enumerate(effects.items()):
            folder = os.path.join(tmp, str(k))
            generate(6, seed=seed + k, out_dir=folder, fonts=fonts, split="train", backgrounds=backgrounds,
                     settings=replace(DEFAULT_SETTINGS, **changes))
            rows.append([_text(name, height=height, width=label_width)] +
                        [pair[0] for pair in _annotated(folder, height=height, width=width, points=points)])
    return rows


def _annotated(folder, height=40, width=230, points=False):
    """[[image tile, 'label | family' band]] of a generated folder, in sample order (with
    ``points``, each image with its control points drawn)."""
    import json

    with open(os.path.join(folder, "meta.jsonl"), encoding="utf-8") as f:
        metas = [json.loads(line) for line in f]
    images = [cv2.imread(os.path.join(folder, m["path"])) for m in metas]
    if points:  # drawn at the tile's scale, so that every word's points are the same size
        images = [_with_points(_tile(img, height=height - 20), m["fiducials"]) for img, m in zip(images, metas)]
    return [[_tile(img, height=height)[:, :width],
             _text(f"{m['label']} | {m['family'][:16]}", height=40, width=220)] for img, m in zip(images, metas)]


def lmdb_inputs():
    """What LMDBDataSet hands the model from an LMDB made by create_lmdb_dataset: 3x32x100, padded."""
    from ppocr.config import load_config
    from ppocr.data.imaug.rec_img_aug import RecResizeImg
    from ppocr.data.lmdb_dataset import LMDBDataSet
    from ppocr.synth.create_lmdb import create_lmdb_dataset
    from ppocr.trained_model.from_config import build_charset

    config = load_config(CONFIG)
    with tempfile.TemporaryDirectory() as tmp:
        label_file = os.path.join(tmp, "labels.txt")
        with open(label_file, "w", encoding="utf-8") as f:
            f.writelines(f"{path}\t{label}\n" for path, label in _samples()[:6])
        create_lmdb_dataset(label_file, os.path.join(tmp, "lmdb", "samples"), data_dir="/")
        config["Eval"]["dataset"]["data_dir"] = os.path.join(tmp, "lmdb")
        dataset = LMDBDataSet(config, "Eval", build_charset(config))
        display = RecResizeImg(image_shape=[3, 32, 100])
        rows = []
        for i in range(len(dataset)):
            sample = dataset[i]
            big = cv2.resize(display.to_uint8(sample["image"]), dsize=None, fx=2, fy=2,
                             interpolation=cv2.INTER_NEAREST)
            rows.append([big, _text(sample["text"], height=64)])
    _save("lmdb_inputs.png", compose_grid(rows, ["model input (3x32x100, right-padded)", "label"]))


def _draw_rectification(images, name, weights=None):
    """The rectification grid of ``images`` by the shipped model (or ``weights``), as doc/imgs/``name``."""
    from ppocr.config import merge_config
    from ppocr.inference.pipeline import dygraph_pipeline
    from ppocr.inference.rectification import visualize_rectification
    from ppocr.trained_model.from_config import TrainedModel

    weights = weights or os.path.join(SHIPPED, "best_accuracy")
    config = merge_config(CONFIG, [f"Global.pretrained_model={weights}"])
    visualize_rectification(dygraph_pipeline(TrainedModel.from_config(config)), images, os.path.join(IMGS, name),
                            scale=2)
    print(os.path.join(IMGS, name))


def rectify():
    _draw_rectification([p for p, _ in _samples()][:6], "rectify_starnet.png")


CURVED_WORDS = os.path.join(REPO, "doc", "imgs_words_curved")
# the bundled curved crops: two of each shape, in the held-out typefaces (never trained on)
CURVED_WORD_SHAPES = ("arc, strong bend", "arc, tilted box", "wave", "view, both")


def curved_words():
    """Write doc/imgs_words_curved/: eight generated words bent along arcs and waves or seen at a
    strong angle, in the held-out typeface families, and their labels (doc/imgs_words_curved.txt,
    as doc/imgs_words_en.txt)."""
    import shutil
    from dataclasses import replace

    from ppocr.synth import DEFAULT_SETTINGS, generate
    from ppocr.synth.generator import WORDS_FILE

    fonts = _installed(RECIPE_FONTS)
    backgrounds = _installed(RECIPE_BACKGROUNDS)
    lines = []
    os.makedirs(CURVED_WORDS, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        long_words = os.path.join(tmp, "long_words.txt")  # a bend shows on a long word
        with open(WORDS_FILE, encoding="utf-8") as f, open(long_words, "w", encoding="utf-8") as out:
            out.writelines(w for w in f if 7 <= len(w.strip()) <= 11 and w.strip().isalpha())
        for k, shape in enumerate(CURVED_WORD_SHAPES):
            folder = os.path.join(tmp, str(k))
            generate(2, seed=60 + k, out_dir=folder, fonts=fonts, split="heldout", backgrounds=backgrounds,
                     case="lower", words_file=long_words,
                     settings=replace(DEFAULT_SETTINGS, kind_weights=(("word", 1.0),), **CURVED[shape]))
            with open(os.path.join(folder, "labels.txt"), encoding="utf-8") as f:
                for i, line in enumerate(f):
                    source, label = line.rstrip("\n").split("\t")
                    name = f"curved_{2 * k + i + 1}.png"
                    shutil.copyfile(os.path.join(folder, source), os.path.join(CURVED_WORDS, name))
                    lines.append(f"imgs_words_curved/{name}\t{label}\n")
    with open(CURVED_WORDS + ".txt", "w", encoding="utf-8") as f:
        f.writelines(lines)
    print(CURVED_WORDS)


def rectify_curved(weights=None, name="rectify_curved.png"):
    """The rectification of the bundled curved words by the shipped model (or ``weights``)."""
    _draw_rectification(sorted(os.path.join(CURVED_WORDS, n) for n in os.listdir(CURVED_WORDS) if n.endswith(".png")),
                        name, weights)


def _readings_sheet(name, readings, title):
    rows = [[_tile(cv2.imread(path)), _text(label, width=130), _text(text, width=130), _text(f"{score:.3f}", width=80)]
            for (path, label), (text, score) in zip(_samples(), readings)]
    _save(name, compose_grid(rows, ["image", "label", title, "score"]))


def readings():
    """infer_rec (dygraph weights) and predict_rec (exported model) on the bundled samples."""
    from ppocr.config import merge_config
    from ppocr.inference.pipeline import dygraph_pipeline
    from ppocr.inference.predictor import TextRecognizer
    from ppocr.trained_model.from_config import TrainedModel

    config = merge_config(CONFIG, [f"Global.pretrained_model={os.path.join(SHIPPED, 'best_accuracy')}"])
    paths = [p for p, _ in _samples()]
    _readings_sheet("infer_rec_readings.png", dygraph_pipeline(TrainedModel.from_config(config))(paths), "infer_rec")
    recognizer = TextRecognizer(os.path.join(SHIPPED, "inference"))
    _readings_sheet("predict_rec_readings.png", recognizer(paths), "predict_rec")


def ctc_probs():
    """The exported graph's output for one word: class probabilities per time step."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ppocr.inference.predictor import TextRecognizer

    path, label = _samples()[9]
    recognizer = TextRecognizer(os.path.join(SHIPPED, "inference"))
    probs = recognizer.backend.run(recognizer.prepare(path)[None])[0]  # [T, classes]
    tokens = ["blank" if t == "" else t for t in recognizer.charset.tokens]
    fig = Figure(figsize=(7.5, 4.2), dpi=100)
    FigureCanvasAgg(fig)
    image_ax, prob_ax = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1, 4]})
    image_ax.imshow(cv2.cvtColor(cv2.imread(path), code=cv2.COLOR_BGR2RGB))
    image_ax.set_axis_off()
    image_ax.set_title(f"{os.path.basename(path)} (label '{label}'): exported model's softmax output", fontsize=9)
    prob_ax.imshow(probs.T, aspect="auto", cmap="viridis", interpolation="nearest")
    prob_ax.set_yticks(range(len(tokens)), labels=tokens, fontsize=5)
    prob_ax.set_xlabel("time step (one per 4 input columns)", fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(IMGS, "export_ctc_probs.png"), format="png")
    print(os.path.join(IMGS, "export_ctc_probs.png"))


def eval_failures():
    """tools/eval.py --save_failures on 300 held-out validation words (seed 2, STIX General, as doc/pretrained.md)."""
    import shutil
    import subprocess

    from ppocr.synth import generate, matplotlib_font_dir

    with tempfile.TemporaryDirectory() as tmp:
        # a copy of the weights: eval.py writes its table beside them
        shutil.copyfile(os.path.join(SHIPPED, "best_accuracy.pdparams"), os.path.join(tmp, "weights.pdparams"))
        generate(300, seed=2, lmdb_dir=os.path.join(tmp, "val", "synth"),
                 fonts=os.path.join(matplotlib_font_dir(), "STIXGeneral*.ttf"))
        subprocess.run([sys.executable, "tools/eval.py", "-c", CONFIG, "-o",
                        f"Global.pretrained_model={os.path.join(tmp, 'weights')}",
                        f"Eval.dataset.data_dir={os.path.join(tmp, 'val')}", "--save_failures",
                        os.path.join(tmp, "failures"), "--max_tiles", "18"],
                       cwd=REPO, check=True, capture_output=True)
        shutil.copyfile(os.path.join(tmp, "failures", "synth.png"), os.path.join(IMGS, "eval_failures.png"))
    print(os.path.join(IMGS, "eval_failures.png"))


def serving_page():
    """tools/serve.py's page in headless Chromium (tests/helpers/browser.py) with the bundled samples chosen."""
    import subprocess

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.helpers.browser import chromium, missing
    from tests.helpers.serving import free_port, stop_server, wait_until_healthy

    if missing():
        raise SystemExit(f"serving_page: {missing()}")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "serve.log")
        with open(log, "wb") as out:
            # the folder as a user names it, so the page shows no path of this machine
            proc = subprocess.Popen([sys.executable, "tools/serve.py", "--port", str(port), "--rec_model_dir",
                                     "pretrained/rec_mv3_tps_bilstm_ctc_synth/inference"], cwd=REPO, stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            from pathlib import Path

            wait_until_healthy(proc, port, Path(log))
            with chromium() as browser:
                browser.set_window_size(900, 1000)
                browser.get(f"http://127.0.0.1:{port}/")
                paths = [p for p, _ in _samples()][:3]
                browser.find_element(By.ID, "files").send_keys("\n".join(paths))
                WebDriverWait(browser, 300, poll_frequency=0.5).until(lambda b: b.execute_script(
                    "return document.querySelectorAll('.result[data-state=done]').length") == len(paths))
                path = os.path.join(IMGS, "serving_page.png")
                browser.save_screenshot(path)
                print(f"{path}: {os.path.getsize(path) // 1024} KB")
        finally:
            stop_server(proc)


def train_curves(train_log):
    """The curves of the shipped model's training run, from its train_log.jsonl."""
    from ppocr.utils.plot_curves import plot_curves

    print(plot_curves(train_log, os.path.join(IMGS, "train_curves.png")))


PICTURES = {f.__name__: f for f in (synth_samples, synth_effects, synth_curved, synth_fiducials, lmdb_inputs, rectify,
                                     rectify_curved, readings, ctc_probs, eval_failures, serving_page)}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(PICTURES), action="append", help="redraw only these")
    parser.add_argument("--train_log", help="also draw train_curves.png from this train_log.jsonl")
    parser.add_argument("--curved_words", action="store_true",
                        help="also render doc/imgs_words_curved/ again (the bundled curved words)")
    parser.add_argument("--previous_weights", help="also draw rectify_curved_previous.png with these weights "
                        "(a release before the shipped one)")
    args = parser.parse_args()
    if args.curved_words:
        curved_words()
    if args.previous_weights:
        rectify_curved(args.previous_weights, "rectify_curved_previous.png")
    for name in args.only or PICTURES:
        PICTURES[name]()
    if args.train_log:
        train_curves(args.train_log)
