"""Image references against Docker's own test vectors: the table of `TestReferenceParse` in
github.com/distribution/reference (reference_test.go at 0965666a, Apache-2.0), copied into
tests/data/distribution_reference_vectors.json with its source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fglint.aws.images import image_problem, parse_image

VECTORS = json.loads(
    (Path(__file__).parent / "data" / "distribution_reference_vectors.json").read_text("utf-8")
)
# Errors Docker reports that fglint reads as a placeholder rather than a mistake: a value that is
# not a reference at all (upper case, no name, junk) is something a pipeline replaces.
PLACEHOLDER = {"ErrNameEmpty", "ErrReferenceInvalidFormat", "ErrNameContainsUppercase"}
# The table's own comment: "sha512 is valid, but not registered by default ("crypto/sha512" is
# not imported)" in the test binary. Registries and Docker accept it.
REGISTERED_ELSEWHERE = "validname@sha512:" + "f" * 128


def test_the_vectors_are_docker_s() -> None:
    assert VECTORS["source"].startswith("https://github.com/distribution/reference/")
    assert len(VECTORS["cases"]) == 48


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["input"][:60])
def test_distribution_reference_vector(case: dict[str, str]) -> None:
    ref = parse_image(case["input"])
    if case["input"] == REGISTERED_ELSEWHERE:
        assert ref is not None and ref.digest == "sha512:" + "f" * 128
        return
    if "err" in case:
        assert ref is None
        if case["err"] in PLACEHOLDER:
            assert image_problem(case["input"]) is None
        else:  # a malformed digest, a name too long
            assert image_problem(case["input"])
        return
    assert ref is not None and image_problem(case["input"]) is None
    name = f"{ref.registry}/{ref.repository}" if ref.registry else ref.repository
    assert name == case["repository"]
    assert ref.tag == (case.get("tag") or None)
    assert ref.digest == (case.get("digest") or None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nginx:", "the tag after `:` is empty"),
        ("nginx@sha256:abc", "a sha256 digest is 64 lower-case hex digits, not `abc`"),
        ("app:1.2@sha1:" + "a" * 40, "the digest algorithm `sha1` is not sha256, sha384 or sha512"),
        (
            "app@sha256:" + "A" * 64,
            "a sha256 digest is 64 lower-case hex digits, not `" + "A" * 64 + "`",
        ),
        ("localhost:5000/app:", "the tag after `:` is empty"),
    ],
)
def test_malformed_references(text: str, problem: str) -> None:
    assert parse_image(text) is None
    assert image_problem(text) == problem


@pytest.mark.parametrize(
    "text",
    [
        "CONTAINER-IMAGE-PLACEHOLDER",
        "${IMAGE}",
        "<image>",
        "{{ image }}",
        "IMAGE_URI",
        "",
        "app image",
        "%s:%s",
        ":latest",
    ],
)
def test_placeholders_are_neither_valid_nor_malformed(text: str) -> None:
    assert parse_image(text) is None
    assert image_problem(text) is None


def test_registry_as_docker_resolves_it() -> None:
    ecr = parse_image(
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4@sha256:" + "a" * 64
    )
    assert ecr is not None and ecr.private_ecr and ecr.repository == "team/app"
    assert ecr.tag == "1.4" and ecr.digest == "sha256:" + "a" * 64
    local = parse_image("localhost:5000/app")
    assert local is not None and local.registry == "localhost:5000" and local.tag is None
    hub = parse_image("library/nginx:1.27")
    assert hub is not None and hub.registry is None and hub.repository == "library/nginx"
