"""Human-readable progress lines on stderr for the deploy tools, with secrets redacted.

The tools' stdout is reserved for what the user (or a calling program) consumes: install
instructions and the machine-readable DELTACAT_* lines.
"""

import logging
import re
import sys

_SECRET_PAIR = re.compile(
    r"(?i)([A-Za-z0-9_.\-]*(?:secret|token|passw(?:or)?d|signature|credential|authorization)"
    r"[A-Za-z0-9_.\-]*[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}\])]+)"
)


def redact(text: str) -> str:
    """Replaces the values of secret-looking name=value pairs (AWS secret keys, session
    tokens, presigned-URL signatures) with ***REDACTED***."""
    return _SECRET_PAIR.sub(r"\1***REDACTED***", text)


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def tool_logger(name: str) -> logging.Logger:
    """A logger that writes `<name>: message` to stderr, once per process."""
    logger = logging.getLogger(f"deltacat.devtools.{name}")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_RedactingFormatter(f"{name}: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
