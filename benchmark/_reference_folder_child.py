"""One step of reference_folders.py, run as ``python _reference_folder_child.py 'JSON spec'`` with a
library's own interpreter, its checkout as working folder:

- ``weights`` (the reference): its model of a config, filled by fill_params.py (values from each
  parameter's name and shape), saved as ``.pdparams`` for its export;
- ``predict`` (either library): its predict_rec's ``main`` on the spec's command line, with the
  decoder's input recorded: prints the readings and writes the probabilities, one ``[T, C]`` row
  per image in the order of the image list, to ``probs_out`` (.npy).

Prints ``BENCH_RESULT {json}`` lines (benchmark/_harness.py). Imports the library it runs only.
"""
import json
import os
import sys

import numpy as np

RESULT = "BENCH_RESULT "


def weights(spec):
    sys.path.insert(0, spec["root"])
    sys.path.insert(0, spec["fill_params_dir"])
    import paddle
    from fill_params import fill_layer
    from ppocr.modeling.architectures import build_model
    from ppocr.postprocess import build_post_process
    from tools.program import load_config

    config = load_config(spec["config"])
    post = build_post_process(config["PostProcess"], config["Global"])
    config["Architecture"]["Head"]["out_channels"] = len(post.character)
    model = build_model(config["Architecture"])
    model.eval()
    fill_layer(model)
    paddle.save(model.state_dict(), spec["out"] + ".pdparams")
    print(RESULT + json.dumps({"parameters": len(model.state_dict())}), flush=True)


def in_list_order(batches, order):
    """Rows of the decoder's batches (taken in ``order``: image positions) back in list order."""
    rows = np.concatenate(batches)
    out = np.empty_like(rows)
    out[np.asarray(order)] = rows
    return out


def reference(spec):
    root = spec["root"]
    sys.path.insert(0, root)
    sys.argv = ["tools/infer/predict_rec.py", *spec["argv"]]
    import cv2
    import tools.infer.predict_rec as predict_rec
    import tools.infer.utility as utility
    from ppocr.utils.utility import get_image_file_list

    batches, readings = [], []
    plain_init, plain_call = predict_rec.TextRecognizer.__init__, predict_rec.TextRecognizer.__call__

    def init(self, args, logger=None):
        plain_init(self, args, logger)
        decode = self.postprocess_op
        self.postprocess_op = lambda preds, *a, **k: (batches.append(np.array(preds)), decode(preds, *a, **k))[1]

    def call(self, img_list):
        result = plain_call(self, img_list)
        readings.extend(result[0])
        return result

    predict_rec.TextRecognizer.__init__, predict_rec.TextRecognizer.__call__ = init, call
    args = utility.parse_args()
    predict_rec.main(args)
    paths = [p for p in get_image_file_list(args.image_dir) if cv2.imread(p) is not None]
    # its __call__ takes the images by aspect ratio (np.argsort of width / height)
    order = np.argsort(np.array([(lambda im: im.shape[1] / float(im.shape[0]))(cv2.imread(p)) for p in paths]))
    return paths, readings, in_list_order(batches, order)


def project(spec):
    root = spec["root"]
    sys.path.insert(0, os.path.join(root, "tools"))
    import _bootstrap  # noqa: F401  what tools/infer/predict_rec.py imports first
    sys.path.insert(0, root)
    from ppocr.cli import predict_rec
    from ppocr.inference import predictor

    batches, order = [], []
    plain_init = predictor.TextRecognizer.__init__

    def init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        decode, batching = self.postprocess, self.preprocess.batches

        def recorded_batches(arrays, size):
            for positions, batch in batching(arrays, size):
                order.extend(positions)
                yield positions, batch

        self.preprocess.batches = recorded_batches
        self.postprocess = lambda probs: (batches.append(np.array(probs)), decode(probs))[1]

    predictor.TextRecognizer.__init__ = init
    results = predict_rec.main(spec["argv"])
    return [p for p, _ in results], [r for _, r in results], in_list_order(batches, order)


def main():
    spec = json.loads(sys.argv[1])
    if spec["mode"] == "weights":
        return weights(spec)
    paths, readings, probs = (reference if spec["library"] == "reference" else project)(spec)
    np.save(spec["probs_out"], probs.astype(np.float32))
    print(RESULT + json.dumps({"images": [os.path.basename(p) for p in paths],
                               "readings": [[str(t), float(s)] for t, s in readings]}), flush=True)


if __name__ == "__main__":
    main()
