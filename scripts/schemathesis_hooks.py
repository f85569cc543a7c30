"""Lets schemathesis send generated strings as text/csv bodies to the import endpoint."""
import schemathesis


@schemathesis.serializer("text/csv")
class CSVSerializer:
    def as_requests(self, context, value):
        return {"data": value.encode() if isinstance(value, str) else (value if isinstance(value, bytes) else str(value).encode())}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)
