"""Serve an exported recogniser over HTTP (FastAPI + uvicorn; pip install '.[serve]').

    python tools/serve.py --rec_model_dir ./inference/rec_starnet --port 8868
    curl -F image=@doc/imgs_words_en/word_10.png http://127.0.0.1:8868/predict

POST /predict (one image), POST /predict_batch (several), GET /health, OpenAPI at /docs
(doc/serving.md). SIGINT/SIGTERM stop it gracefully; a crash inside native code ends it with one
line and exit status 128 + the signal, as predict_rec. A pip install also gives it as ``ppocr-serve``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.crash_guard import run_guarded

if __name__ == "__main__":
    run_guarded("ppocr.cli.serve:main", doing="serve")
