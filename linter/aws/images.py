"""Container image references: `[registry[:port]/]repository[:tag][@digest]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TEMPLATE = re.compile(r"\$\{|\{\{|<[A-Za-z_]|%[sd(]")  # ${var}, {{var}}, <placeholder>


@dataclass(frozen=True)
class ImageRef:
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None

    @property
    def private_ecr(self) -> bool:
        return bool(
            self.registry and re.search(r"\.dkr\.ecr\.[^.]+\.amazonaws\.com", self.registry)
        )


def parse_image(text: str) -> ImageRef | None:
    """Parse a reference; None when it is templated or not a reference at all."""
    text = text.strip()
    if not text or _TEMPLATE.search(text) or any(ch.isspace() for ch in text):
        return None
    name, _, digest = text.partition("@")
    registry = None
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, name = first, rest
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else None
    repository = name[: len(name) - len(tag) - 1] if tag is not None else name
    if not repository:
        return None
    return ImageRef(registry, repository, tag, digest or None)
