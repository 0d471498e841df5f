"""## What it does
Flags a FireLens log router (`firelensConfiguration`) in a Fargate task that loads its custom
Fluent Bit / Fluentd configuration from S3 (`"config-file-type": "s3"`). Fargate supports only
`file`: a configuration file inside the log router's image.

## Why is this bad?
AWS supports only `file` on Fargate. An `s3` configuration is not loaded there, so the filters
and outputs it defines do not run, and the logs they were meant to route are lost.

## Example
```json
{"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "cpu": "512", "memory": "1024",
 "containerDefinitions": [
  {"name": "log_router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
   "essential": true,
   "firelensConfiguration": {"type": "fluentbit", "options": {
     "config-file-type": "s3",
     "config-file-value": "arn:aws:s3:::example-config/fluent-bit.conf"}}}]}
```
Use instead: build the configuration into the router's image (or use the
`aws-for-fluent-bit` init image, which downloads S3 files at start) and point to the file:
```json
{"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "cpu": "512", "memory": "1024",
 "containerDefinitions": [
  {"name": "log_router",
   "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/fluent-bit-custom:1.2.0",
   "essential": true,
   "firelensConfiguration": {"type": "fluentbit", "options": {
     "config-file-type": "file", "config-file-value": "/extra.conf"}}}]}
```

## References
- Amazon ECS API Reference, FirelensConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FirelensConfiguration.html ("Tasks
  hosted on AWS Fargate only support the file configuration file type")
- Amazon ECS Developer Guide, "Example Amazon ECS task definition: Route logs to FireLens":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html
- aws/aws-for-fluent-bit, use case "init-process-for-fluent-bit":
  https://github.com/aws/aws-for-fluent-bit/tree/mainline/use_cases/init-process-for-fluent-bit
"""

from collections.abc import Iterator

from fglint.model import TaskDefinition
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG508",
    name="firelens-s3-config-on-fargate",
    summary="FireLens configuration file loaded from S3 in a Fargate task",
    severity="error",
    tags=("fargate", "logging"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.of(TaskDefinition):
        if not task.fargate:
            continue
        for container in task.containers:
            firelens = container.node.obj("firelensConfiguration")
            options = firelens.obj("options") if firelens else None
            kind = options.get("config-file-type") if options else None
            if kind is None or options is None or options.str("config-file-type") != "s3":
                continue
            yield Violation(
                kind,
                f"Log router `{container.name}` loads its FireLens configuration from S3, which "
                "Fargate does not support (only `file`): build the file into the router image, "
                "or use the aws-for-fluent-bit init image to fetch it at start",
            )
