import json
import logging
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from rootcause.service import ServiceSettings, create_app

SECRET_TEXT = "柜员把我的卡号6222021234567890123输错了"


@pytest.fixture(scope="module")
def client(small_classifier):
    with TestClient(create_app(ServiceSettings(max_batch=5, max_text_chars=200, max_body_bytes=20_000),
                               small_classifier)) as c:
        yield c


def test_classify_one(client):
    r = client.post("/v1/classify", json={"text": "柜员一直在玩手机，让我等了半小时"})
    assert r.status_code == 200
    body = r.json()
    assert body["label"] in ("systemic", "staff", "customer", "random")
    assert set(body["probabilities"]) == {"systemic", "staff", "customer", "random"}
    assert body["remedies"][0]["rule_id"] and isinstance(body["escalation"], list)
    assert isinstance(body["needs_review"], bool)


def test_classify_batch_keeps_order(client):
    texts = ["网点突然停电", "我忘记密码了", "柜员态度恶劣"]
    r = client.post("/v1/classify/batch", json={"texts": texts})
    assert r.status_code == 200 and len(r.json()["results"]) == 3
    singles = [client.post("/v1/classify", json={"text": t}).json()["label"] for t in texts]
    assert [x["label"] for x in r.json()["results"]] == singles


@pytest.mark.parametrize(
    "path, body, status, message",
    [
        ("/v1/classify", {"text": ""}, 422, "at least 1 character"),
        ("/v1/classify", {"text": "   "}, 422, "empty or whitespace only"),
        ("/v1/classify", {"txt": "柜员"}, 422, "Field required"),
        ("/v1/classify", {"text": 42}, 422, "string"),
        ("/v1/classify", {"text": "长" * 201}, 422, "at most 200 characters"),
        ("/v1/classify/batch", {"texts": []}, 422, "at least 1 item"),
        ("/v1/classify/batch", {"texts": ["a"] * 6}, 422, "at most 5 items"),
        ("/v1/classify/batch", {"texts": ["好", " "]}, 422, "texts\\[1\\] is empty"),
        ("/v1/classify/batch", {"texts": "柜员"}, 422, "list"),
    ],
)
def test_bad_requests_get_4xx_with_a_message(client, path, body, status, message):
    r = client.post(path, json=body)
    assert r.status_code == status
    assert pytest.importorskip("re").search(message, r.text)


def test_invalid_json_and_oversized_body(client):
    r = client.post("/v1/classify", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.text
    r = client.post("/v1/classify", content=json.dumps({"text": "长" * 30_000}).encode(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.text


def test_errors_do_not_echo_the_complaint(client):
    r = client.post("/v1/classify", json={"text": SECRET_TEXT * 20})
    assert r.status_code == 422 and "6222021234567890123" not in r.text


def test_health_ready_model_metrics(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"ready": True}
    model = client.get("/v1/model").json()
    assert model["labels"] == ["systemic", "staff", "customer", "random"] and model["version"]
    client.post("/v1/classify", json={"text": "柜员态度差"})
    metrics = client.get("/metrics").text
    assert "rootcause_requests_total" in metrics and "rootcause_request_seconds_bucket" in metrics
    assert "rootcause_predictions_total{label=" in metrics
    assert client.get("/docs").status_code == 200 and client.get("/openapi.json").status_code == 200


def test_api_key(small_classifier):
    with TestClient(create_app(ServiceSettings(api_key="s3cret"), small_classifier)) as c:
        assert c.post("/v1/classify", json={"text": "柜员态度差"}).status_code == 401
        assert c.post("/v1/classify", json={"text": "柜员态度差"}, headers={"X-API-Key": "wrong"}).status_code == 401
        assert c.post("/v1/classify", json={"text": "柜员态度差"}, headers={"X-API-Key": "s3cret"}).status_code == 200
        assert c.post("/v1/classify", json={"text": "x"}, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/healthz").status_code == 200


def test_logs_never_hold_complaint_text(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/classify", json={"text": SECRET_TEXT})
        client.post("/v1/classify", json={"text": SECRET_TEXT * 50})
    assert caplog.records
    for record in caplog.records:
        assert "6222021234567890123" not in record.getMessage() and "柜员" not in record.getMessage()


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
                           max_leaves=10)


@settings(max_examples=150)
@given(path=st.sampled_from(["/v1/classify", "/v1/classify/batch"]),
       body=st.one_of(json_values, st.fixed_dictionaries({"text": json_values}), st.fixed_dictionaries({"texts": json_values}),
                      st.fixed_dictionaries({"text": st.text(max_size=300)}),
                      st.fixed_dictionaries({"texts": st.lists(st.text(max_size=50), max_size=7)})))
def test_fuzzed_requests_never_get_5xx(client, path, body):
    r = client.post(path, json=body)
    assert r.status_code < 500, r.text


@settings(max_examples=50)
@given(raw=st.binary(max_size=200))
def test_fuzzed_raw_bodies_never_get_5xx(client, raw):
    r = client.post("/v1/classify", content=raw, headers={"content-type": "application/json"})
    assert r.status_code < 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_real_server_on_loopback(small_store):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "rootcause", "serve", "--port", str(port), "--model", str(small_store),
                               "--log-level", "info"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if urllib.request.urlopen(base + "/readyz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(base + "/v1/classify", data=json.dumps({"text": "网点突然停电"}).encode(),
                                         headers={"content-type": "application/json"})
        body = json.loads(urllib.request.urlopen(request, timeout=10).read())
        assert body["label"] in ("systemic", "staff", "customer", "random")
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = server.stderr.read()
    assert "Application shutdown complete" in log  # graceful shutdown on SIGTERM
    assert "网点" not in log  # the access log holds no complaint text


def test_explanation_field(client):
    body = client.post("/v1/classify", json={"text": "柜员态度恶劣", "explain": True}).json()
    assert body["explanation"] and {"term", "weight"} <= set(body["explanation"][0])
    assert client.post("/v1/classify", json={"text": "柜员态度恶劣"}).json()["explanation"] is None


def test_connections_get_tcp_nodelay_even_on_a_socket_bound_without_ipproto_tcp():
    """uvicorn --workers N binds with proto 0, so asyncio skips TCP_NODELAY: ~40 ms per keep-alive reply."""
    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from rootcause.service import NoDelayHTTPProtocol

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)         # proto 0, as uvicorn binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()

    class Transport:
        def get_extra_info(self, name, default=None):
            return {"socket": accepted, "sockname": accepted.getsockname(),
                    "peername": accepted.getpeername()}.get(name, default)

        def is_closing(self):
            return False

    config = Config(app=create_app, factory=True, http=NoDelayHTTPProtocol)
    config.load()
    try:
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        import inspect

        extra = {"app_state": {}} if "app_state" in inspect.signature(NoDelayHTTPProtocol.__init__).parameters else {}
        NoDelayHTTPProtocol(config=config, server_state=ServerState(), **extra).connection_made(Transport())
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        for s in (accepted, client, listener):
            s.close()
