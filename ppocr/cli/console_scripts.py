"""The console scripts of a pip install (setup.py's ``console_scripts``), one per tool of ``tools/``:
``ppocr-train`` runs what ``python tools/train.py`` runs, with the same arguments and ``--help``.

Each starts its process as the tools do (``start_process``, which tools/_bootstrap.py calls too)
before anything loads Paddle, then runs the tool's ``main`` with one-line errors, or, for
``ppocr-predict`` and ``ppocr-serve``, under the crash guard. Nothing heavy is imported here: a
spawned worker of ``ppocr-gen-synth-data`` imports this module again.

Example (what the ``ppocr-train`` script pip writes runs)::

    sys.exit(ppocr.cli.console_scripts.train())
"""
import importlib

# script name -> (this module's function, the tool it stands for); setup.py lists the same scripts
SCRIPTS = {
    "ppocr-train": ("train", "tools/train.py"),
    "ppocr-eval": ("evaluate", "tools/eval.py"),
    "ppocr-infer": ("infer_rec", "tools/infer_rec.py"),
    "ppocr-export": ("export_model", "tools/export_model.py"),
    "ppocr-predict": ("predict_rec", "tools/infer/predict_rec.py"),
    "ppocr-serve": ("serve", "tools/serve.py"),
    "ppocr-vis-rectify": ("vis_rectify", "tools/vis_rectify.py"),
    "ppocr-demo": ("demo", "tools/demo.py"),
    "ppocr-gen-synth-data": ("gen_synth_data", "tools/gen_synth_data.py"),
    "ppocr-create-lmdb": ("create_lmdb_dataset", "tools/create_lmdb_dataset.py"),
    "ppocr-convert-public-set": ("convert_public_set", "tools/convert_public_set.py"),
    "ppocr-find-leaks": ("find_leaks", "tools/find_leaks.py"),
}


def start_process():
    """Every core for the compute threads (before Paddle loads and pins itself to one thread;
    ``OMP_NUM_THREADS`` overrides), MKL's fast kernels on AMD processors (``MKL_DEBUG_CPU_TYPE``
    overrides), and no Paddle banner about the thread count, which is for its own launcher's defaults
    (ppocr/utils/cpu.py, ppocr/utils/paddle_banner.py)."""
    from ppocr.utils.cpu import prefer_fast_mkl, use_all_cores
    from ppocr.utils.paddle_banner import hide_paddle_banner

    use_all_cores()
    prefer_fast_mkl()
    hide_paddle_banner()


def _run(module):
    start_process()
    from ppocr.cli.startup import run

    run(importlib.import_module(module).main)


def _guarded(module, doing):
    start_process()
    from ppocr.cli.crash_guard import run_guarded

    run_guarded(f"{module}:main", doing=doing)


def train():
    _run("ppocr.cli.train")


def evaluate():
    _run("ppocr.cli.evaluate")


def infer_rec():
    _run("ppocr.cli.infer_rec")


def export_model():
    _run("ppocr.cli.export_model")


def predict_rec():
    _guarded("ppocr.cli.predict_rec", doing="predict_rec")


def serve():
    _guarded("ppocr.cli.serve", doing="serve")


def vis_rectify():
    _run("ppocr.cli.vis_rectify")


def demo():
    _run("ppocr.cli.demo")


def gen_synth_data():
    _run("ppocr.cli.gen_synth_data")


def create_lmdb_dataset():
    _run("ppocr.cli.create_lmdb_dataset")


def convert_public_set():
    _run("ppocr.cli.convert_public_set")


def find_leaks():
    _run("ppocr.cli.find_leaks")
