"""Container image references by Docker's distribution grammar:
`[host[:port]/]path[:tag][@algorithm:hex]` (github.com/distribution/reference, regexp.go).

A value that cannot be a reference at all (`CONTAINER-IMAGE-PLACEHOLDER`, `${IMAGE}`,
`<image>`) is a placeholder some tool replaces before deploy: `parse_image` returns None and the
image rules stay silent. A value whose name is a reference but whose tag or digest is malformed
(`nginx:`, `app@sha256:abc`) is a mistake: `image_problem` says what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TEMPLATE = re.compile(r"\$\{|\{\{|<[A-Za-z_]|%[sd(]")  # ${var}, {{var}}, <placeholder>, %s

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
_NAME_ONLY = re.compile(_NAME, re.ASCII)
_SPLIT_DOMAIN = re.compile(rf"(?:({_DOMAIN})/)?({_COMPONENT}(?:/{_COMPONENT})*)", re.ASCII)
NAME_MAX = 255  # characters of the path (the name without its domain)
DIGEST_HEX = {"sha256": 64, "sha384": 96, "sha512": 128}  # the algorithms registries accept


@dataclass(frozen=True)
class ImageRef:
    registry: str | None  # as Docker resolves it: a first component with `.` or `:`, localhost
    repository: str  # the rest of the name
    tag: str | None
    digest: str | None

    @property
    def private_ecr(self) -> bool:
        return bool(
            self.registry and re.search(r"\.dkr\.ecr\.[^.]+\.amazonaws\.com", self.registry)
        )


@dataclass(frozen=True)
class _Parsed:
    name: str
    tag: str | None
    digest: str | None
    problem: str | None  # why the reference is malformed, when it is


def _parse(text: str) -> _Parsed | None:
    """The reference's parts by the grammar; None when `text` is no reference at all."""
    text = text.strip()
    if not text or len(text) > 4 * NAME_MAX or _TEMPLATE.search(text):
        return None
    match = _REFERENCE.fullmatch(text)
    if match is not None:
        name, tag, digest = match.groups()
        return _Parsed(name, tag, digest, _name_problem(name) or _digest_problem(digest))
    return _malformed(text)


def _malformed(text: str) -> _Parsed | None:
    """A name that is a reference followed by a broken tag or digest (`nginx:`, `a@sha256:x`)."""
    name, at, digest = text.partition("@")
    head, colon, tag = name.rpartition(":") if ":" in name.rsplit("/", 1)[-1] else (name, "", "")
    if not _NAME_ONLY.fullmatch(head) or (tag and re.fullmatch(_TAG, tag) is None):
        return None
    if colon and not tag:
        return _Parsed(head, "", digest or None, "the tag after `:` is empty")
    if at:
        return _Parsed(head, tag or None, digest, _digest_problem(digest) or "malformed digest")
    return None


def _name_problem(name: str) -> str | None:
    split = _SPLIT_DOMAIN.fullmatch(name)
    path = split.group(2) if split else name
    return f"the name is longer than {NAME_MAX} characters" if len(path) > NAME_MAX else None


def _digest_problem(digest: str | None) -> str | None:
    if digest is None:
        return None
    algorithm, _, hexpart = digest.partition(":")
    if not hexpart:
        return f"the digest `{digest}` has no `algorithm:` prefix"
    length = DIGEST_HEX.get(algorithm)
    if length is None:
        return f"the digest algorithm `{algorithm}` is not sha256, sha384 or sha512"
    if len(hexpart) != length or not re.fullmatch(r"[0-9a-f]+", hexpart):
        return f"a {algorithm} digest is {length} lower-case hex digits, not `{hexpart}`"
    return None


def parse_image(text: str) -> ImageRef | None:
    """A valid reference's parts; None when it is a placeholder or malformed."""
    parsed = _parse(text)
    if parsed is None or parsed.problem:
        return None
    first, sep, rest = parsed.name.partition("/")
    registry, repository = None, parsed.name
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    return ImageRef(registry, repository, parsed.tag, parsed.digest)


def image_problem(text: str) -> str | None:
    """Why `text`, written as an image reference, is not a valid one; None when it is valid or
    is a placeholder rather than a reference."""
    parsed = _parse(text)
    return parsed.problem if parsed is not None else None


def partial_image(masked: str, suffix: str) -> ImageRef | None:
    """The parts of an image written with unknown pieces (`"${var.repo}:latest"`) that its
    literal text decides: `masked` is the reference with each unknown piece replaced by `x`,
    `suffix` the literal text after the last one. The tag is known when it is all in the suffix
    (`:latest`), its absence when the suffix holds the whole last path component (`/app`);
    None when an unknown piece may hold the tag or the digest."""
    ref = parse_image(masked)
    if ref is None or ref.digest is not None:
        return ref if ref is not None and "@" in suffix else None
    if ref.tag is not None:
        return ref if suffix.endswith(f":{ref.tag}") else None
    last = suffix.rpartition("/")
    return ref if last[1] and ":" not in last[2] else None
