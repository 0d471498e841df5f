"""## What it does
Flags a secret written into a Dockerfile: an `ENV` value, or an `ARG` default, that is a secret
by its name (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, ...) with a real-looking value, or by its
value whatever the name (AWS access key ids, private key blocks, credentials inside URLs,
well-known token formats), with the same judgement as FG601. Values taken from a variable
(`ENV DB_PASSWORD=$DB_PASSWORD`), empty values, booleans, short numbers and ARNs are not
secrets. The finding never prints the value.

An `ARG` without a default whose name is a secret's (`ARG NPM_TOKEN`) is also reported when a
`RUN` of the image follows it in the same stage: its value comes from `--build-arg` at build
time, and every such `RUN` records it. Stages the final image does not build on (`FROM
<stage>`) are left alone: their history is not pushed.

## Why is this bad?
An `ENV` value is stored in the image configuration: anyone who can pull the image from ECR
reads it with `docker inspect`, and every container started from it, on every task, has it. An
`ARG` default is committed with the Dockerfile and recorded in the image history of every
`RUN` that uses it. Removing the line later does not remove it from images already pushed.

## Example
```dockerfile
FROM public.ecr.aws/docker/library/node:20.15.0-slim
ARG NPM_TOKEN=npm_4f9c1e7d2b8a6f3e0c5d9b1a7e4f2c8d6b3a
ENV DB_PASSWORD=hunter2-prod
ARG GITHUB_TOKEN
RUN npm ci
```
Use instead: pass build-time secrets as BuildKit secrets, which never enter a layer, and inject
runtime secrets from Secrets Manager through the task definition's `secrets`:
```dockerfile
FROM public.ecr.aws/docker/library/node:20.15.0-slim
RUN --mount=type=secret,id=npm_token \
    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
```
```json
"secrets": [{"name": "DB_PASSWORD",
  "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db-AbCdEf"}]
```

## References
- Docker Docs, "Build secrets": https://docs.docker.com/build/building/secrets/
- Docker Docs, build check "SecretsUsedInArgOrEnv":
  https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
- Docker Docs, "Build variables":
  https://docs.docker.com/build/building/variables/#arg-usage-example ("build arguments are visible
  in the docker history command")
- Amazon ECS Developer Guide, "Pass sensitive data to an Amazon ECS container":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): inject secrets
  through `secrets` "so plaintext never lands in the task definition"; the image is no better a
  place.
"""

from collections.abc import Iterator

from fglint.aws.secrets import secret_kind, secret_name
from fglint.model import DockerImage, DockerStage
from fglint.nodes import as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG609",
    name="secret-in-dockerfile",
    summary="Secret in a Dockerfile ENV value or ARG default",
    severity="error",
    tags=("security", "secrets", "dockerfile"),
    security_severity=8.0,
)

WHERE = {
    "ENV": "is baked into the image, where anyone who can pull it reads it with `docker "
    "inspect`; inject it at run time from Secrets Manager through the task definition's "
    "`secrets`",
    "ARG": "is committed with the Dockerfile and recorded in the image history; pass it as a "
    "build secret (`RUN --mount=type=secret`)",
}


def check(ctx: Context) -> Iterator[Violation]:
    for image in ctx.project.of(DockerImage):
        yield from written_secrets(image)
        final = image.final
        for stage in final.chain() if final else []:
            yield from build_arg_secrets(stage)


def written_secrets(image: DockerImage) -> Iterator[Violation]:
    for instruction in image.instructions():
        if instruction.keyword not in WHERE:
            continue
        for name_node, value_node in instruction.variables:
            name, value = as_str(name_node) or "", as_str(value_node)
            kind = secret_kind(name, value) if value is not None else None
            if kind is None or value_node is None:
                continue
            why = "by its name" if kind == "its name" else f"its value looks like {kind}"
            what = "value" if instruction.keyword == "ENV" else "default"
            yield Violation(
                value_node,
                f"{instruction.keyword} `{name}` has a secret as its {what} ({why}): it "
                f"{WHERE[instruction.keyword]}",
            )


def build_arg_secrets(stage: DockerStage) -> Iterator[Violation]:
    """`ARG NPM_TOKEN` (no default) followed by a RUN in the same stage."""
    declared = []
    for instruction in stage.instructions:
        if instruction.keyword == "ARG":
            declared += [
                name
                for name, value in instruction.variables
                if value is None and secret_name(as_str(name) or "")
            ]
        elif instruction.keyword == "RUN" and declared:
            for name in declared:
                yield Violation(
                    name,
                    f"ARG `{as_str(name)}` passes a secret as a build argument: every later RUN "
                    "records it in the image history (`docker history`); mount it as a build "
                    "secret instead (`RUN --mount=type=secret,id=...`)",
                )
            declared = []
