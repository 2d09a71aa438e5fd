#!/usr/bin/env python3
"""Runs gd-export-lint --format sarif on fixtures and validates the output against the official
SARIF 2.1.0 schema (testdata/schemas/sarif-schema-2.1.0.json)."""
import json
import pathlib
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipping the SARIF schema check")
    sys.exit(0)

binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
schema = json.loads((root / "testdata/schemas/sarif-schema-2.1.0.json").read_text())
inputs = sorted(str(p) for p in (root / "testdata").rglob("*.json") if "schemas" not in p.parts)
inputs += [str(p) for p in sorted((root / "examples").rglob("*.json"))]
# Containers too: their notes become tool notifications.
for pattern in ("*.yaml", "*.tf"):
    inputs += [str(p) for p in sorted((root / "testdata").rglob(pattern))]
    inputs += [str(p) for p in sorted((root / "examples").rglob(pattern))]
inputs.append(str(root / "no-such-file.json"))  # an unreadable input becomes a notification
result = subprocess.run([binary, "check", "--format", "sarif", *inputs], capture_output=True)
if result.returncode not in (0, 1, 2):
    sys.exit(f"unexpected exit code {result.returncode}: {result.stderr.decode()}")
sarif = json.loads(result.stdout)
jsonschema.validate(sarif, schema)
count = len(sarif["runs"][0]["results"])
if count == 0:
    sys.exit("expected results from the broken fixtures")
print(f"SARIF output with {count} results is valid against the 2.1.0 schema")

# GitHub code scanning: every security rule has a security-severity (a number in a string) and a
# precision; %SRCROOT% is declared; help links name this release, not a moving branch.
run = sarif["runs"][0]
if "%SRCROOT%" not in run.get("originalUriBaseIds", {}):
    sys.exit("%SRCROOT% is used but not declared in originalUriBaseIds")
for rule in run["tool"]["driver"]["rules"]:
    props = rule.get("properties", {})
    try:
        float(props["security-severity"])
    except (KeyError, ValueError):
        sys.exit(f"{rule['id']}: no numeric security-severity")
    if props.get("precision") not in ("very-high", "high", "medium", "low"):
        sys.exit(f"{rule['id']}: no precision")
    if rule["id"] == "GD000" and "security" in props.get("tags", []):
        sys.exit("GD000 (an internal error) is tagged as security")
    if "/blob/main/" in rule.get("helpUri", ""):
        sys.exit(f"{rule['id']}: helpUri points at the moving main branch")
print("every rule has security-severity and precision")

# `verify --format sarif`: each setup of the verify fixtures and the real setups, valid against
# the same schema, every result with its witness request.
verified = 0
setups = sorted(p for p in (root / "testdata/verify").iterdir() if p.is_dir())
setups += sorted(p for p in (root / "testdata/realworld").iterdir() if p.is_dir())
for setup in setups:
    result = subprocess.run([binary, "verify", "--format", "sarif", str(setup)], capture_output=True)
    if result.returncode == 2:
        continue  # no export setup to verify there
    if result.returncode not in (0, 1):
        sys.exit(f"verify {setup}: unexpected exit code {result.returncode}: {result.stderr.decode()}")
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, schema)
    for r in sarif["runs"][0]["results"]:
        if r["ruleId"].startswith("verify/") and "never-applies" not in r["ruleId"] and \
                "always-denied" not in r["ruleId"] and "never-direct" not in r["ruleId"] and \
                "witness" not in r.get("properties", {}):
            sys.exit(f"verify {setup}: {r['ruleId']} without a witness")
        verified += 1
if verified == 0:
    sys.exit("expected verify results from the fixtures")
print(f"verify SARIF output with {verified} results is valid against the 2.1.0 schema")
