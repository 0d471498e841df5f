"""## What it does
Checks where ECS Exec (`aws ecs execute-command`) can be used that what is typed and printed in
a session is logged, and logged encrypted. On a cluster's
`configuration.executeCommandConfiguration`: `logging: NONE` is reported; `logging: OVERRIDE`
needs a `logConfiguration` with a CloudWatch log group or an S3 bucket, each with its
encryption turned on (`cloudWatchEncryptionEnabled`, `s3EncryptionEnabled`). On a service with
`enableExecuteCommand: true` whose cluster logs the `DEFAULT` way (the task definition's awslogs
configuration), a task definition in which no container uses awslogs is reported: its sessions
are not logged at all. Settings fglint cannot see are left alone. A missing `kmsKeyId` is not
reported: sessions are already encrypted with TLS by Systems Manager, and a key of your own is a
hardening choice, not a gap.

## Why is this bad?
ECS Exec gives an interactive shell inside a production container. Without session logs there
is no record of what was run there; logs written unencrypted keep that record, which often
contains secrets typed or printed in the session, in plain text.

## Example
```json
{"clusterName": "prod", "configuration": {"executeCommandConfiguration": {"logging": "NONE"}}}
```
Use instead:
```json
{"clusterName": "prod", "configuration": {"executeCommandConfiguration": {
  "kmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "logging": "OVERRIDE",
  "logConfiguration": {"cloudWatchLogGroupName": "/ecs/exec/prod",
                       "cloudWatchEncryptionEnabled": true}}}}
```

## References
- Amazon ECS Developer Guide, "Monitor Amazon ECS containers with ECS Exec":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html#ecs-exec-logging
- Amazon ECS API Reference, ExecuteCommandConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommandConfiguration.html
- Amazon ECS API Reference, ExecuteCommandLogConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommandLogConfiguration.html
- checkov CKV_AWS_223, CKV_AWS_224
"""

from collections.abc import Iterator

from fglint.model import Cluster, Service
from fglint.nodes import ObjectNode, as_str
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG507",
    name="exec-session-not-audited",
    summary="ECS Exec sessions not logged, or logged without encryption",
    severity="warning",
    tags=("security", "logging"),
    security_severity=4.0,
)


def exec_configuration(cluster: Cluster | None) -> ObjectNode | None:
    configuration = cluster.node.obj("configuration") if cluster else None
    return configuration.obj("executeCommandConfiguration") if configuration else None


def override_problems(name: str, config: ObjectNode) -> Iterator[Violation]:
    """`logging: OVERRIDE`: the destination and its encryption."""
    logs = config.obj("logConfiguration")
    if logs is None:
        if config.get("logConfiguration") is None:
            yield Violation(
                config.fields["logging"],
                f"Cluster `{name}` overrides ECS Exec logging without a logConfiguration: "
                "sessions are not logged; name a CloudWatch log group or an S3 bucket",
            )
        return
    destinations = [
        ("cloudWatchLogGroupName", "cloudWatchEncryptionEnabled", "a CloudWatch log group"),
        ("s3BucketName", "s3EncryptionEnabled", "an S3 bucket"),
    ]
    if not any(key in logs for key, _, _ in destinations):
        yield Violation(
            logs,
            f"Cluster `{name}` ECS Exec logConfiguration names neither a CloudWatch log group "
            "nor an S3 bucket: sessions are not logged",
        )
    for key, flag, what in destinations:
        enabled = logs.get(flag)
        if key in logs and (enabled is None or logs.bool(flag) is False):
            yield Violation(
                enabled or logs.key_span(key),
                f"Cluster `{name}` writes ECS Exec session logs to {what} without {flag}: "
                "the session record is stored unencrypted; set it to true",
            )


def cluster_problems(cluster: Cluster, config: ObjectNode) -> Iterator[Violation]:
    name = cluster.name or "?"
    logging = config.get("logging")
    mode = as_str(logging)
    if mode == "NONE" and logging is not None:
        yield Violation(
            logging,
            f"Cluster `{name}` turns ECS Exec session logging off: nothing records what is run "
            "in a production container; use DEFAULT (the task's awslogs) or OVERRIDE",
        )
        return
    if mode == "OVERRIDE":
        yield from override_problems(name, config)


def logs_to_awslogs(service: Service) -> bool | None:
    """Does a container of the service's task log with awslogs? None when unknown."""
    task = service.task_definition
    if task is None or not task.all_containers_known:
        return None
    for container in task.containers:
        config = container.node.get("logConfiguration")
        if config is not None and not isinstance(config, ObjectNode):
            return None
        driver = config.get("logDriver") if isinstance(config, ObjectNode) else None
        if driver is not None and as_str(driver) is None:
            return None
        if as_str(driver) == "awslogs":
            return True
    return False


def service_problems(service: Service) -> Iterator[Violation]:
    """A service with ECS Exec on, in a cluster that logs sessions the DEFAULT way."""
    flag = service.node.get("enableExecuteCommand")
    if flag is None or service.node.bool("enableExecuteCommand") is not True:
        return
    config = exec_configuration(service.cluster)
    mode = config.str("logging") if config else "DEFAULT"
    if (config is not None and "logging" in config and mode is None) or mode != "DEFAULT":
        return
    if logs_to_awslogs(service) is False:
        task = service.task_definition
        yield Violation(
            flag,
            f"Service `{service.name or '?'}` turns on ECS Exec, but its cluster logs sessions "
            f"through the task's awslogs configuration and no container of task definition "
            f"`{task.name if task else '?'}` uses awslogs: sessions are not logged",
            related(service.cluster.node if service.cluster else None, "the cluster"),
        )


def check(ctx: Context) -> Iterator[Violation]:
    for cluster in ctx.project.of(Cluster):
        config = exec_configuration(cluster)
        if config is not None:
            yield from cluster_problems(cluster, config)
    for service in ctx.project.of(Service):
        yield from service_problems(service)
