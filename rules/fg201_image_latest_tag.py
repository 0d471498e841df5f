"""## What it does
Flags a container image that uses the `latest` tag or no tag at all (which means `latest`).
Registry ports are not tags: `localhost:5000/app` has no tag, `registry:5000/team/app:v2` has
`v2`. An image pinned by digest (`@sha256:...`) is fine. An image that Terraform or
CloudFormation builds from unknown pieces is read where its literal text decides:
`"${var.repository_url}:latest"`, `join(":", [repo, "latest"])` and `!Sub "${Repo}:latest"` use
`latest`; `!Join ["", [..., ".amazonaws.com/app"]]` has no tag; `"${var.repo}:${var.tag}"` stays
silent. Placeholders that are no image reference at all (`${IMAGE}` filled in by a deploy tool,
`CONTAINER-IMAGE-PLACEHOLDER`, `<image>`) are skipped; a malformed reference (`nginx:`) is
FG003's.

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
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): "pin the
  image to an immutable tag or digest, never :latest – ECS resolves the tag at task launch, so a
  moving tag means two tasks in the same deployment can run different code".
"""

from collections.abc import Iterator

from fglint.aws.images import ImageRef, parse_image, partial_image
from fglint.nodes import Node, TemplateNode, as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG201",
    name="image-latest-tag",
    summary="Image uses the `latest` tag or no tag",
    severity="warning",
    tags=("images", "reproducibility"),
)


def image(node: Node | None) -> tuple[str, ImageRef | None]:
    """The image as shown in a message, and its parts where the literal text decides them."""
    if isinstance(node, TemplateNode):
        shown = node.text[1:-1] if node.text[:1] == node.text[-1:] == '"' else node.text
        return shown, partial_image(node.masked("x"), node.suffix())
    text = as_str(node)
    return text or "", parse_image(text) if text else None


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        node = container.node.get("image")
        text, ref = image(node)
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
