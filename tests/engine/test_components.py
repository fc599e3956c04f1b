"""ppocr/engine/components.py: the charset is chosen by the PostProcess section and must agree with
every label encoder; the model is sized by it."""
import paddle
import pytest

from ppocr.config import load_config
from ppocr.engine.components import build_charset, build_model
from ppocr.errors import UserError


@pytest.mark.parametrize("stem, scheme, classes", [("rec_mv3_tps_bilstm_ctc", "ctc", 37),
                                                   ("rec_r32_gaspin_bilstm_att", "attn", 70)])
def test_the_postprocess_section_chooses_the_layout(repo_root, stem, scheme, classes):
    config = load_config(str(repo_root / "configs" / "rec" / f"{stem}.yml"))
    charset = build_charset(config)
    assert (charset.scheme, charset.num_classes) == (scheme, classes)
    model = build_model(config, charset)
    classifier = [layer for layer in model.head.sublayers() if isinstance(layer, paddle.nn.Linear)][-1]
    assert classifier.weight.shape[-1] == classes


def test_an_encoder_of_another_layout_is_refused_when_the_config_is_loaded(repo_root):
    config = load_config(str(repo_root / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"))
    config["Eval"]["dataset"]["transforms"][1] = {"SPINLabelEncode": None}
    with pytest.raises(UserError, match="Eval.dataset.transforms: SPINLabelEncode makes attn labels but PostProcess "
                                        "CTCLabelDecode decodes ctc output"):
        build_charset(config)


def test_no_postprocess_name_is_a_user_error():
    with pytest.raises(UserError, match="no PostProcess.name"):
        build_charset({"Global": {}, "PostProcess": {}})
