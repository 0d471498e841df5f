"""## What it does
Flags a container image that uses the `latest` tag or no tag at all (which means `latest`).
Registry ports are not tags: `localhost:5000/app` has no tag, `registry:5000/team/app:v2` has
`v2`. An image pinned by digest (`@sha256:...`) is fine. Templated images (`${...}`) and
placeholders that are no image reference at all (`CONTAINER-IMAGE-PLACEHOLDER`, `<image>`) are
skipped; a malformed reference (`nginx:`) is FG003's.

## Why is this bad?
ECS resolves the tag when each task launches. With a moving tag, two tasks of the same
deployment can run different code, a rollback does not roll back, and you cannot tell from the
task definition what is running.

## Example
```json
{"name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout:latest"}
```
Use instead:
```json
{"name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout:1.42.0"}
```

## References
- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image
- The guide, section 1: "pin the image to an immutable tag or digest, never :latest"
"""

from collections.abc import Iterator

from fglint.aws.images import parse_image
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG201",
    name="image-latest-tag",
    summary="Image uses the `latest` tag or no tag",
    severity="warning",
    tags=("images", "reproducibility"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        node = container.node.get("image")
        text = container.node.str("image")
        ref = parse_image(text) if text else None
        if node is None or ref is None or ref.digest:
            continue
        if ref.tag is None:
            yield Violation(
                node,
                f"Image `{text}` has no tag, so ECS pulls `latest` at each "
                "task launch; pin an immutable tag or a digest",
            )
        elif ref.tag == "latest":
            yield Violation(
                node,
                f"Image `{text}` uses the moving `latest` tag; pin an immutable tag or a digest",
            )
