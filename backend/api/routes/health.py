"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST

from backend.api.deps import ServicesDep
from backend.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
def health() -> Health:
    """Return ok while the process is up."""
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Readiness: database, model and policy bundle",
    responses={503: {"model": Readiness, "description": "a dependency is not ready"}},
)
def ready(services: ServicesDep, response: Response) -> Readiness:
    """Check the database and the model; report the policy version in force."""
    database = services.database_ready()
    model = services.chat_model.ready()
    result = Readiness(
        ready=database and model,
        database=database,
        model=model,
        model_id=services.chat_model.model_id,
        policy_version=services.bundle.version,
        policy_sha256=services.bundle.sha256,
    )
    if not result.ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return result


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(services: ServicesDep) -> Response:
    """Counters and latency histograms in the Prometheus text format."""
    return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)
