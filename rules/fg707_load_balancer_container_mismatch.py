"""## What it does
Checks each `loadBalancers` entry of a service against the linked task definition: the
`containerName` must be one of its containers, and the `containerPort` one of that container's
`portMappings`. Silent when the task definition is not loaded or its containers are not all
written out.

## Why is this bad?
ECS rejects the service (or the update) when the load balancer names a container or port the task
definition does not define, so the deploy fails; a typo here is found only at deploy time.

## Example
```json
{"loadBalancers": [{"targetGroupArn": "arn:aws:...:targetgroup/checkout-tg/6d0e",
                    "containerName": "web", "containerPort": 80}]}
```
with a task definition whose only container is `app` on port 8080.

Use instead:
```json
{"loadBalancers": [{"targetGroupArn": "arn:aws:...:targetgroup/checkout-tg/6d0e",
                    "containerName": "app", "containerPort": 8080}]}
```

## References
- Amazon ECS API Reference, LoadBalancer:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html
- Amazon ECS Developer Guide, "Use load balancing to distribute Amazon ECS service traffic":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html
"""

from collections.abc import Iterator

from fglint.aws.services import container_named, containers_known, label, load_balancers
from fglint.model import Container, Service, TaskDefinition
from fglint.nodes import ListNode, ObjectNode, as_int, as_str
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG707",
    name="load-balancer-container-mismatch",
    summary="Load balancer names a container or port the task definition does not have",
    severity="error",
    tags=("load-balancing", "correctness"),
)


def container_ports(container: Container) -> set[int] | None:
    """The container's mapped ports; None when any of them is unknown or a port range."""
    node = container.node.get("portMappings")
    if node is None:
        return set()
    if not isinstance(node, ListNode):
        return None
    ports = set()
    for mapping in node.items:
        port = as_int(mapping.get("containerPort")) if isinstance(mapping, ObjectNode) else None
        if port is None:
            return None
        ports.add(port)
    return ports


def _names(task: TaskDefinition) -> str:
    return ", ".join(f"`{c.name}`" for c in task.containers)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        task = service.task_definition
        if task is None or not containers_known(task):
            continue
        for entry in load_balancers(service) or []:
            name_node = entry.get("containerName")
            name = as_str(name_node)
            container = container_named(task, name_node)
            if name_node is not None and name and container is None:
                yield Violation(
                    name_node,
                    f"{label(service, True)} routes load balancer traffic to container "
                    f"`{name}`, but task definition `{task.name}` has no such container "
                    f"(it has {_names(task)}): ECS rejects the service; name one of them",
                    related=(
                        Related(
                            task.node.key_span("containerDefinitions"),
                            f"task definition `{task.name}`'s containers are defined here",
                        ),
                    ),
                )
                continue
            port_node = entry.get("containerPort")
            port = as_int(port_node)
            if container is None or port_node is None or port is None:
                continue
            ports = container_ports(container)
            if ports is None or port in ports:
                continue
            have = ", ".join(map(str, sorted(ports))) if ports else "no port mappings"
            yield Violation(
                port_node,
                f"{label(service, True)} routes load balancer traffic to port {port} of "
                f"container `{container.name}`, which maps {have}: ECS rejects the service; "
                "use a mapped containerPort or add the port mapping",
                related=(
                    Related(
                        container.node.get("portMappings")
                        or container.node.get("name")
                        or task.node,
                        f"container `{container.name}`'s port mappings",
                    ),
                ),
            )
