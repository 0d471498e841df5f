"""## What it does
For a load-balanced service, compares the target group's deregistration delay D
(`deregistration_delay.timeout_seconds`, 300 s when unset) with the `stopTimeout` S of the
container the load balancer routes to (30 s when unset), and flags D > S. Reported at the target
group's delay (or at the target group when the delay is left at its default), with related
locations at the stopTimeout and at the service's `loadBalancers` entry. The service, task
definition and target group may sit in separate files: they are linked by reference, by task
family and by the name in the target group's ARN.

## Why is this bad?
When ECS stops a load-balanced task it first deregisters it and waits until the target group
reports it unused (up to D) before it sends SIGTERM, so a delay much longer than the application
needs holds every deploy and scale-in for up to D per task; AWS's guidance is to lower the 300 s
default for services with short requests. The Fargate production guide's enterprise scenario
kept the 300 s default against a 30 s `stopTimeout` and saw 502s on every deploy and scale-in;
its fix set the delay to 30 s and `stopTimeout` to 60 s. Its section 5 also asks for the delay to
be at least the app's drain time; AWS's documentation of the stop sequence (the draining page
below) is more precise, and fglint follows it: the load balancer has drained the task before
SIGTERM, and the Fargate production guide's own fix sets the delay below its ~45 s drain grace.

## Example
```json
{"Name": "auth-tg", "Protocol": "HTTP", "Port": 8080, "TargetType": "ip", "VpcId": "vpc-0abc"}
```
with a service routing to container `app` whose `stopTimeout` is unset (30 s).

Use instead (the Fargate production guide's fix: delay 30 s, stopTimeout 60 s):
```json
{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/auth-tg/6d0e",
 "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]}
```
```json
{"name": "app", "stopTimeout": 60}
```

## References
- User Guide for Application Load Balancers, "Edit target group attributes for your Application Load
  Balancer":
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
- Amazon ECS Developer Guide, "Optimize load balancer connection draining parameters for Amazon
  ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html
- Amazon ECS API Reference, ContainerDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-stopTimeout
- Fargate production guide, section 5 ("Graceful shutdown: SIGTERM, stopTimeout, and draining"):
  coordinate the deregistration delay ("default 300s, drop to ~30s for fast services"), the app's
  drain grace and `stopTimeout`; its enterprise scenario's fix: "deregistration delay to 30s,
  stopTimeout to 60s".
"""

import functools
from collections.abc import Iterator

from fglint.aws.services import (
    container_at,
    deregistration_delay,
    label,
    stop_timeout,
    target_groups_of,
    traffic_containers,
)
from fglint.model import Service, TargetGroup
from fglint.rule import Context, Fix, Related, Rule, Violation

RULE = Rule(
    code="FG305",
    name="deregistration-delay-exceeds-stop-timeout",
    summary="Target group deregistration delay is longer than the container's stopTimeout",
    severity="warning",
    tags=("lifecycle", "load-balancing", "reliability"),
    fix="unsafe",
)


def shorten(ctx: Context, group: TargetGroup, timeout: int) -> Fix | None:
    """The deregistration delay set to the stopTimeout."""
    return Fix.of(
        f"Set the deregistration delay to {timeout} s, the stopTimeout",
        ctx.edits.set(group.node, "DeregistrationDelay", timeout, model=True) or (),
        safe=False,
    )


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        for entry, container in traffic_containers(service):
            found = deregistration_delay(target_groups_of(service, entry))
            timeout, timeout_node = stop_timeout(container)
            if found is None or timeout is None:
                continue
            delay, delay_node, group = found
            if delay <= timeout:
                continue
            delay_text = f"{delay} s" + ("" if delay_node else " (the default)")
            timeout_text = f"{timeout} s" + ("" if timeout_node else " (the default)")
            yield Violation(
                delay_node or group.node,
                f"{label(group, True)} has a deregistration delay of {delay_text}, "
                f"longer than container `{container.name}`'s stopTimeout of {timeout_text}: "
                "the shutdown timers do not nest, and every deploy and scale-in can wait up to "
                f"{delay} s per task for the load balancer to drain it; set "
                f"deregistration_delay.timeout_seconds to at most {timeout} s "
                "(the Fargate production guide's fix: 30 s with stopTimeout 60 s)",
                fix=functools.partial(shorten, ctx, group, timeout),
                related=(
                    Related(
                        timeout_node or container_at(container),
                        f"container `{container.name}`'s stopTimeout "
                        + ("is set here" if timeout_node else "is unset (30 s)"),
                    ),
                    Related(
                        entry.get("targetGroupArn") or entry,
                        f"{label(service)} routes to the target group here",
                    ),
                ),
            )
