"""Data for the tests, made on the fly: configs of the data tests, small LMDBs (the tests' one LMDB
writer, through ppocr.data.lmdb_format) and encoded word images."""
import copy
from pathlib import Path

import cv2
import numpy as np

CTC_TRANSFORMS = [
    {"DecodeImage": {"img_mode": "BGR", "channel_first": False}},
    {"CTCLabelEncode": None},
    {"RecResizeImg": {"image_shape": [3, 32, 100]}},
    {"KeepKeys": {"keep_keys": ["image", "label", "length"]}},
]
SPIN_TRANSFORMS = [
    {"DecodeImage": {"img_mode": "BGR", "channel_first": False}},
    {"SPINLabelEncode": None},
    {"SPINRecResizeImg": {"image_shape": [100, 32], "interpolation": 2, "mean": [127.5], "std": [127.5]}},
    {"KeepKeys": {"keep_keys": ["image", "label", "length"]}},
]


def word_png(text="ab", width=60, height=20):
    img = np.full((height, width, 3), 255, dtype=np.uint8)
    cv2.putText(img, text, org=(2, height - 4), fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=0.6,
                color=(0, 0, 0), thickness=1)
    return cv2.imencode(".png", img)[1].tobytes()


def write_lmdb(path, samples):
    """An LMDB (``ppocr.data.lmdb_format``) from [(label, image bytes or None for no image key)]."""
    import lmdb

    from ppocr.data.lmdb_format import LMDBWriter, image_key

    writer = LMDBWriter(str(path), map_size=1 << 26)
    writer.write(0, [(label, image if image is not None else b"") for label, image in samples])
    writer.close(len(samples))
    missing = [i for i, (_, image) in enumerate(samples, start=1) if image is None]
    if missing:  # a damaged set, as no writer of the format makes one
        with lmdb.open(str(path)) as env, env.begin(write=True) as txn:
            for i in missing:
                txn.delete(image_key(i))
    return Path(path)


def make_config(train_dataset, eval_dataset=None, spin=False, batch_size=8, num_workers=0, shuffle=True):
    transforms = SPIN_TRANSFORMS if spin else CTC_TRANSFORMS
    config = {
        "Global": {"character_dict_path": None, "max_text_length": 25, "use_space_char": False},
        "Architecture": {"Head": {"name": "SPINAttentionHead" if spin else "CTCHead"}},  # declares the layout
        "PostProcess": {"name": "SPINLabelDecode" if spin else "CTCLabelDecode"},
    }
    for mode, dataset in (("Train", train_dataset), ("Eval", eval_dataset or train_dataset)):
        config[mode] = {
            "dataset": dict(dataset, transforms=copy.deepcopy(transforms)),
            "loader": {"shuffle": shuffle and mode == "Train", "drop_last": mode == "Train",
                       "batch_size_per_card": batch_size, "num_workers": num_workers},
        }
    return config
