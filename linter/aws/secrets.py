"""Is a plain environment value a secret? By name with a real-looking value, or by value alone."""

from __future__ import annotations

import re

SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY"
    r"|AUTH_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|CLIENT_?SECRET|DB_?PASS|_PASS$|^PASS$)",
    re.IGNORECASE,
)
# A name ending in one of these describes a secret without being one (SECRET_ARN, TOKEN_TTL).
METADATA_SUFFIX = re.compile(
    r"_(ARN|ID|NAME|FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|HEADER|TTL|LENGTH|LEN|EXPIRY|EXPIRES"
    r"|EXPIRATION|TIMEOUT|ENABLED|DISABLED|REGION|KEY_ID|PARAM|PARAMETER|LOCATION|VERSION|TYPE"
    r"|FIELD|ALGORITHM|ALG|ROTATION|MIN_LENGTH|MAX_LENGTH|POLICY|PREFIX|SUFFIX|COOKIE_NAME|KIND"
    r"|MODE|STORE|PROVIDER|SOURCE|BACKEND|ISSUER|AUDIENCE|SCOPE|SCOPES)$",
    re.IGNORECASE,
)
VALUE_PATTERNS = [
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("credentials inside a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@$]{3,}@")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    (
        "a JSON Web Token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
    ),
]
_REFERENCE = re.compile(
    r"^(arn:aws[a-z-]*:(secretsmanager|ssm|kms|iam|s3):|/[\w./-]+$|\$\{|\{\{|<[A-Za-z_])",
    re.IGNORECASE,
)
_TRIVIAL = re.compile(r"^(true|false|yes|no|on|off|none|null|enabled|disabled|\d{1,6})$", re.I)


def secret_name(name: str) -> bool:
    """Does the name say the value is a secret (`NPM_TOKEN`, not `TOKEN_TTL`)?"""
    return bool(SECRET_NAME.search(name)) and not METADATA_SUFFIX.search(name)


def secret_kind(name: str, value: str) -> str | None:
    """Why `value` looks like a secret ("an AWS access key id", "its name"), or None."""
    for kind, pattern in VALUE_PATTERNS:
        if pattern.search(value):
            return kind
    text = value.strip()
    if (
        not SECRET_NAME.search(name)
        or METADATA_SUFFIX.search(name)
        or len(text) < 4
        or _TRIVIAL.match(text)
        or _REFERENCE.match(text)
    ):
        return None
    return "its name"
