"""The peer coverage table: every ECS / Fargate check of checkov, cfn-lint, trivy and KICS (and
their ECS-related ELBv2, Application Auto Scaling and IAM checks), with the fglint rules that
cover it or the reason fglint does not.

`python scripts/coverage.py > docs/coverage.md` writes the page; tests/test_coverage.py keeps it
current and checks that every code named is a rule and every peer check of the corpus oracle is
listed. The checks were read from the peers' sources at these commits (`SOURCES`).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = {
    "checkov": "https://github.com/bridgecrewio/checkov/tree/03d5fdad8d6154b1565799a7b1fb8070c158866f",
    "cfn-lint": "https://github.com/aws-cloudformation/cfn-lint/tree/217397c819d2cebe4c1e836c9ab18fafd0e10135",
    "kics": "https://github.com/DataDog/kics/tree/d91e3669233f883ffa89d3013a4af2874ab87b40",
    "trivy": "https://github.com/aquasecurity/trivy-checks",
}

# What a status means; every status but `covered` needs a reason.
STATUSES = {
    "covered": "an fglint rule reports what the peer reports, on Fargate",
    "partly": "fglint reports the part that matters on Fargate; the reason says what it leaves out",
    "ec2-only": "the setting only matters (or only exists) on EC2 container instances",
    "not-ecs": "not about ECS: a generic check of another service that fglint leaves to the peers",
    "rejected": "fglint does not check it on purpose: the finding would be wrong or noise, with "
    "the evidence",
    "format": "the same check on an input format fglint does not read; its twin is listed",
}


@dataclass(frozen=True)
class Check:
    peer: str
    id: str
    title: str
    source: str  # the file in the peer's repository that defines it
    status: str
    rules: tuple[str, ...] = ()
    reason: str = ""


C = Check
CK_TF = "checkov/terraform/checks/resource/aws/"
CK_CFN = "checkov/cloudformation/checks/resource/aws/"
CL = "src/cfnlint/rules/resources/"
KQ_CFN = "assets/queries/cloudFormation/aws/"
KQ_TF = "assets/queries/terraform/aws/"
TR = "checks/cloud/aws/"

CHECKS: list[Check] = [
    # --- cfn-lint -------------------------------------------------------------------------
    C("cfn-lint", "E3042", "At least one essential container", CL + "ecs/TaskDefinitionEssentialContainer.py", "covered", ("FG107",)),
    C("cfn-lint", "E3044", "FARGATE / EXTERNAL service can only use SchedulingStrategy REPLICA", CL + "ecs/FargateDeploymentSchedulingStrategy.py", "covered", ("FG112",)),
    C("cfn-lint", "E3046", "awslogs log configuration needs awslogs-group and awslogs-region", CL + "ecs/LogConfiguration.py", "covered", ("FG502",)),
    C("cfn-lint", "E3047", "Fargate task CPU / memory combination", CL + "ecs/FargateCpuMemory.py", "covered", ("FG101",)),
    C("cfn-lint", "E3048", "Fargate task required properties and values", CL + "ecs/TaskFargateProperties.py", "covered", ("FG101", "FG103", "FG104", "FG105", "FG505")),
    C("cfn-lint", "E3049", "Dynamic host port needs a traffic-port target group health check", CL + "ecs/ServiceDynamicPorts.py", "ec2-only", (), "dynamic host ports (hostPort 0) exist only in bridge mode on EC2; on Fargate (awsvpc) the host port is the container port, which FG108 enforces"),
    C("cfn-lint", "E3052", "awsvpc service requires NetworkConfiguration", CL + "ecs/ServiceNetworkConfiguration.py", "covered", ("FG708",)),
    C("cfn-lint", "E3053", "awsvpc HostPort equals ContainerPort", CL + "ecs/TaskDefinitionAwsVpc.py", "covered", ("FG108",)),
    C("cfn-lint", "E3054", "FARGATE service's task definition allows FARGATE", CL + "ecs/ServiceFargate.py", "covered", ("FG111",)),
    C("cfn-lint", "E3056", "HealthCheckGracePeriodSeconds needs LoadBalancers", CL + "ecs/ServiceHealthCheckGracePeriodSeconds.py (removed)", "rejected", (), "wrong today: ECS applies the grace period to container health checks too (CreateService API reference), and cfn-lint removed the rule (commit 8a8b9635d, 'Remove rule E3056 (#4230)'); FG306 checks the grace period a load-balanced service needs"),
    C("cfn-lint", "E3713", "Fargate service uses a supported log driver", CL + "ecs/ServiceFargateLogDriver.py", "covered", ("FG505",)),
    C("cfn-lint", "E3681", "Target group target type property restrictions", CL + "elasticloadbalancingv2/TargetGroupTargetTypeRestrictions.py", "partly", ("FG706",), "FG706 requires target type `ip` for an awsvpc service's target group, the restriction ECS adds; the other combinations (lambda, alb targets) are ELBv2 API validity without an ECS service"),
    C("cfn-lint", "E3683", "Target group protocol property restrictions", CL + "elasticloadbalancingv2/TargetGroupProtocolRestrictions.py", "not-ecs", (), "which Protocol/Port/VpcId a target group of each target type may set is ELBv2 API validity, the same with or without ECS"),
    C("cfn-lint", "E3684", "Target group health check protocol restrictions", CL + "elasticloadbalancingv2/TargetGroupHealthCheckProtocolRestrictions.py", "not-ecs", (), "health check protocol per target group protocol is ELBv2 API validity, the same with or without ECS"),
    # --- checkov --------------------------------------------------------------------------
    C("checkov", "CKV_AWS_65", "Container insights enabled on ECS cluster", CK_TF + "ECSClusterContainerInsights.py", "covered", ("FG506",)),
    C("checkov", "CKV_AWS_97", "Transit encryption for EFS volumes in task definitions", CK_TF + "ECSTaskDefinitionEFSVolumeEncryption.py", "covered", ("FG610",)),
    C("checkov", "CKV_AWS_223", "ECS cluster enables logging of ECS Exec", CK_TF + "ECSClusterLoggingEnabled.py", "partly", ("FG507",), "FG507 reports a cluster whose exec configuration sets logging NONE, and a service with enableExecuteCommand whose sessions go nowhere (logging DEFAULT, and no awslogs container in its task)"),
    C("checkov", "CKV_AWS_224", "ECS Exec logging encrypted and session encrypted with a CMK", CK_TF + "ECSClusterLoggingEncryptedWithCMK.py", "partly", ("FG507",), "FG507 reports exec logs written without encryption (logging OVERRIDE); it does not ask for a kmsKeyId, since sessions are TLS 1.2 encrypted by default (ECS Exec docs) and a key of your own is hardening, and it ignores a logConfiguration that logging DEFAULT does not use"),
    C("checkov", "CKV_AWS_249", "Execution role ARN differs from task role ARN", CK_TF + "ECSTaskDefinitionRoleCheck.py", "covered", ("FG604",)),
    C("checkov", "CKV_AWS_261", "HTTP/HTTPS target group defines a health check", CK_TF + "LBTargetGroupsDefinesHealthcheck.py", "rejected", (), "a target group without a health_check block gets ELBv2's default check (HTTP GET / every 30 s), which is a health check; whether `/` is the right path cannot be known statically. FG306 and FG305 check the health-check and draining settings ECS depends on"),
    C("checkov", "CKV_AWS_332", "ECS Fargate services run on the latest platform version", CK_TF + "ECSServiceFargateLatest.py", "partly", ("FG110",), "FG110 reports retired versions and versions older than a feature the task uses; pinning the current version (1.4.0) is deliberate, not a finding"),
    C("checkov", "CKV_AWS_333", "ECS services do not assign public IPs", CK_TF + "ECSServicePublicIP.py", "covered", ("FG701",)),
    C("checkov", "CKV_AWS_334", "ECS containers run as non-privileged", CK_TF + "ECSContainerPrivilege.py", "partly", ("FG105",), "Fargate rejects `privileged`, which FG105 reports; on EC2 it is allowed"),
    C("checkov", "CKV_AWS_335", "Task definitions do not share the host's process namespace", CK_TF + "ECSContainerHostProcess.py", "partly", ("FG105",), "Fargate rejects pidMode `host`, which FG105 reports; on EC2 it is allowed"),
    C("checkov", "CKV_AWS_336", "Containers limited to read-only root filesystems", CK_TF + "ECSContainerReadOnlyRoot.py", "covered", ("FG608",)),
    C("checkov", "CKV_AWS_378", "Load balancer target group does not use HTTP", "checkov/terraform/checks/graph_checks/aws/LBTargetGroup.yaml", "not-ecs", (), "TLS between the load balancer and its targets is a load-balancer design choice, the same for any target; Fargate tasks in private subnets behind an ALB commonly use HTTP inside the VPC"),
    C("checkov", "CKV_AWS_1", "No IAM policy document allows full '*-*' admin privileges", "checkov/terraform/checks/data/aws/AdminPolicyDocument.py", "covered", ("FG605",)),
    C("checkov", "CKV_AWS_62", "No IAM policy allows full '*-*' admin privileges", CK_TF + "IAMAdminPolicyDocument.py", "covered", ("FG605",)),
    C("checkov", "CKV_AWS_49", "No IAM policy document allows '*' as actions", "checkov/terraform/checks/data/aws/StarActionPolicyDocument.py", "covered", ("FG605",)),
    C("checkov", "CKV_AWS_63", "No IAM policy allows '*' as actions", CK_TF + "IAMStarActionPolicyDocument.py", "covered", ("FG605",)),
    C("checkov", "CKV_AWS_355", "No IAM policy allows '*' resource for restrictable actions", CK_TF + "IAMStarResourcePolicyDocument.py", "covered", ("FG606",)),
    C("checkov", "CKV_AWS_356", "No IAM policy document allows '*' resource for restrictable actions", "checkov/terraform/checks/data/aws/ResourcePolicyDocument.py", "covered", ("FG606",)),
    # --- trivy ----------------------------------------------------------------------------
    C("trivy", "AVD-AWS-0034", "ECS clusters have container insights enabled", TR + "ecs/enable_container_insight.rego", "covered", ("FG506",)),
    C("trivy", "AVD-AWS-0035", "EFS volumes in task definitions use in-transit encryption", TR + "ecs/enable_in_transit_encryption.rego", "covered", ("FG610",)),
    C("trivy", "AVD-AWS-0036", "Task definition has no sensitive environment variables", TR + "ecs/no_plaintext_secrets.rego", "covered", ("FG601",)),
    C("trivy", "AVD-AWS-0057", "IAM policy avoids wildcards", TR + "iam/no_policy_wildcards.rego", "covered", ("FG605", "FG606")),
    # --- KICS -----------------------------------------------------------------------------
    C("kics", "ab759fde-e1e8-4b0e-ad73-ba856e490ed8", "ECS Cluster with Container Insights Disabled (CloudFormation)", KQ_CFN + "ecs_cluster_container_insights_disabled", "covered", ("FG506",)),
    C("kics", "97cb0688-369a-4d26-b1f7-86c4c91231bc", "ECS cluster with container insights disabled (Terraform)", KQ_TF + "ecs_cluster_container_insights_disabled", "covered", ("FG506",)),
    C("kics", "0c7a76d9-7dc5-499e-81ac-9245839177cb", "ECS Cluster with Container Insights Disabled (Crossplane)", "assets/queries/crossplane/aws/ecs_cluster_with_container_insights_disabled", "format", ("FG506",), "Crossplane manifests; fglint reads the same setting in JSON, Terraform and CloudFormation"),
    C("kics", "abcefee4-a0c1-4245-9f82-a473f79a9e2f", "ECS Cluster with Container Insights Disabled (Pulumi)", "assets/queries/pulumi/aws/ecs_cluster_container_insights_disabled", "format", ("FG506",), "Pulumi YAML; fglint reads the same setting in JSON, Terraform and CloudFormation"),
    C("kics", "6c131358-c54d-419b-9dd6-1f7dd41d180c", "ECS Cluster Not Encrypted At Rest (CloudFormation)", KQ_CFN + "ecs_cluster_not_encrypted_at_rest", "partly", ("FG610",), "despite its name it checks EFS transit encryption (FG610); it also flags a service whose task definition is not in the template, which fglint never guesses about"),
    C("kics", "c1282e03-b285-4637-aee7-eefe3a7bb658", "EFS Volume With Disabled Transit Encryption (CloudFormation)", KQ_CFN + "efs_volume_with_disabled_transit_encryption", "covered", ("FG610",)),
    C("kics", "4d46ff3b-7160-41d1-a310-71d6d370b08f", "ECS task definition volume not encrypted (Terraform)", KQ_TF + "ecs_task_definition_volume_not_encrypted", "covered", ("FG610",)),
    C("kics", "fb2b0ecf-1492-491a-a70d-ba1df579175d", "ECS No Load Balancer Attached (CloudFormation)", KQ_CFN + "ecs_no_load_balancer_attached", "rejected", (), "workers, queue consumers and scheduled services have no load balancer by design; the Fargate production guide's queue worker (section 3) is a Fargate service without one"),
    C("kics", "01986452-bdd8-4aaa-b5df-d6bf61d616ff", "ECS Service Admin Role Is Present (CloudFormation)", KQ_CFN + "ecs_service_admin_role_is_present", "ec2-only", (), "the service `Role` is the legacy load-balancer role of bridge-mode services; an awsvpc (Fargate) service uses the ECS service-linked role and must not name one (CreateService `role`)"),
    C("kics", "3206240f-2e87-4e58-8d24-3e19e7c83d7c", "ECS service admin role is present (Terraform)", KQ_TF + "ecs_service_admin_role_is_present", "ec2-only", (), "as for 01986452: `iam_role` applies to bridge-mode services, never to Fargate's awsvpc ones"),
    C("kics", "7db727c1-1720-468e-b80e-06697f71e09e", "ECS Service Admin Role Is Present (Ansible)", "assets/queries/ansible/aws/ecs_service_admin_role_is_present", "format", (), "Ansible playbooks, which fglint does not read; the check is EC2-only as for 01986452"),
    C("kics", "79d745f0-d5f3-46db-9504-bef73e9fd528", "ECS Service Without Running Tasks (CloudFormation)", KQ_CFN + "ecs_service_without_running_tasks", "rejected", (), "KICS flags a service without a DeploymentConfiguration; ECS then uses 100/200 percent, which runs tasks. FG802 checks the deployment percentages that do matter"),
    C("kics", "91f16d09-689e-4926-aca7-155157f634ed", "ECS service without running tasks (Terraform)", KQ_TF + "ecs_service_without_running_tasks", "rejected", (), "desired_count 0 is how a service is parked or handed to auto scaling (which sets the count); FG903 checks the desired count against the scaling range"),
    C("kics", "f5c45127-1d28-4b49-a692-0b97da1c3a84", "ECS Service Without Running Tasks (Ansible)", "assets/queries/ansible/aws/ecs_service_without_running_tasks", "format", (), "Ansible playbooks, which fglint does not read; rejected for the same reason as 91f16d09"),
    C("kics", "d24389b4-b209-4ff0-8345-dc7a4569dcdd", "ECS Task Definition HealthCheck Missing (CloudFormation)", KQ_CFN + "ecs_task_definition_healthcheck_missing", "partly", ("FG401",), "FG401 asks for a health check on essential containers, whose failure replaces the task; a non-essential sidecar's health check only feeds dependsOn"),
    C("kics", "f4c9b5f5-68b8-491f-9e48-4f96644a1d51", "ECS Task Definition Invalid CPU or Memory (CloudFormation)", KQ_CFN + "ecs_task_definition_invalid_cpu_or_memory", "covered", ("FG101",)),
    C("kics", "027a4b7a-8a59-4938-a04f-ed532512cf45", "ECS Task Definition Network Mode Not Recommended (CloudFormation)", KQ_CFN + "ecs_task_definition_network_mode_not_recommended", "partly", ("FG104",), "Fargate requires awsvpc (FG104); on EC2, bridge and host are valid choices"),
    C("kics", "9f4a9409-9c60-4671-be96-9716dbf63db1", "ECS task definition network mode not recommended (Terraform)", KQ_TF + "ecs_task_definition_network_mode_not_recommended", "partly", ("FG104",), "Fargate requires awsvpc (FG104); on EC2, bridge and host are valid choices"),
    C("kics", "01aec7c2-3e4d-4274-ae47-2b8fea22fd1f", "ECS Task Definition Network Mode Not Recommended (Ansible)", "assets/queries/ansible/aws/ecs_task_definition_network_mode_not_recommended", "format", ("FG104",), "Ansible playbooks, which fglint does not read"),
    C("kics", "7f384a5f-b5a2-4d84-8ca3-ee0a5247becb", "Empty Roles For ECS Cluster Task Definitions (CloudFormation)", KQ_CFN + "empty_roles_for_ecs_cluster_task_definitions", "rejected", (), "a task that calls no AWS API needs no task role; least privilege means giving it none. FG603 reports the execution role a task does need"),
    C("kics", "9e8c89b3-7997-4d15-93e4-7911b9db99fd", "Inline Policies Are Attached To ECS Service (CloudFormation)", KQ_CFN + "inline_policies_are_attached_to_ecs_service", "rejected", (), "inline versus managed is a style choice; fglint judges what a role's policies allow (FG605, FG606, FG607) wherever they are written"),
    C("kics", "e415f8d3-fc2b-4f52-88ab-1129e8c8d3f5", "Fully Open Ingress (ECS service security group)", KQ_CFN + "fully_open_ingress", "covered", ("FG704",)),
    C("kics", "bafe7989-3c4b-47f0-910b-e6e1cba7f146", "ECS Services assigned with public IP address (Terraform)", "Checkmarx/kics " + KQ_TF + "ecs_services_assigned_with_public_ip_address", "covered", ("FG701",)),
    C("kics", "c0c26068-fdf0-40e5-9b3b-fc8a5f585d2e", "ECS Services assigned with public IP address (CloudFormation)", "Checkmarx/kics " + KQ_CFN + "ecs_services_assigned_with_public_ip_address", "covered", ("FG701",)),
]  # fmt: skip


def render() -> str:
    lines = [
        "# Coverage: what the peer linters check on ECS and Fargate",
        "",
        "Every ECS and Fargate check of checkov, cfn-lint, trivy and KICS, and their checks of",
        "the ELBv2 target groups, scaling and IAM policies an ECS service uses, with the fglint",
        "rule that covers it or the reason it does not. Checks of load balancers, listeners and",
        "other services that do not involve ECS are out of scope. Generated by",
        "`python scripts/coverage.py > docs/coverage.md`; tests/test_coverage.py keeps it current",
        "and tests/test_oracle.py measures agreement on the peers' labelled cases.",
        "",
        "Sources: " + ", ".join(f"[{peer}]({url})" for peer, url in SOURCES.items()) + ".",
        "KICS is read from the DataDog fork, whose ECS queries are the upstream ones; the",
        "Checkmarx snapshot is too large to fetch, so its upstream-only public-IP query was read",
        "file by file. KICS queries for Ansible, Crossplane and Pulumi are listed as `format`.",
        "",
        "| status | meaning |",
        "|---|---|",
        *(f"| {status} | {meaning} |" for status, meaning in STATUSES.items()),
        "",
    ]
    for peer in SOURCES:
        lines += [f"## {peer}", "", "| check | what | fglint | status | reason |"]
        lines.append("|---|---|---|---|---|")
        for check in CHECKS:
            if check.peer == peer:
                rules = ", ".join(check.rules) or "-"
                what = f"{check.title} (`{check.source}`)"
                reason = check.reason or ""
                lines.append(f"| `{check.id}` | {what} | {rules} | {check.status} | {reason} |")
        lines.append("")
    counts = {status: sum(c.status == status for c in CHECKS) for status in STATUSES}
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    lines.append(f"{len(CHECKS)} peer checks: {summary}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
