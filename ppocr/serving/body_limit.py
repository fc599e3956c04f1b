"""A request body larger than the service's limit is refused with 413 before it is all in memory.

An ASGI middleware: a declared ``Content-Length`` over the limit is refused at once; a body that
grows past it while the route reads it (chunked, or a lying header) stops the route. Either way
the rest of the body is read and discarded, up to ``DRAIN_FACTOR`` times the limit, so that the
client, still sending, gets the 413 rather than a reset connection.

Example::

    app.add_middleware(BodyLimit, max_bytes=8 * 1024 * 1024)
"""
import json

DRAIN_FACTOR = 4


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app, max_bytes):
        self.app, self.max_bytes = app, int(max_bytes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(receive, send, int(declared))
        received, complete = 0, False

        async def limited_receive():
            nonlocal received, complete
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except BodyTooLarge:
            await self._refuse(receive, send, None, complete)

    async def _refuse(self, receive, send, declared, complete=False):
        drained = 0
        while not complete and drained <= DRAIN_FACTOR * self.max_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            drained += len(message.get("body", b""))
            complete = not message.get("more_body", False)
        size = f"has {declared} bytes, more" if declared is not None else "is larger"
        body = json.dumps({"error": "body_too_large",
                           "detail": f"the request body {size} than the service's limit of {self.max_bytes} bytes: "
                                     "send fewer or smaller images (or raise --max_body_bytes)"}).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
