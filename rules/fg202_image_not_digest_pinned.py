"""## What it does
Notes a container image pinned by a tag but not by a digest (`@sha256:...`). Off by default:
turn it on with `--select FG202` where you want deployments to be byte-for-byte reproducible.
Untagged and `latest` images are FG201's; templated images (`${...}`) and placeholders
(`CONTAINER-IMAGE-PLACEHOLDER`) are skipped.

## Why is this bad?
ECS resolves a tag when each task launches. Tags can be moved (unless the ECR repository has
immutable tags), so two tasks of one deployment, or a scale-out a week later, can run different
code under the same task definition revision. A digest names exactly one image.

## Example
```json
{"name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout:1.42.0"}
```
Use instead:
```json
{"name": "app",
 "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout:1.42.0@sha256:4b1a7b8f...c5d7e"}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image
- Amazon ECR User Guide, "Preventing image tags from being overwritten in Amazon ECR":
  https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): "pin the
  image to an immutable tag or digest" (ECS resolves the tag at task launch).
"""

from collections.abc import Iterator

from fglint.aws.images import parse_image
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG202",
    name="image-not-digest-pinned",
    summary="Image pinned by tag, not by digest",
    severity="note",
    tags=("images", "reproducibility"),
    enabled=False,
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        node, text = container.node.get("image"), container.node.str("image")
        ref = parse_image(text) if text else None
        if node is None or ref is None or ref.digest or ref.tag in (None, "latest"):
            continue
        yield Violation(
            node,
            f"Image `{text}` is pinned by the tag `{ref.tag}`, which can be moved; "
            "pin the digest too (`...@sha256:...`) for reproducible deployments",
        )
