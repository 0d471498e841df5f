"""Generate the JSON Schemas of the AWS API shapes that FG003 checks, from botocore's API models.

    pip install -e '.[gen]' && python scripts/gen_schemas.py

writes `schemas/ecs_api.json`, `schemas/autoscaling_api.json` and `schemas/elbv2_api.json`
(JSON Schema draft 2020-12). botocore is needed only here, never at run time. Each file holds:

- `shapes`: the shape names fglint's front-ends set on a resource (`Resource.shape`), each mapped
  to its definition in `$defs` (ELBv2 names its inputs `...Input`; fglint says `...Request`);
- `$defs`: one definition per structure (`additionalProperties: false`, `required`, a `title`
  used in messages) and per string enum; lists, maps and plain scalars are written inline.

Types follow what the AWS CLI and the SDKs accept: a JSON number where the API wants a string is
rejected ("Invalid type for parameter cpu"). Length and range limits are kept (the API enforces
them); regular-expression patterns are not (they are Java regexes, and only the server applies
them).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import botocore
from botocore.loaders import Loader

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"

# file stem -> (botocore service, API version, {fglint shape name: botocore shape name})
SERVICES: dict[str, tuple[str, str, dict[str, str]]] = {
    "ecs_api": (
        "ecs",
        "2014-11-13",
        {
            "RegisterTaskDefinitionRequest": "RegisterTaskDefinitionRequest",
            "TaskDefinition": "TaskDefinition",
            "ContainerDefinition": "ContainerDefinition",
            "ContainerDefinitions": "ContainerDefinitions",
            "CreateServiceRequest": "CreateServiceRequest",
            "UpdateServiceRequest": "UpdateServiceRequest",
            "Service": "Service",
            "CreateClusterRequest": "CreateClusterRequest",
            "PutClusterCapacityProvidersRequest": "PutClusterCapacityProvidersRequest",
            "UpdateClusterSettingsRequest": "UpdateClusterSettingsRequest",
            "CreateExpressGatewayServiceRequest": "CreateExpressGatewayServiceRequest",
            "UpdateExpressGatewayServiceRequest": "UpdateExpressGatewayServiceRequest",
        },
    ),
    "autoscaling_api": (
        "application-autoscaling",
        "2016-02-06",
        {
            "PutScalingPolicyRequest": "PutScalingPolicyRequest",
            "RegisterScalableTargetRequest": "RegisterScalableTargetRequest",
            "TargetTrackingScalingPolicyConfiguration": "TargetTrackingScalingPolicyConfiguration",
            "StepScalingPolicyConfiguration": "StepScalingPolicyConfiguration",
        },
    ),
    "elbv2_api": (
        "elbv2",
        "2015-12-01",
        {
            "CreateTargetGroupRequest": "CreateTargetGroupInput",
            "ModifyTargetGroupAttributesRequest": "ModifyTargetGroupAttributesInput",
            "TargetGroup": "TargetGroup",
        },
    ),
}

# Members a structure also accepts, taken from another shape: a describe-task-definition output
# is registered again as it is by deploy tools (aws-actions/amazon-ecs-deploy-task-definition
# drops the read-only keys and registers the rest; ecspresso likewise), so the `tags` that
# RegisterTaskDefinition takes are valid in one too.
ALSO: dict[str, dict[str, tuple[str, str]]] = {
    "TaskDefinition": {"tags": ("RegisterTaskDefinitionRequest", "tags")},
}

SCALARS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "long": {"type": "integer"},
    "double": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "timestamp": {"type": ["string", "number"]},  # ISO 8601 text or epoch seconds
}
LIMITS = {
    "string": ("minLength", "maxLength"),
    "list": ("minItems", "maxItems"),
    "map": ("minProperties", "maxProperties"),
    "integer": ("minimum", "maximum"),
    "long": ("minimum", "maximum"),
    "double": ("minimum", "maximum"),
    "float": ("minimum", "maximum"),
}


WORDS = re.compile(r"FSx|S3|[A-Z]+(?=[A-Z][a-z]|\b)|[A-Z]?[a-z]+|\d+")


def title(name: str, inputs: set[str]) -> str:
    """`ContainerDefinition` -> `container definition`; an operation's input -> `... input`."""
    words = WORDS.findall(re.sub(r"(Request|Input)$", "", name))
    if name in inputs:
        return "-".join(word.lower() for word in words) + " input"
    kept = ("FSx", "S3")  # acronyms (EBS, EFS) stay upper case, the rest is lower case
    text = " ".join(w if w in kept or (w.isupper() and len(w) > 1) else w.lower() for w in words)
    return text.replace("aws vpc", "awsvpc")


class Generator:
    def __init__(self, model: dict[str, Any]) -> None:
        self.shapes = model["shapes"]
        self.inputs = {op["input"]["shape"] for op in model["operations"].values() if "input" in op}
        self.defs: dict[str, Any] = {}

    def ref(self, name: str) -> dict[str, Any]:
        """A schema for the botocore shape `name`: a `$ref` for structures and enums."""
        shape = self.shapes[name]
        if shape["type"] == "structure" or "enum" in shape:
            if name not in self.defs:
                self.defs[name] = {}  # reserve first: structures may be recursive
                self.defs[name] = self.schema(name)
            return {"$ref": f"#/$defs/{name}"}
        return self.schema(name)

    def schema(self, name: str) -> dict[str, Any]:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            return self.structure(name, shape)
        if kind == "list":
            schema: dict[str, Any] = {"type": "array", "items": self.ref(shape["member"]["shape"])}
        elif kind == "map":
            schema = {"type": "object", "additionalProperties": self.ref(shape["value"]["shape"])}
        elif "enum" in shape:
            schema = {"enum": shape["enum"]}
        else:
            schema = dict(SCALARS[kind])
        low, high = LIMITS.get(kind, ("", ""))
        if low and "min" in shape and (shape["min"] > 0 or low == "minimum"):
            schema[low] = shape["min"]
        if "max" in shape and high:
            schema[high] = shape["max"]
        return schema

    def structure(self, name: str, shape: dict[str, Any]) -> dict[str, Any]:
        if shape.get("document"):
            return {"title": title(name, self.inputs)}  # free-form JSON
        members = shape["members"]
        schema: dict[str, Any] = {"title": title(name, self.inputs), "type": "object"}
        schema["properties"] = {key: self.ref(m["shape"]) for key, m in members.items()}
        for key, (owner, member) in ALSO.get(name, {}).items():
            schema["properties"][key] = self.ref(self.shapes[owner]["members"][member]["shape"])
        if shape.get("required"):
            schema["required"] = shape["required"]
        schema["additionalProperties"] = False
        return schema


def generate(stem: str) -> str:
    service, version, roots = SERVICES[stem]
    model = Loader().load_service_model(service, "service-2", version)
    generator = Generator(model)
    for shape in roots.values():
        if shape not in generator.defs:
            generator.defs[shape] = {}
            generator.defs[shape] = generator.schema(shape)
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated by scripts/gen_schemas.py from botocore {botocore.__version__} "
        f"({service} {version}). Do not edit.",
        "shapes": roots,
    }
    lines = [json.dumps(head, indent=1)[:-2] + ",", ' "$defs": {']
    defs = sorted(generator.defs.items())
    for index, (name, schema) in enumerate(defs):
        comma = "," if index < len(defs) - 1 else ""
        lines.append(f"  {json.dumps(name)}: {json.dumps(schema, ensure_ascii=False)}{comma}")
    lines += [" }", "}", ""]
    return "\n".join(lines)


def main() -> int:
    for stem in SERVICES:
        path = SCHEMAS / f"{stem}.json"
        path.write_text(generate(stem), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
