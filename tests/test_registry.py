from pathlib import Path

import pytest

from ppocr.errors import UserError
from ppocr.registry import Registry


def test_register_build_and_unknown_name_lists_known_ones():
    reg = Registry("widget")

    @reg.register()
    class Gear:
        def __init__(self, teeth=8):
            self.teeth = teeth

    assert reg.build({"name": "Gear", "teeth": 12}).teeth == 12
    with pytest.raises(UserError, match="^unknown widget 'Cog'; registered widget names: Gear") as unknown:
        reg.build({"name": "Cog"})
    assert not isinstance(unknown.value, KeyError)  # a user's typo, one line; no caller rewraps a KeyError


def test_all_seed_components_are_registered():
    import ppocr.data.loader  # noqa: F401  (registers the datasets)
    import ppocr.losses  # noqa: F401
    import ppocr.metrics  # noqa: F401
    import ppocr.modeling  # noqa: F401
    import ppocr.optimizer  # noqa: F401
    import ppocr.postprocess  # noqa: F401
    from ppocr import registry as r

    expected = {
        r.TRANSFORMS: ["TPS", "GA_SPIN"], r.BACKBONES: ["ResNet", "MobileNetV3", "ResNet32"],
        r.NECKS: ["SequenceEncoder"], r.HEADS: ["CTCHead", "SPINAttentionHead"],
        r.LOSSES: ["CTCLoss", "SPINAttentionLoss"], r.POSTPROCESS: ["CTCLabelDecode", "SPINLabelDecode"],
        r.METRICS: ["RecMetric"], r.DATASETS: ["LMDBDataSet", "SimpleDataSet"],
        r.DATA_OPS: ["DecodeImage", "CTCLabelEncode", "RecResizeImg", "RecAug", "KeepKeys",
                     "SPINLabelEncode", "SPINRecResizeImg", "RecConAug"],
        r.OPTIMIZERS: ["Adam", "AdamW", "Momentum", "RMSProp", "Adadelta"],
        r.LR_SCHEDULES: ["Const", "Cosine", "Piecewise", "Linear", "Step", "MultiStepDecay", "OneCycle",
                         "CyclicalCosine", "LinearWarmupCosine", "TwoStepCosine"],
        r.REGULARIZERS: ["L2"],
    }
    for registry, names in expected.items():
        for name in names:
            assert name in registry, (registry.kind, name)


# (registry kind, the component section in a config, how the engine builds it from the config)
def _model(config):
    from ppocr.trained_model.from_config import build_model

    build_model(config)


def _loss(config):
    from ppocr.losses import build_loss
    from ppocr.trained_model.from_config import build_charset

    build_loss(config, build_charset(config))


def _postprocess(config):
    from ppocr.postprocess import build_postprocess
    from ppocr.trained_model.from_config import build_charset

    build_postprocess(config, build_charset(config))


def _metric(config):
    from ppocr.metrics import build_metric

    build_metric(config)


def _dataset(config):
    from ppocr.data import build_dataset
    from ppocr.trained_model.from_config import build_charset

    build_dataset(config, "Train", build_charset(config))


def _optimizer(config):
    import paddle

    from ppocr.optimizer import build_optimizer

    build_optimizer(config["Optimizer"], 2, 10, paddle.nn.Linear(2, 2))


COMPONENTS = [
    ("transform", ("Architecture", "Transform"), _model), ("backbone", ("Architecture", "Backbone"), _model),
    ("neck", ("Architecture", "Neck"), _model), ("head", ("Architecture", "Head"), _model),
    ("loss", ("Loss",), _loss), ("postprocess", ("PostProcess",), _postprocess), ("metric", ("Metric",), _metric),
    ("dataset", ("Train", "dataset"), _dataset), ("data op", ("Train", "dataset", "transforms", 0), _dataset),
    ("data op", ("Train", "dataset", "transforms", 2), _dataset),
    ("optimizer", ("Optimizer",), _optimizer), ("lr schedule", ("Optimizer", "lr"), _optimizer),
    ("regularizer", ("Optimizer", "regularizer"), _optimizer),
]
CONFIGS = ["rec_mv3_tps_bilstm_ctc", "rec_r34_vd_tps_bilstm_ctc", "rec_r32_gaspin_bilstm_att"]


def _has(stem, path):
    import yaml

    node = yaml.safe_load((Path(__file__).resolve().parents[1] / "configs" / "rec" / f"{stem}.yml").read_text())
    for key in path:
        if isinstance(node, dict) and key in node or isinstance(node, list) and key < len(node):
            node = node[key]
        else:
            return False
    return True


CASES = [(stem, *c) for stem in CONFIGS for c in COMPONENTS if _has(stem, c[1])]


@pytest.mark.parametrize("stem, kind, path, build", CASES,
                         ids=[f"{c[0]}-{c[1]}@{'.'.join(map(str, c[2]))}" for c in CASES])
def test_a_misspelt_option_of_any_component_is_a_one_line_error(stem, kind, path, build, repo_root, tmp_path):
    from ppocr.config import load_config
    from ppocr.errors import UserError

    config = load_config(str(repo_root / "configs" / "rec" / f"{stem}.yml"))
    config["Train"]["dataset"]["data_dir"] = str(tmp_path)  # the dataset must not fail on a missing folder first
    section = config
    for key in path:
        section = section[key]
    if kind == "data op":  # a data op is a one-key mapping {name: options}
        (name, options), = section.items()
        section[name] = section = dict(options or {})
    else:
        name = section.get("name", "Const")  # an lr section without a name is a constant rate
    section["colour_sapce"] = 1
    with pytest.raises(UserError) as caught:
        build(config)
    message = str(caught.value)
    assert f"{kind} {name} has no option 'colour_sapce'" in message and "\n" not in message, message


def test_the_reference_only_options_are_dropped_and_nothing_else():
    from ppocr.data.imaug import build_ops
    from ppocr.errors import UserError

    op, = build_ops([{"RecResizeImg": {"image_shape": [3, 32, 100], "infer_mode": False, "character_dict_path": None}}])
    assert op.output_shape == (3, 32, 100)
    with pytest.raises(UserError, match="RecResizeImg has no option 'infer_mod'"):
        build_ops([{"RecResizeImg": {"image_shape": [3, 32, 100], "infer_mod": False}}])


def test_a_constructor_with_kwargs_is_refused_at_registration():
    reg = Registry("widget")
    with pytest.raises(TypeError, match=r"widget Sponge: a component built from a config cannot take \*\*kwargs"):
        @reg.register()
        class Sponge:
            def __init__(self, size=1, **kwargs):
                self.size = size

    assert "Sponge" not in reg


def test_options_come_from_the_signature_or_a_declared_tuple():
    reg = Registry("widget")

    @reg.register()
    class Gear:
        def __init__(self, charset, teeth=8, *, pitch=1.0):
            self.teeth = teeth

    @reg.register()
    class Belt:
        options = ("length", "width")

        def __init__(self, config):
            self.config = config

    assert reg.options("Gear") == {"charset", "teeth", "pitch"}
    assert reg.options("Belt") == {"length", "width"}
