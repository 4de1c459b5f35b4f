"""The connection to the cluster (when ELASTICSEARCH_URL is set), shared by the engine's writes and queries."""

from functools import lru_cache

from django.conf import settings
from elastic_transport import TransportError, Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch

# What the client raises when the cluster cannot answer: searches fall back, writes become pending.
ERRORS = (TransportError, ApiError)


class PlainJsonNode(Urllib3HttpNode):
    """Sends plain application/json instead of the 8.x client's compatibility media type.

    Test servers that speak the Elasticsearch API without that media type
    (osmem-server) need it; a real Elasticsearch 8 accepts both.
    """

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = dict(headers or {})
        for name in list(headers):
            if name.lower() in ("accept", "content-type") and "compatible-with" in str(headers[name]):
                headers[name] = "application/x-ndjson" if "ndjson" in headers[name] else "application/json"
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def configured():
    return bool(settings.ELASTICSEARCH_URL)


# Seconds a request may take before the cluster counts as unreachable (searches then fall back). The relevance bench
# raises it for its bulk rebuild on a loaded machine.
REQUEST_TIMEOUT = 3


@lru_cache(maxsize=4)
def _client(url, plain_json):
    options = {"request_timeout": REQUEST_TIMEOUT, "max_retries": 0, "retry_on_timeout": False}
    if plain_json:
        options["node_class"] = PlainJsonNode
    return Elasticsearch(url, **options)


def client():
    return _client(settings.ELASTICSEARCH_URL, getattr(settings, "ELASTICSEARCH_PLAIN_JSON", False))
