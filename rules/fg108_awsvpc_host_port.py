"""## What it does
Flags a port mapping whose `hostPort` differs from its `containerPort` in a task that uses the
`awsvpc` network mode (every Fargate task does). Leave `hostPort` out, or set it equal to the
container port. ECS enforces this on every launch type, so the rule checks every `awsvpc` task.

## Why is this bad?
With `awsvpc` each task has its own network interface, and the container port is exposed on it
as is: there is no host port to remap to, and no dynamic port (`0`). ECS rejects a mapping that
tries, at registration.

## Example
```json
{"networkMode": "awsvpc", "containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "portMappings": [{"containerPort": 8080, "hostPort": 80}]}]}
```
Use instead (put the port translation in the load balancer's listener):
```json
{"networkMode": "awsvpc", "containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "portMappings": [{"containerPort": 8080}]}]}
```

## References
- Amazon ECS API Reference, PortMapping:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  each task has its own network interface and private IP, "not a process sharing the host's IP"; its
  port mappings set only `containerPort`.
"""

from collections.abc import Iterator

from fglint.rule import Context, Fix, Related, Rule, Violation

RULE = Rule(
    code="FG108",
    name="awsvpc-host-port",
    summary="awsvpc port mapping whose hostPort differs from containerPort",
    severity="error",
    tags=("networking", "fargate"),
    fix="safe",
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        if container.task.network_mode != "awsvpc":
            continue
        for mapping in container.node.objects("portMappings"):
            host_node = mapping.get("hostPort")
            host, port = mapping.int("hostPort"), mapping.int("containerPort")
            if host_node is None or host is None or port is None or host == port:
                continue
            yield Violation(
                host_node,
                f"hostPort {host} differs from containerPort {port} (container "
                f"`{container.name}`); with awsvpc leave hostPort out or set it to {port}",
                (Related(mapping.get("containerPort") or mapping, "the container port is here"),),
                fix=Fix.of(f"Set hostPort to {port}", [ctx.edits.replace(host_node, port)]),
            )
