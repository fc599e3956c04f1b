"""The HTTP service of ``tools/serve.py`` (``service``), its micro-batching of concurrent requests
(``batching``), the request size limit (``body_limit``) and a small client (``service_client``).
"""
