"""ECS Express Mode in the model: what ECS creates from a `CreateExpressGatewayService` input.

An Express service becomes a Fargate task definition (one essential container named `Main`,
awsvpc, the task size and roles as given), a FARGATE
service in the given subnets and security groups, and, with a `scalingTarget`, an ECS scalable
target. Every value is the input's own node, so findings point at what the user wrote. What
Express manages itself (the load balancer and its health check, deployments, security groups and
subnets it chooses when none are given, the log region and mode, a task size left to its default)
is an unknown value: rules stay silent
on it, as on any value fglint cannot know. A service that names its own `taskDefinitionArn` gets
no generated task definition; the linker joins it to that task definition like any service.
"""

from __future__ import annotations

from fglint.model import ExpressService, Project, ScalableTarget, Service, TaskDefinition
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span, UnknownNode

MANAGED = "managed by ECS Express Mode"


def _object(span: Span, fields: dict[str, Node | None]) -> ObjectNode:
    kept = {key: value for key, value in fields.items() if value is not None}
    return ObjectNode(span, kept, {key: value.span for key, value in kept.items()})


def _text(span: Span, value: str) -> ScalarNode:
    return ScalarNode(span, value)


def _managed(span: Span) -> UnknownNode:
    return UnknownNode(span, MANAGED)


def container(express: ObjectNode) -> ObjectNode:
    """The `Main` container of the generated task definition."""
    primary = express.obj("primaryContainer") or ObjectNode(express.span)
    span = primary.span
    port = primary.get("containerPort") or ScalarNode(span, 80)
    logs = primary.obj("awsLogsConfiguration")
    log_configuration: Node = _managed(span)
    if logs is not None:
        options = _object(
            logs.span,
            {
                "awslogs-group": logs.get("logGroup"),
                "awslogs-stream-prefix": logs.get("logStreamPrefix"),
                "awslogs-region": _managed(logs.span),
                "mode": _managed(logs.span),
            },
        )
        log_configuration = _object(
            logs.span, {"logDriver": _text(logs.span, "awslogs"), "options": options}
        )
    node = _object(
        span,
        {
            "name": _text(span, "Main"),
            "image": primary.get("image"),
            "essential": ScalarNode(span, True),
            "command": primary.get("command"),
            "environment": primary.get("environment"),
            "secrets": primary.get("secrets"),
            "repositoryCredentials": primary.get("repositoryCredentials"),
            "portMappings": ListNode(port.span, [_object(port.span, {"containerPort": port})]),
            "logConfiguration": log_configuration,
            "healthCheck": _managed(span),  # the load balancer checks healthCheckPath
            "readonlyRootFilesystem": _managed(span),
        },
    )
    node.keys.update({k: primary.key_span(k) for k in primary.fields if k in node.fields})
    return node


def task_definition(express: ExpressService) -> TaskDefinition:
    node, span = express.node, express.node.span
    architecture = node.get("cpuArchitecture")
    fields: dict[str, Node | None] = {
        "requiresCompatibilities": ListNode(span, [_text(span, "FARGATE")]),
        "networkMode": _text(span, "awsvpc"),
        # unset: Express's default, which its API (256/512) and the Terraform provider
        # (1024 cpu) document differently
        "cpu": node.get("cpu") or _managed(span),
        "memory": node.get("memory") or _managed(span),
        "executionRoleArn": node.get("executionRoleArn"),
        "taskRoleArn": node.get("taskRoleArn"),
        "containerDefinitions": ListNode(span, [container(node)]),
    }
    fields["runtimePlatform"] = _managed(span)  # X86_64 unless the input says (not in every format)
    if architecture is not None:
        platform = {"cpuArchitecture": architecture, "operatingSystemFamily": _text(span, "LINUX")}
        fields["runtimePlatform"] = _object(architecture.span, platform)  # type: ignore[arg-type]
    task_node = _object(span, fields)
    task_node.keys.update({k: node.key_span(k) for k in node.fields if k in task_node.fields})
    return TaskDefinition.build(task_node, express.file, name=f"{express.name} (Express)")


def service(express: ExpressService) -> Service:
    node, span = express.node, express.node.span
    network = node.obj("networkConfiguration")
    if network is None:  # the default VPC, chosen by ECS
        vpc: Node = node.get("networkConfiguration") or _managed(span)
    else:
        given = {k: network.get(k) for k in ("subnets", "securityGroups")}
        given["securityGroups"] = given["securityGroups"] or _managed(network.span)
        given["assignPublicIp"] = _managed(network.span)
        vpc = _object(network.span, {"awsvpcConfiguration": _object(network.span, given)})
    fields: dict[str, Node | None] = {
        "serviceName": node.get("serviceName"),
        "cluster": node.get("cluster"),
        "taskDefinition": node.get("taskDefinitionArn"),
        "launchType": _text(span, "FARGATE"),
        "networkConfiguration": vpc,
    }
    for key in ("desiredCount", "loadBalancers", "deploymentConfiguration"):
        fields[key] = _managed(span)
    fields["healthCheckGracePeriodSeconds"] = _managed(span)
    service_node = _object(span, fields)
    service_node.keys.update({k: node.key_span(k) for k in node.fields if k in service_node.fields})
    return Service(service_node, express.file, name=express.name)


def scalable_target(express: ExpressService, owner: Service) -> ScalableTarget | None:
    scaling = express.node.obj("scalingTarget")
    if scaling is None:
        return None
    span = scaling.span
    fields: dict[str, Node | None] = {
        "ServiceNamespace": _text(span, "ecs"),
        "ScalableDimension": _text(span, "ecs:service:DesiredCount"),
        "ResourceId": _managed(span),
        "MinCapacity": scaling.get("minTaskCount"),
        "MaxCapacity": scaling.get("maxTaskCount"),
    }
    target = ScalableTarget(_object(span, fields), express.file, name=express.name)
    for key, given in (("MinCapacity", "minTaskCount"), ("MaxCapacity", "maxTaskCount")):
        if given in scaling:
            target.node.keys[key] = scaling.key_span(given)
    target.service = owner
    owner.scalable_targets.append(target)
    return target


def expand(project: Project) -> None:
    """Add what each Express service creates to the project, once."""
    for express in list(project.of(ExpressService)):
        if express.expanded:
            continue
        express.expanded = True
        express.service = service(express)
        project.add(express.service)
        if "taskDefinitionArn" not in express.node:
            task = task_definition(express)
            express.task_definition = task
            express.service.task_definition = task
            task.services.append(express.service)
            project.add(task)
        express.scalable_target = scalable_target(express, express.service)
        if express.scalable_target is not None:
            project.add(express.scalable_target)
