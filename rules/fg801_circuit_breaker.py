"""## What it does
Flags a service that deploys with the ECS rolling-update controller (the default) without a
deployment circuit breaker that rolls back: `deploymentConfiguration.deploymentCircuitBreaker`
absent, `enable` false, or `rollback` false. An update-service input that does not mention the
circuit breaker leaves it unchanged and is not flagged.

## Why is this bad?
Without the circuit breaker, a task definition whose tasks never become healthy (a bad image, a
missing secret, a failing health check) leaves the service replacing failing tasks indefinitely,
draining the subnet's IPs and paging someone. With it and `rollback` on, ECS marks the deployment
failed and returns to the last deployment that completed. The Fargate production guide (section 4,
"Verify") adds: a circuit breaker you have never seen fire is a configuration you do not actually
have, so test it.

## Example
```json
{"serviceName": "checkout-api", "desiredCount": 4,
 "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200}}
```
Use instead:
```json
{"serviceName": "checkout-api", "desiredCount": 4,
 "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200,
   "deploymentCircuitBreaker": {"enable": true, "rollback": true}}}
```

## References
- Amazon ECS Developer Guide, "How the Amazon ECS deployment circuit breaker detects failures":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
- Fargate production guide, section 4 ("Deployments: rolling updates and the circuit breaker"):
  without the circuit breaker "a bad image that never passes health checks leaves the service stuck
  replacing failing tasks indefinitely"; with rollback on, ECS "automatically reverts to the last
  known-good task definition".
"""

import functools
from collections.abc import Iterator

from fglint.aws.scaling import rolling
from fglint.aws.services import label, partial
from fglint.model import Service
from fglint.nodes import ObjectNode
from fglint.rule import Context, Fix, Rule, Violation, Where

RULE = Rule(
    code="FG801",
    name="no-circuit-breaker-rollback",
    summary="Rolling deployment without a circuit breaker that rolls back",
    severity="warning",
    tags=("deployment", "reliability"),
    fix="safe",
)

ON = {"enable": True, "rollback": True}


def missing_at(service: Service) -> Where:
    if "deploymentConfiguration" in service.node:
        return service.node.key_span("deploymentConfiguration")
    return service.node  # the engine points at the service's anchor: its header or name


def turn_on(ctx: Context, service: Service, breaker: ObjectNode | None) -> Fix | None:
    """`enable` and `rollback` true, in the breaker if it is written, else a new one."""
    if breaker is None:
        edits = ctx.edits.set(service.node, "deploymentConfiguration.deploymentCircuitBreaker", ON)
    else:
        edits = ctx.edits.update(breaker, ON)
    return Fix.of("Turn on the deployment circuit breaker with rollback", edits or ())


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        if not rolling(service):
            continue
        config = service.node.get("deploymentConfiguration")
        if config is not None and not isinstance(config, ObjectNode):
            continue
        breaker = config.get("deploymentCircuitBreaker") if config is not None else None
        if breaker is None:
            if partial(service):
                continue
            yield Violation(
                missing_at(service),
                f"{label(service, capital=True)} has no deployment circuit breaker: a deployment "
                "whose tasks never become healthy keeps replacing them indefinitely; set "
                '`deploymentCircuitBreaker` to `{"enable": true, "rollback": true}`',
                fix=functools.partial(turn_on, ctx, service, None),
            )
            continue
        if not isinstance(breaker, ObjectNode):
            continue
        enable = breaker.bool("enable")
        if enable is False:
            yield Violation(
                breaker.get("enable") or breaker,
                f"The deployment circuit breaker of {label(service)} is disabled: a "
                "failing deployment keeps replacing tasks indefinitely; set `enable` and "
                "`rollback` to true",
                fix=functools.partial(turn_on, ctx, service, breaker),
            )
        elif enable is True and breaker.bool("rollback") in (None, False):
            if breaker.get("rollback") is not None and breaker.bool("rollback") is None:
                continue
            yield Violation(
                breaker.get("rollback") or breaker,
                f"The deployment circuit breaker of {label(service)} does not roll "
                "back: a failed deployment stops, but the service stays on the broken task "
                "definition; set `rollback` to true",
                fix=functools.partial(turn_on, ctx, service, breaker),
            )
