"""## What it does
Flags a deployment circuit breaker turned on (`enable` or `rollback` true) on a service whose
deployment controller is not ECS (`CODE_DEPLOY` or `EXTERNAL`).

## Why is this bad?
The circuit breaker works only with the ECS rolling-update controller. On a CodeDeploy or
external controller ECS rejects or ignores it: the protection it promises does not exist, and
Terraform shows a permanent diff because the API never stores it. A blue/green deployment rolls
back through CodeDeploy's own settings (`auto_rollback_configuration`, alarms) instead.

## Example
```json
{"serviceName": "checkout-api", "deploymentController": {"type": "CODE_DEPLOY"},
 "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}
```
Use instead: drop the circuit breaker and configure rollback in the CodeDeploy deployment group,
or switch the service to the ECS controller.

## References
- Amazon ECS API Reference, DeploymentCircuitBreaker:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html
- Fargate production guide, section 4 ("Deployments: rolling updates and the circuit breaker"): the
  circuit breaker belongs to rolling deployments, and CodeDeploy-driven blue/green is a separate
  kind. That a breaker on another deployment controller is rejected comes from AWS's API reference
  above (it does not say).
"""

from collections.abc import Iterator

from fglint.aws.services import controller_type, label
from fglint.model import Service
from fglint.nodes import ObjectNode
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG803",
    name="circuit-breaker-controller",
    summary="Deployment circuit breaker on a service whose controller is not ECS",
    severity="error",
    tags=("deployment", "correctness"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        controller = controller_type(service)
        if controller is None or controller == "ECS":
            continue
        config = service.node.obj("deploymentConfiguration")
        breaker = config.obj("deploymentCircuitBreaker") if config is not None else None
        if breaker is None:
            continue
        on = [key for key in ("enable", "rollback") if breaker.bool(key) is True]
        if not on:
            continue
        type_node = service.node.get("deploymentController")
        if isinstance(type_node, ObjectNode):
            type_node = type_node.get("type") or type_node
        yield Violation(
            breaker.get(on[0]) or breaker,
            f"{label(service, capital=True)} uses the `{controller}` deployment controller, but "
            "the deployment circuit breaker works only with the ECS rolling-update controller: it "
            "does not protect this service; configure rollback in the deployment tool instead",
            related(type_node, "the deployment controller is set here"),
        )
