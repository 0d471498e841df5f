"""## What it does
Flags an ECS Express Mode service that names its own task definition (`taskDefinitionArn`) and
also sets what that task definition already decides: `primaryContainer`, `executionRoleArn`,
`taskRoleArn`, `cpu`, `memory` or `cpuArchitecture`. Only the API input (JSON) can name a task
definition: `AWS::ECS::ExpressGatewayService` and `aws_ecs_express_gateway_service` have no such
property.

## Why is this bad?
ECS rejects the request: with a task definition of your own, the container, roles and task size
come from it, and Express does not merge the two. Which settings win is not a question the API
lets you ask.

## Example
```json
{"serviceName": "checkout-web",
 "infrastructureRoleArn": "arn:aws:iam::111122223333:role/ecsInfrastructureRoleForExpressServices",
 "taskDefinitionArn": "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-web:7",
 "cpu": "1024", "memory": "2048"}
```
Use instead: set the task size in the task definition, and only the service settings here:
```json
{"serviceName": "checkout-web",
 "infrastructureRoleArn": "arn:aws:iam::111122223333:role/ecsInfrastructureRoleForExpressServices",
 "taskDefinitionArn": "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-web:7",
 "healthCheckPath": "/health"}
```

## References
- Amazon ECS API Reference, CreateExpressGatewayService:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html
  (`taskDefinitionArn`: "you cannot also specify primaryContainer, executionRoleArn, taskRoleArn,
  cpu, memory, or cpuArchitecture"; the task definition needs a container named `Main` and FARGATE
  compatibility)
- AWS CloudFormation Template Reference, "AWS::ECS::ExpressGatewayService":
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-expressgatewayservice.html
  (its properties: no task definition ARN)
"""

from collections.abc import Iterator

from fglint.model import ExpressService
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG114",
    name="express-task-definition-conflict",
    summary="Express service sets both taskDefinitionArn and what the task definition decides",
    severity="error",
    tags=("express",),
)

EXCLUSIVE = (
    "primaryContainer",
    "executionRoleArn",
    "taskRoleArn",
    "cpu",
    "memory",
    "cpuArchitecture",
)


def check(ctx: Context) -> Iterator[Violation]:
    for express in ctx.project.of(ExpressService):
        node = express.node
        arn = node.get("taskDefinitionArn")
        if arn is None:
            continue
        for key in EXCLUSIVE:
            if key in node:
                yield Violation(
                    node.key_span(key),
                    f"Express service `{express.name}` sets `{key}` and a taskDefinitionArn: ECS "
                    f"rejects the request; set `{key}` in the task definition instead",
                    (Related(arn, "the task definition is named here"),),
                )
