import pytest

from ppocr.data import build_ops
from ppocr.errors import UserError


def test_build_ops_injects_charset_only_where_declared(ctc_charset):
    ops = build_ops([{"DecodeImage": None}, {"CTCLabelEncode": None}, {"RecResizeImg": {"image_shape": [3, 32, 100]}},
                     {"KeepKeys": {"keep_keys": ["image"]}}], ctc_charset)
    assert ops[1].charset is ctc_charset and not hasattr(ops[2], "charset")
    with pytest.raises(UserError, match="needs the run.s charset"):
        build_ops([{"CTCLabelEncode": None}], charset=None)


def test_build_ops_unknown_name_lists_registered_ops():
    with pytest.raises(UserError, match="RecResizeImg") as e:
        build_ops([{"NoSuchOp": None}])
    assert "NoSuchOp" in str(e.value)
    with pytest.raises(UserError, match=r"data op KeepKeys has no option 'keys' \(did you mean keep_keys\?\)"):
        build_ops([{"KeepKeys": {"keys": ["image"]}}])
