"""A client of ``tools/serve.py`` on the standard library alone (no HTTP package needed).

Every call returns ``(status, body)``: the HTTP status (``int``) and the JSON answer decoded, that
is ``{'text': str, 'score': float}`` for a reading, a list of those (in the files' order) for a
batch, ``{'error': CODE, 'detail': ONE LINE}`` for a refusal (returned, not raised), or the text
(``str``) of an answer that is not JSON. ``OSError`` is raised when the service cannot be reached
or does not answer within ``timeout`` seconds.

Example (with ``python tools/serve.py --rec_model_dir pretrained/rec_mv3_tps_bilstm_ctc_synth/inference``
running)::

    client = ServiceClient("127.0.0.1", 8868)
    client.predict(open("doc/imgs_words_en/word_10.png", "rb").read())   # (200, {'text': 'handlers', 'score': 0.998...})
    client.predict_batch([("a.png", raw_a), ("b.png", raw_b)])             # (200, [{...}, {...}])
    client.predict(b"no image")                                            # (400, {'error': 'undecodable_image', ...})
"""
import http.client
import json
import uuid


def encode_multipart(files, field):
    """[(filename, bytes)] -> (body, Content-Type) of a multipart/form-data form, each file under ``field``."""
    boundary = uuid.uuid4().hex
    parts = []
    for filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode("utf-8") + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode("ascii")
    return body, f"multipart/form-data; boundary={boundary}"


class ServiceClient:
    """One connection per request (simple and safe from several threads at once); every method
    returns ``(status, body)`` as the module's docstring says."""

    def __init__(self, host="127.0.0.1", port=8868, timeout=60.0):
        self.host, self.port, self.timeout = host, int(port), timeout

    def request(self, method, path, body=None, content_type=None, chunked=False):
        """-> (status, decoded JSON or the raw text when it is not JSON)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            headers = {"Content-Type": content_type} if content_type else {}
            if chunked:  # an iterable body is sent with Transfer-Encoding: chunked
                data, step = body, 64 * 1024
                body = (data[k : k + step] for k in range(0, len(data), step))
            connection.request(method, path, body=body, headers=headers, encode_chunked=chunked)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text

    def health(self):
        """-> (200, {'status': 'ok', 'backend', 'model_dir', 'algorithm', 'pending_images', 'batches'})."""
        return self.request("GET", "/health")

    def predict(self, image, filename="image.png", raw=False):
        """One encoded image: as a multipart file, or (``raw``) as the body with Content-Type image/png.
        -> (200, {'text', 'score'}), or (4xx/503, {'error', 'detail'})."""
        if raw:
            return self.request("POST", "/predict", body=image, content_type="image/png")
        body, content_type = encode_multipart([(filename, image)], "image")
        return self.request("POST", "/predict", body=body, content_type=content_type)

    def predict_batch(self, files):
        """[(filename, encoded image)] -> (200, [{'text', 'score'}] in order), or (4xx/503, {'error', 'detail'})
        naming the first bad image (``image 1 (b.png)``): one bad image refuses the whole batch."""
        body, content_type = encode_multipart(files, "images")
        return self.request("POST", "/predict_batch", body=body, content_type=content_type)
