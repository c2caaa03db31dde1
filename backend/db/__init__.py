"""Backend-owned tables (conversations) and the metadata Alembic migrates."""

from backend.db.models import AppBase, ConversationRow
from backend.db.repository import ConversationRepository

__all__ = ["AppBase", "ConversationRepository", "ConversationRow"]
