"""Shared fixtures: the repository root and the reference-compatibility fixtures.

The compatibility fixtures (the reference release's configs, dictionaries, golden outputs and
the weight-filling rule; ``tests/fixtures/compat/README.md``) are part of the test suite, so a
lone clone of the repository runs every test.
"""
import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


COMPAT_DIR = Path(__file__).resolve().parent / "fixtures" / "compat"


_PPOCR_LOGGER = logging.getLogger("ppocr")
_PRISTINE_LOGGER = (list(_PPOCR_LOGGER.handlers), _PPOCR_LOGGER.propagate, _PPOCR_LOGGER.level)


@pytest.fixture(autouse=True)
def _pristine_ppocr_logger():
    """Give every test the ``ppocr`` logger as Python made it (propagating, no handlers of its own).

    ``ppocr.cli.startup.setup`` configures it for a console and stops propagation; a test (or a
    module-scoped fixture) that calls it in-process would otherwise hide every later test's records
    from ``caplog``, and which tests failed would depend on the order they ran in.
    """
    yield
    _PPOCR_LOGGER.handlers[:], _PPOCR_LOGGER.propagate, _PPOCR_LOGGER.level = _PRISTINE_LOGGER


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def shipped_onnx(tmp_path_factory):
    """A copy of the shipped STAR-Net's inference folder with ``inference.onnx`` added (about 2 s),
    for the deployment tests (API, predict_rec --use_onnx, the service)."""
    from ppocr.export.onnx_export import export_onnx

    out = tmp_path_factory.mktemp("shipped_onnx") / "inference"
    shutil.copytree(REPO_ROOT / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference", out)
    export_onnx(str(out))
    return out


@pytest.fixture(scope="session")
def shipped_paddle_only(tmp_path_factory):
    """A copy of the shipped STAR-Net's inference folder without ``inference.onnx``: Paddle's graph only."""
    out = tmp_path_factory.mktemp("shipped_paddle_only") / "inference"
    shutil.copytree(REPO_ROOT / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference", out,
                    ignore=shutil.ignore_patterns("inference.onnx"))
    return out


@pytest.fixture(scope="session")
def compat_dir():
    return COMPAT_DIR


@pytest.fixture(scope="session")
def fill_params():
    """The compat folder's ``fill_params`` module (``fill_layer(model)`` sets the reference weights)."""
    from tests.helpers.parity import fill_params_module

    return fill_params_module()


class Golden:
    """The reference fixtures of one config stem: ``arrays`` (npz), ``info`` (json), ``params`` (tsv)."""

    def __init__(self, compat_dir, stem):
        base = compat_dir / "golden" / stem
        with np.load(f"{base}.npz") as data:
            self.arrays = {k: data[k] for k in data.files}
        self.info = json.loads(Path(f"{base}.json").read_text(encoding="utf-8"))
        self.params = []
        for line in Path(f"{base}.params.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip():
                name, shape, dtype = line.split("\t")
                self.params.append((name, json.loads(shape), dtype))


@pytest.fixture(scope="session")
def load_golden(compat_dir):
    """``load_golden(stem)`` -> Golden."""
    return lambda stem: Golden(compat_dir, stem)


def golden_tolerance(golden):
    """compat/README.md: rtol 1e-4, atol 1e-5 scaled by the golden's largest magnitude."""
    return {"rtol": 1e-4, "atol": 1e-5 * max(1.0, float(np.abs(golden).max()))}


@pytest.fixture(scope="session")
def assert_matches_golden():
    """``assert_matches_golden(ours, golden, what, atol=None)``: README tolerance unless ``atol``."""

    def check(ours, golden, what, atol=None):
        tol = golden_tolerance(golden)
        if atol is not None:
            tol["atol"] = atol
        assert tuple(ours.shape) == tuple(golden.shape), f"{what}: shape {ours.shape} != {golden.shape}"
        np.testing.assert_allclose(ours, golden, err_msg=what, **tol)

    return check
