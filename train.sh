#!/usr/bin/env bash
# Trains the default model on the built-in synthetic armor data (README command 1). Extra arguments go to
# `nanodet train`, e.g. ./train.sh --set schedule:total_epochs=5
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-native-deps.sh
exec dotnet run -c Release --project src/Host -- train "$@"
