"""The HTTP service: translates requests to :meth:`Classifier.predict`, nothing more.

Run it with ``rootcause serve``; configure with :class:`ServiceSettings` (or ``ROOTCAUSE_*``
environment variables, which is how worker processes receive it). Logs carry sizes, ids and
timings, never complaint text.
"""


import gc
import hmac
import logging
import os
import socket
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rootcause.classifier import Classifier, load_classifier
from rootcause.labels import LABELS

log = logging.getLogger("rootcause.service")


@dataclass(frozen=True)
class ServiceSettings:
    """Limits and configuration of the service."""

    model: str | None = None
    rules: str | None = None
    api_key: str | None = None
    max_batch: int = 256
    max_text_chars: int = 5000
    max_body_bytes: int = 2_000_000
    review_threshold: float | None = None
    scope_threshold: float | None = None

    @classmethod
    def from_env(cls) -> "ServiceSettings":
        env = os.environ
        return cls(
            model=env.get("ROOTCAUSE_MODEL") or None,
            rules=env.get("ROOTCAUSE_RULES") or None,
            api_key=env.get("ROOTCAUSE_API_KEY") or None,
            max_batch=int(env.get("ROOTCAUSE_MAX_BATCH", 256)),
            max_text_chars=int(env.get("ROOTCAUSE_MAX_TEXT_CHARS", 5000)),
            max_body_bytes=int(env.get("ROOTCAUSE_MAX_BODY_BYTES", 2_000_000)),
            review_threshold=float(env["ROOTCAUSE_REVIEW_THRESHOLD"]) if env.get("ROOTCAUSE_REVIEW_THRESHOLD") else None,
            scope_threshold=float(env["ROOTCAUSE_SCOPE_THRESHOLD"]) if env.get("ROOTCAUSE_SCOPE_THRESHOLD") else None,
        )

    def to_env(self) -> dict[str, str]:
        values = {"ROOTCAUSE_MODEL": self.model, "ROOTCAUSE_RULES": self.rules, "ROOTCAUSE_API_KEY": self.api_key,
                  "ROOTCAUSE_MAX_BATCH": self.max_batch, "ROOTCAUSE_MAX_TEXT_CHARS": self.max_text_chars,
                  "ROOTCAUSE_MAX_BODY_BYTES": self.max_body_bytes, "ROOTCAUSE_REVIEW_THRESHOLD": self.review_threshold,
                  "ROOTCAUSE_SCOPE_THRESHOLD": self.scope_threshold}
        return {k: str(v) for k, v in values.items() if v is not None}


class RemedyOut(BaseModel):
    zh: str
    en: str
    rule_id: str


class TermOut(BaseModel):
    term: str
    weight: float


class PredictionOut(BaseModel):
    label: str = Field(description="root cause: systemic, staff, customer or random")
    label_zh: str
    confidence: float
    probabilities: dict[str, float]
    needs_review: bool
    remedies: list[RemedyOut]
    escalation: list[str]
    explanation: list[TermOut] | None = Field(None, description="terms behind the label, when explain is true")


class BatchOut(BaseModel):
    results: list[PredictionOut]


class ModelOut(BaseModel):
    version: str
    labels: list[str]
    created: str | None = None
    metrics: dict = {}


def _check_text(text: str) -> str:
    if not text.strip():
        raise ValueError("text is empty or whitespace only; there is nothing to classify")
    return text


def create_app(settings: ServiceSettings | None = None, classifier: Classifier | None = None) -> FastAPI:
    """Build the app; the model is loaded at start-up (or ``classifier`` is used as given)."""
    settings = settings or ServiceSettings()
    max_chars = settings.max_text_chars

    class TextIn(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)
        text: Annotated[str, Field(min_length=1, max_length=max_chars, description="complaint narrative")]
        explain: bool = False

        @field_validator("text")
        @classmethod
        def _not_blank(cls, text: str) -> str:
            return _check_text(text)

    class BatchIn(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)
        texts: Annotated[list[Annotated[str, Field(min_length=1, max_length=max_chars)]],
                         Field(min_length=1, max_length=settings.max_batch)]
        explain: bool = False

        @field_validator("texts")
        @classmethod
        def _no_blank(cls, texts: list[str]) -> list[str]:
            for i, text in enumerate(texts):
                if not text.strip():
                    raise ValueError(f"texts[{i}] is empty or whitespace only")
            return texts

    registry = CollectorRegistry()
    requests = Counter("rootcause_requests", "HTTP requests", ["path", "status"], registry=registry)
    latency = Histogram("rootcause_request_seconds", "request latency", ["path"], registry=registry,
                        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
    predictions = Counter("rootcause_predictions", "predictions per label", ["label"], registry=registry)
    state: dict = {"classifier": classifier}

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if state["classifier"] is None:
            state["classifier"] = load_classifier(settings.model, rules=settings.rules,
                                                  review_threshold=settings.review_threshold,
                                                  scope_threshold=settings.scope_threshold)
            state["classifier"].predict(["预热"])
        gc.collect()
        gc.freeze()  # the loaded model never becomes garbage: keep it out of every later collection
        log.info("model %s ready", state["classifier"].version)
        yield
        log.info("shutting down")

    app = FastAPI(title="rootcause", version="1", lifespan=lifespan,
                  description="Root cause of Chinese customer complaints, with remedies and escalation.")

    def get_classifier() -> Classifier:
        if state["classifier"] is None:
            raise HTTPException(503, "the model is not loaded yet")
        return state["classifier"]

    def require_key(request: Request) -> None:
        if settings.api_key is None:
            return
        given = request.headers.get("x-api-key") or request.headers.get("authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(given.encode(), settings.api_key.encode()):
            raise HTTPException(401, "missing or wrong API key: send it in the X-API-Key header",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.middleware("http")
    async def limit_and_observe(request: Request, call_next):
        started = time.perf_counter()
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > settings.max_body_bytes):
            response: Response = JSONResponse(
                {"detail": f"request body larger than {settings.max_body_bytes} bytes"}, status_code=413)
        else:
            body = await request.body()
            if len(body) > settings.max_body_bytes:
                response = JSONResponse({"detail": f"request body larger than {settings.max_body_bytes} bytes"},
                                        status_code=413)
            else:
                response = await call_next(request)
        elapsed = time.perf_counter() - started
        route = request.scope.get("route")
        path = route.path if route is not None else "other"
        requests.labels(path, str(response.status_code)).inc()
        latency.labels(path).observe(elapsed)
        response.headers["x-request-id"] = request_id
        log.info("request id=%s %s %s bytes=%s status=%s ms=%.1f", request_id, request.method, path,
                 length or 0, response.status_code, elapsed * 1000)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # never echo the input back: it may hold personal data, and it may be huge
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    def out(p) -> PredictionOut:
        predictions.labels(p.label).inc()
        return PredictionOut(**p.to_dict())

    @app.post("/v1/classify", response_model=PredictionOut, dependencies=[Depends(require_key)],
              responses={401: {}, 413: {}, 422: {}})
    def classify(body: TextIn, clf: Classifier = Depends(get_classifier)) -> PredictionOut:
        """Classify one complaint."""
        return out(clf.predict([body.text], explain=body.explain)[0])

    @app.post("/v1/classify/batch", response_model=BatchOut, dependencies=[Depends(require_key)],
              responses={401: {}, 413: {}, 422: {}})
    def classify_batch(body: BatchIn, clf: Classifier = Depends(get_classifier)) -> BatchOut:
        """Classify up to the configured number of complaints at once, in order."""
        return BatchOut(results=[out(p) for p in clf.predict(body.texts, explain=body.explain)])

    @app.get("/healthz")
    def healthz() -> dict:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        """The model is loaded and predictions can be served."""
        ready = state["classifier"] is not None
        return JSONResponse({"ready": ready}, status_code=200 if ready else 503)

    @app.get("/v1/model", response_model=ModelOut, dependencies=[Depends(require_key)])
    def model(clf: Classifier = Depends(get_classifier)) -> ModelOut:
        """Version, labels and metrics of the loaded model."""
        manifest = clf.info.manifest if clf.info else {}
        return ModelOut(version=clf.version, labels=list(LABELS), created=manifest.get("created"),
                        metrics=manifest.get("metrics", {}))

    @app.get("/metrics")
    def metrics() -> Response:
        """Prometheus metrics: requests, latency, predictions per label."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` and worker processes: settings from ``ROOTCAUSE_*``."""
    return create_app(ServiceSettings.from_env())


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _HTTPProtocol
except ImportError:  # httptools is optional; h11 always comes with uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol as _HTTPProtocol


class NoDelayHTTPProtocol(_HTTPProtocol):
    """uvicorn's HTTP protocol with Nagle's algorithm off on every connection.

    With ``--workers`` above 1 uvicorn binds the listening socket without ``IPPROTO_TCP``, so asyncio
    never sets ``TCP_NODELAY`` on accepted connections and each keep-alive response waits for the
    client's delayed ACK: a flat ~40 ms (uvicorn issue #3149). Setting it here fixes every path.
    """

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
