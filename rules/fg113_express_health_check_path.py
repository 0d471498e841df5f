"""## What it does
Checks the `healthCheckPath` of an ECS Express Mode service: it must start with `/` (an error),
and when it is not set the load balancer checks `/ping`, which is reported as a note so that the
default is a choice, not an accident. The note is not made for Terraform's
`aws_ecs_express_gateway_service`, whose provider documents a default of its own (`/`).

## Why is this bad?
Express Mode creates the Application Load Balancer and its target group health check from this
path. A path without the leading slash is rejected; an application that does not answer
`GET /ping` with HTTP 200 never becomes healthy, so every deployment of the service fails and
rolls back.

## Example
```json
{"serviceName": "checkout-web",
 "infrastructureRoleArn": "arn:aws:iam::111122223333:role/ecsInfrastructureRoleForExpressServices",
 "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
 "healthCheckPath": "health",
 "primaryContainer": {"image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:3.2.1",
                      "containerPort": 8080}}
```
Use instead:
```json
{"serviceName": "checkout-web",
 "infrastructureRoleArn": "arn:aws:iam::111122223333:role/ecsInfrastructureRoleForExpressServices",
 "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
 "healthCheckPath": "/health",
 "primaryContainer": {"image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:3.2.1",
                      "containerPort": 8080}}
```

## References
- Amazon ECS API Reference, CreateExpressGatewayService:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html
  ("If not specified, the default health check path is /ping. The health check path must start with
  a forward slash")
- AWS CloudFormation Template Reference, "AWS::ECS::ExpressGatewayService":
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-expressgatewayservice.html
- Terraform AWS provider, resource "aws_ecs_express_gateway_service":
  https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_express_gateway_service
"""

from collections.abc import Iterator

from fglint.model import ExpressService
from fglint.nodes import UnknownNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG113",
    name="express-health-check-path",
    summary="Express service health check path invalid, or left at the /ping default",
    severity="error",
    tags=("express", "health-check"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for express in ctx.project.of(ExpressService):
        node = express.node
        path = node.get("healthCheckPath")
        if path is None:
            if express.file.kind == "terraform":
                continue
            yield Violation(
                node.key_span("primaryContainer"),
                f"Express service `{express.name}` sets no healthCheckPath, so its load balancer "
                "checks GET /ping: the application must answer it with HTTP 200, or every "
                "deployment fails; set the path it serves",
                severity="note",
            )
            continue
        text = node.str("healthCheckPath")
        if isinstance(path, UnknownNode) or text is None or text.startswith("/"):
            continue
        yield Violation(
            path,
            f"Express service `{express.name}` health check path `{text}` does not start with "
            f"`/`: ECS rejects it; use `/{text}`",
        )
