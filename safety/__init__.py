"""Safety library: text in, redacted text or verdict out. No web, database or graph imports."""

from safety.pii import PiiConfig, PiiRedactor, build_analyzer
from safety.types import PiiFinding, RedactionResult

__all__ = ["PiiConfig", "PiiFinding", "PiiRedactor", "RedactionResult", "build_analyzer"]
