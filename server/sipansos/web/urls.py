"""URL helpers for redirects."""

from urllib.parse import urlsplit


def is_safe_next_url(target):
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    if not target:
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    )
