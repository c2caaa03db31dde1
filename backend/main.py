"""FastAPI application factory; the lifespan builds the heavy objects once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from audit import make_session_factory
from backend.access import build_access
from backend.api.routes import audit, auth, clinician, conversations, flags, health, monitoring, users
from backend.components import PrebuiltComponents
from backend.llm import ChatModel
from backend.ratings import RatingStore
from backend.services import build_services
from backend.settings import Settings, get_settings
from safety import PiiConfig, PiiRedactor

logger = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    *,
    chat_model: ChatModel | None = None,
    redactor: PiiRedactor | None = None,
    prebuilt: PrebuiltComponents | None = None,
) -> FastAPI:
    """Build the app. Tests pass settings and, optionally, ready model, redactor and components."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pii = redactor or PiiRedactor(PiiConfig())  # one redactor for the services and the ratings
        with build_services(settings, chat_model=chat_model, redactor=pii, prebuilt=prebuilt) as services:
            app.state.services = services
            app.state.access = build_access(services)
            app.state.ratings = RatingStore(make_session_factory(services.engine), pii)
            logger.info("ready: model %s, policy %s", services.chat_model.model_id, services.bundle.version)
            yield

    app = FastAPI(
        title="Triage assistant API",
        version="0.1.0",
        description=(
            "Medical triage assistant. Every turn is redacted, answered, safety-checked and written to a"
            " tamper-evident audit log before the reply is returned."
        ),
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"], allow_headers=["*"]
    )

    @app.exception_handler(Exception)
    async def unhandled(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", exc_info=exc)
        return JSONResponse(status_code=500, content={"detail": "internal error; nothing was lost"})

    app.include_router(health.router)
    app.include_router(conversations.router)
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(audit.router)
    app.include_router(flags.router)
    app.include_router(clinician.router)
    app.include_router(monitoring.router)
    return app
