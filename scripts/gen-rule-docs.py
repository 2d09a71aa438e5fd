#!/usr/bin/env python3
"""Regenerates rules/README.md from rules/*.json (a test checks it documents every rule)."""
import glob
import json
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = ["# Rule reference", "",
       "Each rule's metadata lives in `rules/<ID>-<name>.json` and is compiled into the binary;",
       "`gd-export-lint explain <ID>` prints the same text. Regenerate this page with",
       "`python3 scripts/gen-rule-docs.py` (a test checks that every rule has its section here).", ""]
for f in sorted(glob.glob(os.path.join(root, "rules", "*.json")) + glob.glob(os.path.join(root, "rules", "scenarios", "*.json")), key=os.path.basename):
    r = json.load(open(f))
    out += [f'<a id="{r["anchor"]}"></a>', f'## {r["id"]} {r["name"]} ({r["severity"]})', "", r["summary"], "",
            "**Why is this bad?** " + r["why"], "", "**Example**", "", "```json", r["example"]["bad"], "```", "",
            "**Use instead**", "", "```json", r["example"]["good"], "```", "", "**Fix:** " + r["fix"], ""]
open(os.path.join(root, "rules", "README.md"), "w").write("\n".join(out))
