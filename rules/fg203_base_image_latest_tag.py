"""## What it does
Flags a Dockerfile `FROM` whose image uses the `latest` tag or no tag at all (which means
`latest`), and a `COPY --from=<image>` that copies from such an image. Every build stage is
checked, not only the final one: a moving builder image (`FROM golang AS build`) changes the
binary that the final stage copies, as surely as a moving final base changes the image. `FROM
scratch`, a `FROM <stage>` that names another build stage, digests (`@sha256:...`) and images
built from ARG variables (`FROM node:${VERSION}`, whose value `--build-arg` can change) are
skipped.

## Why is this bad?
Each build pulls whatever `latest` points to that day, so two builds of the same commit can ship
different images, with a different runtime, libc or CA bundle, to your Fargate service. A
rollback to an earlier commit does not bring the earlier base back, and a deploy that "changed
nothing" can break. This is the build-time half of the Fargate production guide's advice to pin
images (section 1); FG201 is the task-definition half.

## Example
```dockerfile
FROM golang AS build
RUN go build -o /app .

FROM public.ecr.aws/docker/library/alpine:latest
COPY --from=build /app /app
```
Use instead:
```dockerfile
FROM golang:1.22.5 AS build
RUN go build -o /app .

FROM public.ecr.aws/docker/library/alpine:3.20.1
COPY --from=build /app /app
```

## References
- Docker Docs, "Building best practices":
  https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
- Docker Docs, "Dockerfile reference": https://docs.docker.com/reference/dockerfile/#from
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): "pin the
  image to an immutable tag or digest, never :latest".
"""

from collections.abc import Iterator

from fglint.aws.images import parse_image
from fglint.model import DockerImage, DockerStage
from fglint.nodes import Node, as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG203",
    name="base-image-latest-tag",
    summary="Dockerfile base image uses the `latest` tag or no tag",
    severity="warning",
    tags=("images", "reproducibility", "dockerfile"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for image in ctx.project.of(DockerImage):
        names = {stage.name for stage in image.stages if stage.name}
        for stage in image.stages:
            if stage.external and (as_str(stage.image) or "").lower() not in names:
                yield from _moving(stage.image, "FROM", _stage_label(image, stage))
            for copy in stage.instructions:
                source = copy.flags.get("from") if copy.keyword == "COPY" else None
                text = as_str(source) or ""
                if source is not None and text.lower() not in names and not text.isdigit():
                    yield from _moving(source, "COPY --from=", "")


def _stage_label(image: DockerImage, stage: DockerStage) -> str:
    if stage is image.final:
        return " (the final stage)"
    return f" (build stage `{stage.name}`)" if stage.name else f" (build stage {stage.index})"


def _moving(node: Node, instruction: str, label: str) -> Iterator[Violation]:
    text = as_str(node)
    ref = parse_image(text) if text else None
    if ref is None or ref.digest:
        return
    written = f"`{instruction}{'' if instruction.endswith('=') else ' '}{text}`{label}"
    effect = (
        "two builds of the same commit can ship different images to ECS"
        if "final" in label
        else "what it puts in the final image changes from build to build"
    )
    if ref.tag is None:
        yield Violation(
            node,
            f"{written} has no tag, so each build pulls whatever `latest` is that day: "
            f"{effect}; pin a version tag or a digest",
        )
    elif ref.tag == "latest":
        yield Violation(
            node,
            f"{written} uses the moving `latest` tag: {effect}; pin a version tag or a digest",
        )
