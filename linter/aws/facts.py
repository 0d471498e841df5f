"""Facts more than one layer needs: AWS defaults and names, fglint's severity levels.

Plain values that import nothing of fglint, so front-ends, the model, the linker, rules and the
engine all read them from here instead of writing them again. Tables AWS changes (Fargate sizes,
platform versions, API shapes) are data under `schemas/`, read through `fglint.aws.data`.
"""

from __future__ import annotations

import re
from typing import Literal

# fglint's severities, most severe first, and the `fail-on` levels.
Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")
FAIL_ON = (*SEVERITIES, "never")

# ECS and ELBv2 defaults, in seconds.
DEFAULT_STOP_TIMEOUT = 30  # a container's stopTimeout on Fargate (the ECS agent's default)
DEFAULT_DEREGISTRATION_DELAY = 300  # a target group's deregistration_delay.timeout_seconds
DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds"  # its target group attribute key
MODIFY_ATTRIBUTES = "ModifyTargetGroupAttributesRequest"  # the API shape that sets attributes

# Application Auto Scaling: a policy's settings key, and the PolicyType it means.
TARGET_TRACKING = "TargetTrackingScalingPolicyConfiguration"
STEP_SCALING = "StepScalingPolicyConfiguration"
POLICY_TYPES = {TARGET_TRACKING: "TargetTrackingScaling", STEP_SCALING: "StepScaling"}

_TARGET_GROUP_ARN = re.compile(
    r"^arn:aws[\w-]*:elasticloadbalancing:[^:]*:[^:]*:targetgroup/([^/]+)/"
)


def target_group_name(arn: str) -> str | None:
    """`my-tg` from `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/my-tg/<id>`."""
    match = _TARGET_GROUP_ARN.match(arn)
    return match.group(1) if match else None


# Shells, by program name: what PID 1 is when an entry point names one (`sh`, `/bin/bash`).
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
