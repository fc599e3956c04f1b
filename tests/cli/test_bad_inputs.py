"""Bad input to the tools, table-driven: each case is one mistake a user makes (in the config,
on the command line, in the data or in the model files) and must end in exactly one line
``error: ...`` on stderr that says what was wrong, the exit code 2 and no traceback; a few
mistakes are recoverable (non-image files among images, an explicit skip of mismatched tensors)
and must be reported while the rest still runs.

Cases marked CLI run the real command line in a subprocess (with a timeout). The others call
the tool's ``main(argv)`` in this process through ``ppocr.cli.startup.run`` (the same code
path as the command line, without the 2-3 s start-up of a new Python with Paddle), under an
alarm so that none can hang. The fixtures (a tiny LMDB, weights, one exported model) are
shared by the whole module.
"""
import contextlib
import importlib.util
import logging
import shutil
import signal
import socket
import sys
import types
from collections import namedtuple

import paddle
import pytest

from ppocr import build_model, merge_config
from tests.helpers.e2e import REPO, run_tool
from tests.helpers.tiny import CONFIG, make_data, word_png

Case = namedtuple("Case", "id tool args code expect cli", defaults=(2, (), False))
TRAIN, EVAL, INFER, EXPORT, PREDICT, SERVE = ("tools/train.py", "tools/eval.py", "tools/infer_rec.py",
                                              "tools/export_model.py", "tools/infer/predict_rec.py", "tools/serve.py")
C = ["-c", CONFIG, "-o", "Global.use_gpu=False", "Train.dataset.data_dir={data}/train", "Eval.dataset.data_dir={data}/val",
     "Global.save_model_dir={out}/model", "Global.save_res_path={out}/predicts.txt", "Train.loader.num_workers=0",
     "Eval.loader.num_workers=0", "Train.loader.batch_size_per_card=4", "Eval.loader.batch_size_per_card=4"]
W = "Global.pretrained_model={files}/weights"
P = ["--rec_model_dir={files}/inference", "--image_dir={files}/mixed/a.png"]

CASES = [
    # the config file and -o
    Case("no -c", TRAIN, [], expect=["the following arguments are required: -c/--config"], cli=True),
    Case("config file missing", TRAIN, ["-c", "nope.yml"], expect=["'nope.yml' does not exist"]),
    Case("!!python tag", TRAIN, ["-c", "{files}/evil.yml"], expect=["YAML tag that is not allowed", "remove the tag"], cli=True),
    Case("invalid YAML", TRAIN, ["-c", "{files}/broken.yml"], expect=["broken.yml' is not valid YAML at line 3"]),
    Case("-o without =", TRAIN, C + ["Global.epoch_num"], expect=["malformed -o option 'Global.epoch_num'"]),
    Case("-o unknown section", TRAIN, C + ["Globl.epoch_num=1"], expect=["section 'Globl' does not exist"]),
    Case("-o misspelt key", TRAIN, C + ["Global.epoch_nun=3"],
         expect=["Global has no key 'epoch_nun'", "did you mean epoch_num?", "-o +Global.epoch_nun=..."], cli=True),
    # wrong types
    Case("epoch_num: ten", TRAIN, C + ["Global.epoch_num=ten"],
         expect=["Global.epoch_num must be a positive integer, got 'ten'", "-o Global.epoch_num=10"], cli=True),
    Case("batch_size_per_card: -1", TRAIN, C + ["Train.loader.batch_size_per_card=-1"],
         expect=["Train.loader.batch_size_per_card must be a positive integer, got -1"]),
    Case("image_shape: abc", TRAIN, C + ["Train.dataset.transforms.2.RecResizeImg.image_shape=abc"],
         expect=["RecResizeImg.image_shape must be a list of 3 positive integers like [3, 32, 100], got 'abc'"]),
    Case("image_shape: [a,32,100]", TRAIN, C + ["Train.dataset.transforms.2.RecResizeImg.image_shape=[a,32,100]"],
         expect=["RecResizeImg.image_shape must be a list of 3 positive integers"]),
    Case("eval_batch_step: abc", TRAIN, C + ["Global.eval_batch_step=abc"], expect=["Global.eval_batch_step must be"]),
    Case("learning_rate: fast", TRAIN, C + ["Optimizer.lr.learning_rate=fast"],
         expect=["Optimizer.lr.learning_rate must be a positive number, got 'fast'"]),
    Case("use_gpu: maybe", TRAIN, C + ["Global.use_gpu=maybe"], expect=["Global.use_gpu must be True or False"]),
    # unknown component names, one per registry
    *[Case(f"unknown {kind}", TRAIN, C + [f"{key}=Nope"], expect=[f"unknown {kind} 'Nope'; registered {kind} names: {known}"])
      for kind, key, known in [
          ("transform", "Architecture.Transform.name", "GA_SPIN, TPS"),
          ("backbone", "Architecture.Backbone.name", "MobileNetV3"), ("neck", "Architecture.Neck.name", "SequenceEncoder"),
          ("head", "Architecture.Head.name", "CTCHead"), ("loss", "Loss.name", "CTCLoss"),
          ("postprocess", "PostProcess.name", "CTCLabelDecode"), ("metric", "Metric.name", "RecMetric"),
          ("dataset", "Train.dataset.name", "LMDBDataSet"), ("optimizer", "Optimizer.name", "Adadelta, Adam"),
          ("lr schedule", "Optimizer.lr.name", "Const")]],
    Case("unknown data op", TRAIN, C + ["Train.dataset.transforms.0={{Nope: null}}"],
         expect=["unknown data op 'Nope'; registered data op names:"]),
    # data and dictionary files
    Case("dictionary missing", TRAIN, C + ["Global.character_dict_path=/no/dict.txt"],
         expect=["character dictionary '/no/dict.txt' does not exist"]),
    Case("data_dir missing", TRAIN, C + ["Train.dataset.data_dir={files}/nothing"], expect=["is not a folder"]),
    Case("image folder without images", INFER, C + [W, "Global.infer_img={files}/empty"], expect=["holds no images"], cli=True),
    Case("non-image files among images", INFER, C + [W, "Global.infer_img={files}/mixed"], code=0,
         expect=["skipping 1 files that are not images", "skipped: undecodable image", "result: "], cli=True),
    Case("the one image is not an image", INFER, C + [W, "Global.infer_img={files}/mixed/zz_broken.png"],
         expect=["none of the images of Global.infer_img=", "zz_broken.png", "could be read"], cli=True),
    Case("the one image is an empty file", INFER, C + [W, "Global.infer_img={files}/empty.png"],
         expect=["empty.png' could be read"]),
    # output folders that are files
    Case("save_model_dir is a file", TRAIN, C + ["Global.save_model_dir={files}/empty.png"],
         expect=["Global.save_model_dir=", "empty.png' is a file, not a folder", "-o Global.save_model_dir="], cli=True),
    Case("save_inference_dir inside a file", EXPORT, C + [W, "Global.save_inference_dir={files}/empty.png/model"],
         expect=["Global.save_inference_dir=", "is inside", "empty.png', which is a file"], cli=True),
    Case("dictionary with a repeated line", TRAIN, C + ["Global.character_dict_path={files}/twice.txt"],
         expect=["twice.txt' repeats 'a': line 4 is also line 1", "remove line 4"]),
    # model files
    Case("weights missing", EVAL, C + ["Global.pretrained_model={files}/nope"], expect=["nope.pdparams' does not exist"]),
    Case("weights of another head", EVAL, C + ["Global.pretrained_model={files}/wide"],
         expect=["tensor 'head.fc.weight' has shape [192, 38]", "but [192, 37] in the model",
                 "Global.skip_mismatched_tensors=True"], cli=True),
    Case("mismatch skipped on request", EVAL, C + ["Global.pretrained_model={files}/wide", "Global.skip_mismatched_tensors=True"],
         code=0, expect=["skipped tensor 'head.fc.weight'", '"samples": 6'], cli=True),
    Case("truncated .pdparams", EVAL, C + ["Global.pretrained_model={files}/truncated"],
         expect=["cannot read weights file", "truncated.pdparams"], cli=True),
    Case("damaged .pdopt on resume", TRAIN, C + ["Global.checkpoints={files}/ckpt"],
         expect=["cannot read optimizer state", "ckpt.pdopt"]),
    Case("inference folder without weights", PREDICT, ["--rec_model_dir={files}/no_params", "--image_dir={files}/mixed"],
         expect=["inference.pdiparams' is missing", "re-export"], cli=True),
    # read as one of PaddleOCR's folders, which its flags describe: the dictionary is the one they lack here
    Case("inference folder without inference.yml", PREDICT, ["--rec_model_dir={files}/no_yml", "--image_dir={files}/mixed"],
         expect=["no inference.yml of this toolkit, so its characters come from --rec_char_dict_path",
                 "export the model again (python tools/export_model.py) to write its inference.yml"]),
    Case("inference.yml of another program", PREDICT, ["--rec_model_dir={files}/not_ours", "--image_dir={files}/mixed"],
         expect=["not_ours/inference.yml' has no Global section", "write one with python tools/export_model.py"],
         cli=True),
    # predict_rec flags
    Case("--use_space_char=Falsee", PREDICT, P + ["--use_space_char=Falsee"], expect=["'Falsee' is not a boolean"]),
    Case("--rec_char_dict_path absolute typo", PREDICT, P + ["--rec_char_dict_path=/ppocr/utils/dict/spin_dict.txt"],
         expect=["'/ppocr/utils/dict/spin_dict.txt': no such file"], cli=True),
    Case("--rec_char_dict_path of another model", PREDICT, P + ["--rec_char_dict_path=ppocr/utils/dict/spin_dict.txt"],
         expect=["but the model was trained with 36 other ones"]),
    Case("--rec_algorithm mismatch", PREDICT, P + ["--rec_algorithm=SPIN"], expect=["the model in", "is 'STARNet'"], cli=True),
    Case("--rec_image_shape malformed", PREDICT, P + ["--rec_image_shape=3,32"], expect=["'3,32' is not an image shape"]),
    Case("--rec_image_shape other size", PREDICT, P + ["--rec_image_shape=3, 48, 320"], expect=["exported for [3, 32, 100]"]),
    Case("--rec_image_shape other channels", PREDICT, P + ["--rec_image_shape=1, 32, 100"],
         expect=["--rec_image_shape=[1, 32, 100] but the model was exported for [3, 32, 100]"]),
    Case("--use_onnx=Ture", PREDICT, P + ["--use_onnx=Ture"], expect=["'Ture' is not a boolean: expected True or False"]),
    Case("--rec_batch_num 0", PREDICT, P + ["--rec_batch_num=0"], expect=["--rec_batch_num=0: expected a positive integer"]),
    Case("--cpu_threads 0", PREDICT, P + ["--cpu_threads=0"], expect=["--cpu_threads=0: expected a positive integer"]),
    Case("predict: the one image is not an image", PREDICT, ["--rec_model_dir={files}/inference",
                                                             "--image_dir={files}/mixed/zz_broken.png"],
         expect=["none of the 1 images under", "zz_broken.png' could be read"], cli=True),
    Case("predict: a folder of broken images", PREDICT, ["--rec_model_dir={files}/inference", "--image_dir={files}/broken"],
         expect=["none of the 2 images under", "broken' could be read"]),
    Case("predict non-images among images", PREDICT, ["--rec_model_dir={files}/inference", "--image_dir={files}/mixed"],
         code=0, expect=["skipping 1 files that are not images", "zz_broken.png: undecodable image", "Predicts of"],
         cli=True),
    # serve.py: refused before uvicorn starts (no model loaded, no server log)
    Case("serve: --port 99999", SERVE, ["--rec_model_dir={files}/inference", "--port=99999"],
         expect=["--port=99999: expected a port number from 1 to 65535"], cli=True),
    Case("serve: port in use", SERVE, ["--rec_model_dir={files}/inference", "--port={busy_port}"],
         expect=["--port={busy_port}: 127.0.0.1:{busy_port} is in use by another program"], cli=True),
    Case("serve: not a model folder", SERVE, ["--rec_model_dir={files}/empty"],
         expect=["empty/inference.yml' is missing", "export the model with tools/export_model.py"], cli=True),
    Case("serve: model folder without weights", SERVE, ["--rec_model_dir={files}/no_params", "--backend=paddle"],
         expect=["inference.pdiparams' is missing"], cli=True),
]


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    files = tmp_path_factory.mktemp("bad_input_files")
    data = make_data(files / "data")
    paddle.seed(0)
    config = merge_config(str(REPO / CONFIG))
    paddle.save(build_model(config).state_dict(), str(files / "weights.pdparams"))
    # 36 characters and a space: 38 classes instead of 37
    wide = merge_config(str(REPO / CONFIG), ["Global.character_dict_path=ppocr/utils/ic15_dict.txt",
                                             "Global.use_space_char=True"])
    paddle.save(build_model(wide).state_dict(), str(files / "wide.pdparams"))
    raw = (files / "weights.pdparams").read_bytes()
    (files / "truncated.pdparams").write_bytes(raw[: len(raw) // 2])
    (files / "ckpt.pdparams").write_bytes(raw)
    (files / "ckpt.pdopt").write_bytes(b"\x80\x04 not a pickle")
    (files / "evil.yml").write_text(f'Global:\n  x: !!python/object/apply:os.system ["touch {files}/pwned"]\n')
    (files / "broken.yml").write_text("Global:\n  epoch_num: 1\n bad: 2\n")
    (files / "empty").mkdir()
    (files / "mixed").mkdir()
    for name in ("a.png", "b.png"):
        (files / "mixed" / name).write_bytes(word_png("abc"))
    (files / "mixed" / "notes.txt").write_text("not an image")
    (files / "mixed" / "zz_broken.png").write_bytes(b"not a png")
    (files / "empty.png").write_bytes(b"")
    (files / "twice.txt").write_text("a\nb\nc\na\nd\n")
    (files / "broken").mkdir()
    (files / "broken" / "a.png").write_bytes(b"")
    (files / "broken" / "b.jpg").write_bytes(b"\xff\xd8 truncated jpeg")
    run_tool(EXPORT, *[a.format(data=data, files=files, out=files) for a in C + [W]],
             f"Global.save_inference_dir={files / 'inference'}", timeout=300)
    for folder, missing in (("no_params", "inference.pdiparams"), ("no_yml", "inference.yml")):
        shutil.copytree(files / "inference", files / folder)
        (files / folder / missing).unlink()
    shutil.copytree(files / "inference", files / "not_ours")
    (files / "not_ours" / "inference.yml").write_text("x: 1\n")
    with socket.socket() as busy:  # a port some other program listens on
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield {"data": data, "files": files, "busy_port": busy.getsockname()[1]}


@contextlib.contextmanager
def _alarm(seconds):
    def hang(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _main_of(tool, monkeypatch):
    # the repository is on sys.path already; the tools' start-up (threads, MKL's kernels) would outlive
    # the test in this process: MKL reads MKL_DEBUG_CPU_TYPE once, and later tests' floats would move
    monkeypatch.setitem(sys.modules, "_bootstrap", types.ModuleType("_bootstrap"))
    spec = importlib.util.spec_from_file_location("tool_" + tool.replace("/", "_")[:-3], REPO / tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "main", None) or importlib.import_module("ppocr.cli.predict_rec").main


def _in_process(tool, args, monkeypatch, capsys):
    from ppocr.cli.startup import run

    main = _main_of(tool, monkeypatch)
    logger = logging.getLogger("ppocr")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    code = 0
    try:
        with _alarm(120):
            run(lambda: main(args))
    except SystemExit as e:
        code = e.code
    finally:  # the tool configured the ppocr logger for a console: give the other tests theirs back
        logger.handlers[:], logger.propagate, logger.level = saved
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=[pytest.mark.subprocess_tools] if c.cli else [])
                                  for c in CASES])
def test_bad_input(case, paths, tmp_path, monkeypatch, capsys):
    args = [a.format(out=tmp_path, **paths) for a in case.args]
    if case.cli:
        proc = run_tool(case.tool, *args, expect=None, timeout=180)
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    else:
        code, out, err = _in_process(case.tool, args, monkeypatch, capsys)
    assert code == case.code, f"exit {code}\n--- stdout\n{out[-2000:]}\n--- stderr\n{err[-2000:]}"
    assert "Traceback" not in err and "Traceback" not in out, err[-3000:]
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    text = errors[0] if case.code else out + err
    assert len(errors) == (1 if case.code else 0), err
    assert "Uvicorn running" not in out + err and "Application startup" not in out + err
    for expected in case.expect:
        expected = expected.format(**paths)
        assert expected in text, f"{expected!r} not in {text[-2000:]!r}"
    assert not (paths["files"] / "pwned").exists()  # the !!python payload never ran


def test_there_are_at_least_25_cases_and_most_run_the_real_command_line():
    assert len(CASES) >= 25 and sum(c.cli for c in CASES) >= 12
