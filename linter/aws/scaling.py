"""Reading services' deployment and capacity settings and Application Auto Scaling policies.

Shared by the FG5xx/FG8xx/FG9xx rules. Every function returns None for what cannot be known.
"""

from __future__ import annotations

from fglint import nodes
from fglint.aws.facts import POLICY_TYPES, STEP_SCALING, TARGET_TRACKING
from fglint.aws.services import controller_type
from fglint.linker import scaling_key as scaling_key  # for rules
from fglint.linker import service_resource_id as service_resource_id  # for rules
from fglint.model import ScalingPolicy, Service
from fglint.nodes import Node, ObjectNode

CPU_OR_MEMORY = {"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"}


def as_number(node: Node | None) -> float | None:
    """A number, or a numeric string; None when absent, unknown or not a number."""
    value = nodes.as_number(node)
    return None if value is None else float(value)


def number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def kind(policy: ScalingPolicy) -> str | None:
    """ "TargetTrackingScaling", "StepScaling", "PredictiveScaling", or None when unknown."""
    if "PolicyType" in policy.node:
        return policy.node.str("PolicyType")
    return next((kind for key, kind in POLICY_TYPES.items() if key in policy.node), None)


def settings(policy: ScalingPolicy, key: str) -> ObjectNode | None:
    """The policy's `key` settings (TARGET_TRACKING, STEP_SCALING) when it is of that type."""
    return policy.node.obj(key) if kind(policy) == POLICY_TYPES[key] else None


def target_tracking(policy: ScalingPolicy) -> ObjectNode | None:
    return settings(policy, TARGET_TRACKING)


def step_scaling(policy: ScalingPolicy) -> ObjectNode | None:
    return settings(policy, STEP_SCALING)


def namespace(policy: ScalingPolicy) -> str | None:
    """The policy's service namespace, from itself, its scalable target or its dimension."""
    for node in (policy.node, policy.target.node if policy.target else None):
        if node is None:
            continue
        if node.str("ServiceNamespace"):
            return node.str("ServiceNamespace")
        dimension = node.str("ScalableDimension")
        if dimension and ":" in dimension:
            return dimension.split(":", 1)[0]
    return None


def can_scale_in(policy: ScalingPolicy) -> bool | None:
    """Target tracking unless DisableScaleIn; step scaling with a negative adjustment."""
    config = target_tracking(policy)
    if config is not None:
        disabled = config.bool("DisableScaleIn") if "DisableScaleIn" in config else False
        return None if disabled is None else not disabled
    config = step_scaling(policy)
    if config is None:
        return None
    adjustments = [as_number(s.get("ScalingAdjustment")) for s in config.objects("StepAdjustments")]
    if any(a is not None and a < 0 for a in adjustments):
        return True
    return None if None in adjustments else False


def rolling(service: Service) -> bool:
    """The ECS controller with the rolling strategy (not ECS-native blue/green)."""
    if controller_type(service) != "ECS":
        return False
    config = service.node.obj("deploymentConfiguration")
    strategy = config.get("strategy") if config is not None else None
    return strategy is None or (config is not None and config.str("strategy") == "ROLLING")


def capacity_strategy(service: Service) -> list[ObjectNode] | None:
    """The capacity provider strategy the service runs with: its own, or, with neither a
    launch type nor a strategy, its cluster's default. None when not known."""
    own = service.node.get("capacityProviderStrategy")
    if own is not None:
        return service.node.objects("capacityProviderStrategy") if own.known else None
    if "launchType" in service.node or service.cluster is None:
        return None
    default = service.cluster.node.get("defaultCapacityProviderStrategy")
    if default is None or not default.known:
        return None
    return service.cluster.node.objects("defaultCapacityProviderStrategy")


def spot_item(strategy: list[ObjectNode]) -> ObjectNode | None:
    """The FARGATE_SPOT entry of a strategy, when tasks can be placed on it."""
    for item in strategy:
        if item.str("capacityProvider") != "FARGATE_SPOT":
            continue
        weight = as_number(item.get("weight")) if "weight" in item else 0.0
        base = as_number(item.get("base")) if "base" in item else 0.0
        if weight is None or base is None or weight > 0 or base > 0:
            return item
    return None


def spot_entry(service: Service) -> ObjectNode | None:
    """The FARGATE_SPOT entry of the strategy the service runs with, when it places tasks there."""
    strategy = capacity_strategy(service)
    return spot_item(strategy) if strategy is not None else None
