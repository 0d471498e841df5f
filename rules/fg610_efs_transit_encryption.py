"""## What it does
Checks every EFS volume of a task definition (`volumes[].efsVolumeConfiguration`) for
`transitEncryption: ENABLED`. A volume that leaves it unset (the default is `DISABLED`) or sets
`DISABLED` is a warning; one that also uses IAM authorization (`authorizationConfig.iam:
ENABLED`) or an EFS access point (`authorizationConfig.accessPointId`) is an error, because ECS
requires transit encryption for both. A value that is an expression is left alone.

## Why is this bad?
Without transit encryption, file data travels between the task and the EFS mount target in
clear over the VPC network; EFS file system policies that require `aws:SecureTransport` also
refuse the mount. With IAM authorization or an access point and no transit encryption, ECS
cannot mount the volume: the task fails to start.

## Example
```json
"volumes": [{"name": "uploads", "efsVolumeConfiguration": {
  "fileSystemId": "fs-0123456789abcdef0",
  "authorizationConfig": {"accessPointId": "fsap-0123456789abcdef0", "iam": "ENABLED"}}}]
```
Use instead:
```json
"volumes": [{"name": "uploads", "efsVolumeConfiguration": {
  "fileSystemId": "fs-0123456789abcdef0", "transitEncryption": "ENABLED",
  "authorizationConfig": {"accessPointId": "fsap-0123456789abcdef0", "iam": "ENABLED"}}}]
```

## References
- Amazon ECS API Reference, EFSVolumeConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSVolumeConfiguration.html
- Amazon ECS API Reference, EFSAuthorizationConfig:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSAuthorizationConfig.html ("If it
  is turned on, transit encryption must be turned on")
- Amazon ECS Developer Guide, "Use Amazon EFS volumes with Amazon ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html
- checkov CKV_AWS_97, trivy AVD-AWS-0035, KICS c1282e03 / 4d46ff3b / 6c131358
"""

from collections.abc import Iterator

from fglint.model import TaskDefinition
from fglint.nodes import ObjectNode, UnknownNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG610",
    name="efs-transit-encryption-off",
    summary="EFS volume without transit encryption",
    severity="warning",
    tags=("security", "storage"),
    security_severity=5.0,
)


def needs_encryption(efs: ObjectNode) -> str | None:
    """What in the volume makes ECS require transit encryption, if anything."""
    auth = efs.obj("authorizationConfig")
    if auth is None:
        return None
    if auth.str("iam") == "ENABLED":
        return "IAM authorization"
    if auth.get("accessPointId") is not None and auth.str("accessPointId") != "":
        return "an access point"
    return None


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.of(TaskDefinition):
        for volume in task.node.objects("volumes"):
            efs = volume.obj("efsVolumeConfiguration")
            setting = efs.get("transitEncryption") if efs else None
            if (
                efs is None
                or isinstance(setting, UnknownNode)
                or efs.str("transitEncryption") == "ENABLED"
            ):
                continue
            name = volume.str("name") or "(unnamed)"
            state = "DISABLED" if setting is not None else "unset (DISABLED)"
            where = setting or volume.key_span("efsVolumeConfiguration")
            required = needs_encryption(efs)
            if required is not None:
                yield Violation(
                    where,
                    f"EFS volume `{name}` uses {required} with transitEncryption {state}: ECS "
                    "requires transit encryption for it and the task cannot mount the volume; "
                    "set transitEncryption ENABLED",
                    severity="error",
                )
            else:
                yield Violation(
                    where,
                    f"EFS volume `{name}` has transitEncryption {state}: file data crosses the "
                    "VPC unencrypted; set transitEncryption ENABLED",
                )
