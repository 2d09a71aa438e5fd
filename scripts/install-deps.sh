#!/usr/bin/env bash
# Installs the Debian packages gd-export-lint needs to build and test, if any are missing.
# Usage: bash scripts/install-deps.sh   (clang-14 and its runtime are for the fuzz harnesses)
set -euo pipefail
packages=(g++ cmake make pkg-config rapidjson-dev libre2-dev libfmt-dev libcli11-dev doctest-dev
          libyaml-dev python3 python3-jsonschema clang-14 libclang-rt-14-dev patch
          git pre-commit)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
