"""Lets schemathesis send generated strings as text/csv bodies to the import endpoint, and raw bytes as attachments."""
import schemathesis


@schemathesis.serializer("text/csv")
class CSVSerializer:
    def as_requests(self, context, value):
        return {"data": value.encode() if isinstance(value, str) else (value if isinstance(value, bytes) else str(value).encode())}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)


def _raw(value):
    return value if isinstance(value, bytes) else (value.encode() if isinstance(value, str) else str(value).encode())


class RawSerializer:
    """Attachments: the generated value is sent as the raw file body (Cobro checks the content and refuses most)."""

    def as_requests(self, context, value):
        return {"data": _raw(value)}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)


for _media in ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "message/rfc822", "application/vnd.ms-outlook"):
    schemathesis.serializer(_media)(RawSerializer)
