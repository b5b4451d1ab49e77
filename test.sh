#!/usr/bin/env bash
# Runs the whole test suite (README command 2). Installs the one native dependency first (idempotent).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-native-deps.sh
rm -rf TestResults
exec dotnet test NanoDet.slnx -c Release --logger "trx" --results-directory TestResults "$@"
