#!/usr/bin/env python3
"""Regenerates rules/README.md from rules/*.json (a test checks it documents every rule)."""
import glob
import json
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = ["# Rule reference", "",
       "Each rule's metadata lives in `rules/<ID>-<name>.json` and is compiled into the binary;",
       "`gd-export-lint explain <ID>` prints the same text. Regenerate this page with",
       "`python3 scripts/gen-rule-docs.py` (a test checks that every rule has its section here).", "",
       "## What the severities mean", "",
       "Every rule obeys one contract (a project's `severity` setting can still raise or lower a rule):", "",
       "- **error**: AWS rejects the document; the input cannot be read; or one of GuardDuty's requests, for a",
       "  Region the export is configured in, is denied when simulated (including a proven identity mismatch: the",
       "  key or bucket the policies protect is not the export's).",
       "- **warning**: a hardening gap shown by someone else's simulated request (another account's GuardDuty, an",
       "  upload without SSE-KMS or with another key, a plain-HTTP request, a stranger), or a statement that can",
       "  never apply.",
       "- **note**: rests on an assumption (a Region the export may not use, a value simulated with a stand-in, a",
       "  header GuardDuty is assumed to send), or style.", "",
       "A rule that reads text agrees with the evaluator: where GuardDuty's simulated request is allowed, no rule",
       "says it fails. Values that widen access beyond the export (other accounts, Regions, principals, keys) are",
       "at most one hardening finding per statement, never an error per value. Stand-in values (for settings",
       "nobody gave and no document names) are shown as placeholders such as `<DETECTOR_ID>`, never as facts, and",
       "a finding that rests on one is a note that says so. Each rule's metadata also says what its conclusion",
       "needs (`needs`: the `document` text, a `setup` simulation, `every-allow` or `every-deny` of a document,",
       "or `allowed`: the Allow that admits someone else's request, and every Deny),",
       "so a value unknown offline (a template's `Fn::ImportValue`, a Terraform interpolation) drops exactly the",
       "conclusions it makes uncertain: a statement holding one matters only when it may cover the rule's",
       "`requests` (its actions), made by whom the rule asks about (`requested_by`: `guardduty`, or `others`,",
       "whom a statement naming GuardDuty alone never covers).", ""]
def fix_kind(r):
    kind = r.get("fixKind", "unsafe")
    if kind == "safe":
        return " *(`check --fix` applies this fix.)*"
    if kind == "unsafe":
        return " *(An unsafe fix: it changes who has access or adds statements; `check --fix --unsafe-fixes` applies it.)*"
    return ""


for f in sorted(glob.glob(os.path.join(root, "rules", "*.json")) + glob.glob(os.path.join(root, "rules", "scenarios", "*.json")), key=os.path.basename):
    r = json.load(open(f))
    out += [f'<a id="{r["anchor"]}"></a>', f'## {r["id"]} {r["name"]} ({r["severity"]})', "", r["summary"], "",
            "**Why is this bad?** " + r["why"], "", "**Example**", "", "```json", r["example"]["bad"], "```", "",
            "**Use instead**", "", "```json", r["example"]["good"], "```", "", "**Fix:** " + r["fix"] + fix_kind(r), ""]
open(os.path.join(root, "rules", "README.md"), "w").write("\n".join(out))
