"""Schemathesis against the OpenAPI schema: generated requests for every operation, and not one
server error."""

from importlib import resources

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from docket import services
from docket.store import open_store
from docket.web import create_app


def _app():
    import tempfile
    from pathlib import Path

    db = Path(tempfile.mkdtemp(prefix="docket-fuzz-")) / "fuzz.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    return create_app(str(db), user="fuzzer", allowed_hosts=["testserver"])  # the host schemathesis sends


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500
    if response.status_code >= 400:
        assert "error" in response.json()


def test_the_schema_covers_the_api():
    paths = APP.openapi()["paths"]
    operations = sum(len(methods) for methods in paths.values())
    assert len(list(schema.get_all_operations())) == operations >= 14


pytestmark = pytest.mark.filterwarnings("ignore")
