import pytest

from ppocr.registry import Registry


def test_register_build_and_unknown_name_lists_known_ones():
    reg = Registry("widget")

    @reg.register()
    class Gear:
        def __init__(self, teeth=8):
            self.teeth = teeth

    assert reg.build({"name": "Gear", "teeth": 12}).teeth == 12
    with pytest.raises(KeyError, match="unknown widget 'Cog'; registered widget names: Gear"):
        reg.build({"name": "Cog"})


def test_all_seed_components_are_registered():
    import ppocr.data  # noqa: F401
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
                     "SPINLabelEncode", "SPINRecResizeImg"],
        r.OPTIMIZERS: ["Adam", "AdamW", "Momentum"], r.LR_SCHEDULES: ["Const", "Cosine", "Piecewise"],
        r.REGULARIZERS: ["L2"],
    }
    for registry, names in expected.items():
        for name in names:
            assert name in registry, (registry.kind, name)
