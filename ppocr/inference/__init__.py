"""Inference: one pipeline (``pipeline``: decode, preprocess, run, decode text) with three
backends (``backends``: the dygraph model, Paddle inference, onnxruntime); the inputs it takes
(``image_input``, with the pixel limit read from the image header by ``image_header``); the
Python API on an exported folder (``predictor.TextRecognizer``); the rectifiers' views
(``rectification``). The onnxruntime path imports no Paddle.
"""
