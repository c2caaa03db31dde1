"""FastAPI dependencies: read the services built at start-up from ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backend.conversation_service import ConversationService
from backend.services import Services


def get_services(request: Request) -> Services:
    """The services built by the lifespan."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_conversations(services: ServicesDep) -> ConversationService:
    """The conversation service."""
    return services.conversations


ConversationsDep = Annotated[ConversationService, Depends(get_conversations)]
