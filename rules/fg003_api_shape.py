"""## What it does
Checks JSON written for the AWS API (a `register-task-definition` or `create-service` input, a
describe output, a bare container-definitions array, a scaling policy, a target group...)
against the API's own shape: unknown keys (with the nearest valid key), wrong types, values
outside an enum (`"protocol": "TCP"`, `"logDriver": "awslog"`), missing required keys and the
API's length and range limits. The schemas are generated from the AWS API models that botocore
ships. Terraform and CloudFormation resources are not checked here: their tools convert types.
In every format, a container `image` written as a reference that is not a valid one (`nginx:`,
`app@sha256:abc`) is an error at the value; a value that is no reference at all
(`CONTAINER-IMAGE-PLACEHOLDER`, `${IMAGE}`) is a placeholder and is left alone.

Keys set to `null` are one warning per object, listing them (the common deploy path strips
them; the CLI does not). A describe-task-definition output is checked as the deploy tools that
register it again read it: its read-only keys (`revision`, `status`...) are accepted, and so are
`tags`. A file whose only service keys are `cluster` and `service` is a deploy tool's own
settings (ecspresso's config), not an update-service input, and is not checked.

## Why is this bad?
The AWS CLI and the API reject the whole request: `Unknown parameter in
containerDefinitions[0]: "memoryReservations"`, `Invalid type for parameter cpu, value: 256`,
`Member must satisfy enum value set: [tcp, udp]`. The deploy stops at registration, often in a
pipeline long after the change was reviewed. A misspelt optional key is worse where a tool
ignores it: the setting silently does not exist. A malformed image reference registers, and
then every task launch fails with `CannotPullContainerError: invalid reference format`.

## Example
```json
{"family": "web", "cpu": 256, "containerDefinitions": [{"name": "web", "image": "web:1.4",
  "memoryReservations": 512, "portMappings": [{"containerPort": 8080, "protocol": "TCP"}]}]}
```
Use instead (`cpu` is a string; the key is `memoryReservation`; protocols are lower case):
```json
{"family": "web", "cpu": "256", "containerDefinitions": [{"name": "web", "image": "web:1.4",
  "memoryReservation": 512, "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]}]}
```

## References
- distribution/reference, `regexp.go`: https://github.com/distribution/reference/blob/main/regexp.go
  (the image reference grammar)
- Amazon ECS API Reference, RegisterTaskDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
- Amazon ECS API Reference, ContainerDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
- AWS CLI User Guide, "AWS CLI skeletons and input files":
  https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html
- aws-actions/amazon-ecs-deploy-task-definition, `index.js`:
  https://github.com/aws-actions/amazon-ecs-deploy-task-definition/blob/master/index.js
  (`cleanNullKeys`: null, empty strings, lists and objects are dropped before registering;
  `removeIgnoredAttributes`: the describe output's read-only keys are dropped, the rest, `tags`
  included, is registered)
"""

from collections.abc import Iterator

from fglint.aws.images import image_problem
from fglint.nodes import as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG003",
    name="api-shape-mismatch",
    summary="Value does not match the AWS API shape",
    severity="error",
    tags=("schema",),
)


def check(ctx: Context) -> Iterator[Violation]:
    yield from _images(ctx)
    shaped = [resource for resource in ctx.project.resources if resource.shape]
    if not shaped:
        return
    from fglint.aws import apishape

    for resource in shaped:
        if apishape.has_schema(resource.shape):
            text = resource.file.line
            for issue in apishape.check(resource.node, resource.shape, text):
                yield Violation(issue.where, issue.message, severity=issue.severity)


def _images(ctx: Context) -> Iterator[Violation]:
    """An image written as a reference that is not a valid one, in every format."""
    for container in ctx.project.containers():
        node = container.node.get("image")
        text = as_str(node)
        problem = image_problem(text) if text is not None else None
        if node is not None and problem:
            yield Violation(
                node,
                f"Image `{text}` is not a valid image reference: {problem}; ECS accepts it at "
                "registration, then every task launch fails to pull it",
            )
