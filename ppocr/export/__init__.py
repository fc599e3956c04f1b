"""Export: a trained recogniser written as a Paddle inference model (``exporter``) and as ONNX
(``onnx_export``), into an exported-model folder whose one reader and writer is ``model_folder``
(``inference.yml`` with its format version, and the file names of each backend).
"""
