"""## What it does
Flags a load-balanced service that sets no `healthCheckGracePeriodSeconds` (or sets 0), or sets
one shorter than the longest health-check `startPeriod` of its task's essential containers. Notes
a grace period on a service it cannot affect: one with no load balancer, no VPC Lattice
configuration and no container health checks in its task definition.

## Why is this bad?
Without a grace period ECS counts load balancer health-check failures from the moment a task
starts. An application that needs longer to boot than the target group's health checks allow is
marked unhealthy and replaced before it is ready, and a deployment can loop on it. A container's
`startPeriod` says how long the application needs to boot; the grace period should cover it.
The Fargate production guide (section 4): "Set it slightly above your real cold-start time."

## Example
```json
{"serviceName": "checkout-api", "taskDefinition": "checkout-api",
 "loadBalancers": [{"targetGroupArn": "arn:aws:...:targetgroup/checkout-tg/6d0e",
                    "containerName": "app", "containerPort": 8080}]}
```
Use instead:
```json
{"serviceName": "checkout-api", "taskDefinition": "checkout-api",
 "loadBalancers": [{"targetGroupArn": "arn:aws:...:targetgroup/checkout-tg/6d0e",
                    "containerName": "app", "containerPort": 8080}],
 "healthCheckGracePeriodSeconds": 60}
```

## References
- Amazon ECS API Reference, CreateService:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-healthCheckGracePeriodSeconds
- Fargate production guide, section 4 ("Deployments: rolling updates and the circuit breaker"): the
  grace period "tells ECS to ignore ALB health check failures for the first N seconds after a task
  starts, so a slow-booting app is not killed before it is ready".
"""

import functools
from collections.abc import Iterator

from fglint.aws.services import containers_known, label, load_balanced, partial
from fglint.model import Service, TaskDefinition
from fglint.nodes import Node, as_int
from fglint.rule import Context, Fix, Related, Rule, Violation

RULE = Rule(
    code="FG306",
    name="health-check-grace-period-short",
    summary="Load-balanced service without a health check grace period covering startup",
    severity="warning",
    tags=("deployment", "load-balancing", "reliability"),
    fix="unsafe",
)


def grace_fix(ctx: Context, service: Service, start: tuple[int, Node, str] | None) -> Fix | None:
    """The grace period set to the longest startPeriod (a value chosen for the user: unsafe)."""
    if start is None:
        return None
    edits = ctx.edits.set(service.node, "healthCheckGracePeriodSeconds", start[0])
    return Fix.of(f"Set healthCheckGracePeriodSeconds to {start[0]}", edits or (), safe=False)


def start_period(task: TaskDefinition | None) -> tuple[int, Node, str] | None:
    """The longest known health-check startPeriod of an essential container."""
    found: tuple[int, Node, str] | None = None
    for container in task.containers if task else []:
        check = container.node.obj("healthCheck")
        node = check.get("startPeriod") if check and container.essential else None
        value = as_int(node)
        if node is not None and value is not None and (found is None or value > found[0]):
            found = (value, node, container.name)
    return found


def has_health_checks(task: TaskDefinition | None) -> bool | None:
    if task is None or not containers_known(task):
        return None
    return any("healthCheck" in container.node for container in task.containers)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        balanced = load_balanced(service)
        node = service.node.get("healthCheckGracePeriodSeconds")
        grace = as_int(node)
        start = start_period(service.task_definition)
        missing = (node is None and not partial(service)) or grace == 0
        if balanced and missing:
            needs = f" (container `{start[2]}` has a startPeriod of {start[0]} s)" if start else ""
            set_to = "no" if node is None else "0 as its"
            yield Violation(
                node or service.node,
                f"{label(service, True)} is load balanced but sets {set_to} "
                f"healthCheckGracePeriodSeconds{needs}: ECS counts failed load balancer health "
                "checks from the moment a task starts and replaces tasks that are still booting; "
                "set healthCheckGracePeriodSeconds slightly above the application's cold-start "
                "time",
                related=(Related(start[1], "the container's startPeriod"),) if start else (),
                fix=functools.partial(grace_fix, ctx, service, start),
            )
        elif balanced and grace is not None and start is not None and grace < start[0]:
            yield Violation(
                node or service.node,
                f"{label(service, True)} has a health check grace period of {grace} s, shorter "
                f"than container `{start[2]}`'s health-check startPeriod of {start[0]} s: load "
                "balancer health checks count before the application has booted; raise "
                f"healthCheckGracePeriodSeconds to at least {start[0]} s",
                related=(Related(start[1], "the container's startPeriod is set here"),),
                fix=functools.partial(grace_fix, ctx, service, start),
            )
        elif balanced is False and grace and _no_effect(service):
            yield Violation(
                node or service.node,
                f"{label(service, True)} sets healthCheckGracePeriodSeconds but has no load "
                "balancer, VPC Lattice configuration or container health check: the grace period "
                "has no effect; remove it or add the health check it should cover",
                severity="note",
            )


def _no_effect(service: Service) -> bool:
    lattice = service.node.get("vpcLatticeConfigurations")
    return lattice is None and has_health_checks(service.task_definition) is False
