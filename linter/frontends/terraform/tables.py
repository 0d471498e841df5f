"""Terraform resources mapped into the model, by tables.

Each table maps a Terraform argument (snake_case) to the key of the AWS API shape the model
uses. A string is a plain rename (dotted for a nested key: `networkConfiguration.subnets`);
`Json` marks an argument that holds a JSON document; `Convert` changes the value's form
(`true` -> `"ENABLED"`); `Nested` maps a nested block (`many` for repeated blocks, an empty key
merges the block's arguments into the parent). Arguments a table does not name are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fglint.frontends.terraform.module import Scoped
from fglint.frontends.terraform.syntax import Body
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span, UnknownNode


@dataclass(frozen=True)
class Json:
    key: str


@dataclass(frozen=True)
class Convert:
    key: str
    convert: Callable[[Node], Node]


@dataclass(frozen=True)
class Nested:
    key: str
    fields: Table
    many: bool = False


Field = str | Json | Convert | Nested
Table = dict[str, Field]


def enabled(node: Node) -> Node:
    """Terraform's `assign_public_ip = true` is the API's `"ENABLED"`."""
    if isinstance(node, ScalarNode) and isinstance(node.value, bool):
        return ScalarNode(node.span, "ENABLED" if node.value else "DISABLED", via=node.via)
    return node


def wrap(key: str) -> Callable[[Node], Node]:
    """A list of strings as a list of one-key objects (`cidr_blocks` -> `IpRanges[].CidrIp`)."""

    def convert(node: Node) -> Node:
        if not isinstance(node, ListNode):
            return node
        items: list[Node] = [ObjectNode(i.span, {key: i}, {key: i.span}) for i in node.items]
        return ListNode(node.span, items)

    return convert


def listed(node: Node) -> Node:
    """A single value as a one-item list (`source_security_group_id` -> `UserIdGroupPairs`)."""
    return node if isinstance(node, ListNode) else ListNode(node.span, [node])


def group_ids(node: Node) -> Node:
    return wrap("GroupId")(listed(node))


STRATEGY: Table = {"capacity_provider": "capacityProvider", "base": "base", "weight": "weight"}

VOLUME: Table = {
    "name": "name",
    "host_path": "host.sourcePath",
    "configure_at_launch": "configuredAtLaunch",
    "docker_volume_configuration": Nested(
        "dockerVolumeConfiguration",
        {
            "scope": "scope",
            "autoprovision": "autoprovision",
            "driver": "driver",
            "driver_opts": "driverOpts",
            "labels": "labels",
        },
    ),
    "efs_volume_configuration": Nested(
        "efsVolumeConfiguration",
        {
            "file_system_id": "fileSystemId",
            "root_directory": "rootDirectory",
            "transit_encryption": "transitEncryption",
            "transit_encryption_port": "transitEncryptionPort",
            "authorization_config": Nested(
                "authorizationConfig", {"access_point_id": "accessPointId", "iam": "iam"}
            ),
        },
    ),
    "fsx_windows_file_server_volume_configuration": Nested(
        "fsxWindowsFileServerVolumeConfiguration",
        {"file_system_id": "fileSystemId", "root_directory": "rootDirectory"},
    ),
}

TASK_DEFINITION: Table = {
    "family": "family",
    "cpu": "cpu",
    "memory": "memory",
    "network_mode": "networkMode",
    "requires_compatibilities": "requiresCompatibilities",
    "execution_role_arn": "executionRoleArn",
    "task_role_arn": "taskRoleArn",
    "pid_mode": "pidMode",
    "ipc_mode": "ipcMode",
    "container_definitions": Json("containerDefinitions"),
    "runtime_platform": Nested(
        "runtimePlatform",
        {"operating_system_family": "operatingSystemFamily", "cpu_architecture": "cpuArchitecture"},
    ),
    "ephemeral_storage": Nested("ephemeralStorage", {"size_in_gib": "sizeInGiB"}),
    "volume": Nested("volumes", VOLUME, many=True),
    "placement_constraints": Nested(
        "placementConstraints", {"type": "type", "expression": "expression"}, many=True
    ),
    "proxy_configuration": Nested(
        "proxyConfiguration", {"type": "type", "container_name": "containerName"}
    ),
}

SERVICE: Table = {
    "name": "serviceName",
    "cluster": "cluster",
    "task_definition": "taskDefinition",
    "desired_count": "desiredCount",
    "launch_type": "launchType",
    "platform_version": "platformVersion",
    "scheduling_strategy": "schedulingStrategy",
    "enable_execute_command": "enableExecuteCommand",
    "health_check_grace_period_seconds": "healthCheckGracePeriodSeconds",
    "propagate_tags": "propagateTags",
    "deployment_minimum_healthy_percent": "deploymentConfiguration.minimumHealthyPercent",
    "deployment_maximum_percent": "deploymentConfiguration.maximumPercent",
    "deployment_circuit_breaker": Nested(
        "deploymentConfiguration.deploymentCircuitBreaker",
        {"enable": "enable", "rollback": "rollback"},
    ),
    "alarms": Nested(
        "deploymentConfiguration.alarms",
        {"alarm_names": "alarmNames", "enable": "enable", "rollback": "rollback"},
    ),
    "deployment_controller": Nested("deploymentController", {"type": "type"}),
    "capacity_provider_strategy": Nested("capacityProviderStrategy", STRATEGY, many=True),
    "network_configuration": Nested(
        "networkConfiguration.awsvpcConfiguration",
        {
            "subnets": "subnets",
            "security_groups": "securityGroups",
            "assign_public_ip": Convert("assignPublicIp", enabled),
        },
    ),
    "load_balancer": Nested(
        "loadBalancers",
        {
            "target_group_arn": "targetGroupArn",
            "elb_name": "loadBalancerName",
            "container_name": "containerName",
            "container_port": "containerPort",
        },
        many=True,
    ),
    "service_registries": Nested(
        "serviceRegistries",
        {
            "registry_arn": "registryArn",
            "port": "port",
            "container_name": "containerName",
            "container_port": "containerPort",
        },
        many=True,
    ),
    "ordered_placement_strategy": Nested(
        "placementStrategy", {"type": "type", "field": "field"}, many=True
    ),
    "placement_constraints": Nested(
        "placementConstraints", {"type": "type", "expression": "expression"}, many=True
    ),
}

EXECUTE_COMMAND: Table = {
    "kms_key_id": "kmsKeyId",
    "logging": "logging",
    "log_configuration": Nested(
        "logConfiguration",
        {
            "cloud_watch_encryption_enabled": "cloudWatchEncryptionEnabled",
            "cloud_watch_log_group_name": "cloudWatchLogGroupName",
            "s3_bucket_name": "s3BucketName",
            "s3_bucket_encryption_enabled": "s3EncryptionEnabled",
            "s3_key_prefix": "s3KeyPrefix",
        },
    ),
}

# aws_ecs_cluster_capacity_providers: PutClusterCapacityProviders shape; a cluster takes them too.
CLUSTER_CAPACITY_PROVIDERS: Table = {
    "capacity_providers": "capacityProviders",
    "default_capacity_provider_strategy": Nested(
        "defaultCapacityProviderStrategy", STRATEGY, many=True
    ),
}

CLUSTER: Table = {
    "name": "clusterName",
    "configuration": Nested(
        "configuration",
        {"execute_command_configuration": Nested("executeCommandConfiguration", EXECUTE_COMMAND)},
    ),
    "setting": Nested("settings", {"name": "name", "value": "value"}, many=True),
    **CLUSTER_CAPACITY_PROVIDERS,
}

# aws_ecs_express_gateway_service: CreateExpressGatewayService shape.
EXPRESS_SERVICE: Table = {
    "service_name": "serviceName",
    "cluster": "cluster",
    "cpu": "cpu",
    "memory": "memory",
    "execution_role_arn": "executionRoleArn",
    "infrastructure_role_arn": "infrastructureRoleArn",
    "task_role_arn": "taskRoleArn",
    "health_check_path": "healthCheckPath",
    "network_configuration": Nested(
        "networkConfiguration", {"subnets": "subnets", "security_groups": "securityGroups"}
    ),
    "primary_container": Nested(
        "primaryContainer",
        {
            "image": "image",
            "container_port": "containerPort",
            "command": "command",
            "aws_logs_configuration": Nested(
                "awsLogsConfiguration",
                {"log_group": "logGroup", "log_stream_prefix": "logStreamPrefix"},
            ),
            "repository_credentials": Nested(
                "repositoryCredentials", {"credentials_parameter": "credentialsParameter"}
            ),
            "environment": Nested("environment", {"name": "name", "value": "value"}, many=True),
            "secret": Nested("secrets", {"name": "name", "value_from": "valueFrom"}, many=True),
        },
    ),
    "scaling_target": Nested(
        "scalingTarget",
        {
            "min_task_count": "minTaskCount",
            "max_task_count": "maxTaskCount",
            "auto_scaling_metric": "autoScalingMetric",
            "auto_scaling_target_value": "autoScalingTargetValue",
        },
    ),
}

TARGET_GROUP: Table = {
    "name": "Name",
    "protocol": "Protocol",
    "protocol_version": "ProtocolVersion",
    "port": "Port",
    "vpc_id": "VpcId",
    "target_type": "TargetType",
    "deregistration_delay": "DeregistrationDelay",
    "slow_start": "SlowStart",
    "health_check": Nested(
        "",
        {
            "enabled": "HealthCheckEnabled",
            "path": "HealthCheckPath",
            "port": "HealthCheckPort",
            "protocol": "HealthCheckProtocol",
            "interval": "HealthCheckIntervalSeconds",
            "timeout": "HealthCheckTimeoutSeconds",
            "healthy_threshold": "HealthyThresholdCount",
            "unhealthy_threshold": "UnhealthyThresholdCount",
            "matcher": "Matcher.HttpCode",
        },
    ),
}

# An EventBridge target's `ecs_target`, a schedule's `target.ecs_parameters`: `EcsParameters`.
ECS_TASK_TARGET: Table = {
    "task_definition_arn": "TaskDefinitionArn",
    "task_count": "TaskCount",
    "launch_type": "LaunchType",
    "platform_version": "PlatformVersion",
}

SCALABLE_TARGET: Table = {
    "service_namespace": "ServiceNamespace",
    "resource_id": "ResourceId",
    "scalable_dimension": "ScalableDimension",
    "min_capacity": "MinCapacity",
    "max_capacity": "MaxCapacity",
}

METRIC_DIMENSIONS = Nested("Dimensions", {"name": "Name", "value": "Value"}, many=True)

SCALING_POLICY: Table = {
    "name": "PolicyName",
    "policy_type": "PolicyType",
    "resource_id": "ResourceId",
    "scalable_dimension": "ScalableDimension",
    "service_namespace": "ServiceNamespace",
    "target_tracking_scaling_policy_configuration": Nested(
        "TargetTrackingScalingPolicyConfiguration",
        {
            "target_value": "TargetValue",
            "scale_in_cooldown": "ScaleInCooldown",
            "scale_out_cooldown": "ScaleOutCooldown",
            "disable_scale_in": "DisableScaleIn",
            "predefined_metric_specification": Nested(
                "PredefinedMetricSpecification",
                {
                    "predefined_metric_type": "PredefinedMetricType",
                    "resource_label": "ResourceLabel",
                },
            ),
            "customized_metric_specification": Nested(
                "CustomizedMetricSpecification",
                {
                    "metric_name": "MetricName",
                    "namespace": "Namespace",
                    "statistic": "Statistic",
                    "unit": "Unit",
                    "dimensions": METRIC_DIMENSIONS,
                },
            ),
        },
    ),
    "step_scaling_policy_configuration": Nested(
        "StepScalingPolicyConfiguration",
        {
            "adjustment_type": "AdjustmentType",
            "cooldown": "Cooldown",
            "metric_aggregation_type": "MetricAggregationType",
            "min_adjustment_magnitude": "MinAdjustmentMagnitude",
            "step_adjustment": Nested(
                "StepAdjustments",
                {
                    "metric_interval_lower_bound": "MetricIntervalLowerBound",
                    "metric_interval_upper_bound": "MetricIntervalUpperBound",
                    "scaling_adjustment": "ScalingAdjustment",
                },
                many=True,
            ),
        },
    ),
}

PERMISSION: Table = {
    "description": "Description",
    "from_port": "FromPort",
    "to_port": "ToPort",
    "protocol": "IpProtocol",
    "cidr_blocks": Convert("IpRanges", wrap("CidrIp")),
    "ipv6_cidr_blocks": Convert("Ipv6Ranges", wrap("CidrIpv6")),
    "security_groups": Convert("UserIdGroupPairs", wrap("GroupId")),
    "prefix_list_ids": Convert("PrefixListIds", wrap("PrefixListId")),
}

SECURITY_GROUP: Table = {
    "name": "GroupName",
    "description": "Description",
    "vpc_id": "VpcId",
    "ingress": Nested("IpPermissions", PERMISSION, many=True),
    "egress": Nested("IpPermissionsEgress", PERMISSION, many=True),
}

SECURITY_GROUP_RULE: Table = {
    **{k: v for k, v in PERMISSION.items() if k != "security_groups"},
    "source_security_group_id": Convert("UserIdGroupPairs", group_ids),
}

VPC_INGRESS_RULE: Table = {
    "description": "Description",
    "from_port": "FromPort",
    "to_port": "ToPort",
    "ip_protocol": "IpProtocol",
    "cidr_ipv4": Convert("IpRanges", lambda n: wrap("CidrIp")(listed(n))),
    "cidr_ipv6": Convert("Ipv6Ranges", lambda n: wrap("CidrIpv6")(listed(n))),
    "referenced_security_group_id": Convert("UserIdGroupPairs", group_ids),
    "prefix_list_id": Convert("PrefixListIds", lambda n: wrap("PrefixListId")(listed(n))),
}

SUBNET: Table = {
    "cidr_block": "CidrBlock",
    "availability_zone": "AvailabilityZone",
    "availability_zone_id": "AvailabilityZoneId",
    "vpc_id": "VpcId",
    "map_public_ip_on_launch": "MapPublicIpOnLaunch",
}

IAM_ROLE: Table = {
    "name": "RoleName",
    "path": "Path",
    "description": "Description",
    "assume_role_policy": Json("AssumeRolePolicyDocument"),
}

POLICY_STATEMENT: Table = {
    "sid": "Sid",
    "effect": "Effect",
    "actions": "Action",
    "not_actions": "NotAction",
    "resources": "Resource",
    "not_resources": "NotResource",
}


def fill(scope: Scoped, body: Body, table: Table, target: ObjectNode) -> None:
    """Map `body`'s arguments and blocks into `target` following `table`."""
    for name, attr in body.attrs.items():
        spec = table.get(name)
        if spec is None or isinstance(spec, Nested):
            continue
        value = scope.document(attr) if isinstance(spec, Json) else scope.value(attr)
        if isinstance(value, ScalarNode) and value.value is None:
            continue  # `= null` leaves the argument unset
        if isinstance(spec, Convert):
            value = spec.convert(value)
        put(target, spec if isinstance(spec, str) else spec.key, value, attr.key_span)
    for name, spec in table.items():
        if isinstance(spec, Nested):
            nested(scope, body, name, spec, target)


def nested(scope: Scoped, body: Body, name: str, spec: Nested, target: ObjectNode) -> None:
    """Blocks (`dynamic` ones expanded where `for_each` is known). A `dynamic` block whose
    `for_each` is unknown may be any number of blocks: an unknown item, or an unknown value."""
    blocks, unknown = scope.blocks(body, name)
    if not blocks and not unknown:
        return
    if spec.key == "":
        for block, inner in blocks:
            fill(inner, block.body, spec.fields, target)
        return
    items: list[Node] = []
    for block, inner in blocks:
        item = ObjectNode(block.span)
        fill(inner, block.body, spec.fields, item)
        items.append(item)
    items += [UnknownNode(b.span, f"dynamic {name!r}") for b in unknown]
    spans = [b.span for b, _ in blocks] + [b.span for b in unknown]
    first = min(spans, key=lambda s: (s.line, s.col))
    key_span = next(
        (b.key_span for b, _ in blocks if b.span == first),
        next((b.key_span for b in unknown if b.span == first), first),
    )
    if spec.many:
        last = max(spans, key=lambda s: (s.end_line, s.end_col))
        whole = Span(first.path, first.line, first.col, *_end(last))
        put(target, spec.key, ListNode(whole, items), key_span)
    elif unknown and not blocks:
        put(target, spec.key, items[-1], key_span)
    elif len(items) == 1:
        put(target, spec.key, items[0], key_span)
    else:
        put(target, spec.key, UnknownNode(first, f"{len(items)} {name!r} blocks"), key_span)


def _end(span: Span) -> tuple[int, int]:
    return span.end_line, span.end_col


def put(target: ObjectNode, key: str, value: Node, key_span: Span) -> None:
    """Set a dotted key, creating the objects on the way (placed at the argument's name)."""
    *path, last = key.split(".")
    for part in path:
        inner = target.obj(part)
        if inner is None:
            inner = ObjectNode(key_span)
            target.fields[part] = inner
            target.keys[part] = key_span
        target = inner
    target.fields[last] = value
    target.keys[last] = key_span
