#!/usr/bin/env bash
# Long fuzzing runs (minutes): the loader with Hypothesis, the API with schemathesis from its OpenAPI document.
# The test suite runs the same tests with small budgets.
set -euo pipefail
cd "$(dirname "$0")/.."
KB_FUZZ_EXAMPLES=${KB_FUZZ_EXAMPLES:-20000} KB_API_FUZZ_EXAMPLES=${KB_API_FUZZ_EXAMPLES:-400} \
  .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_loader_fuzz.py tests/test_api_fuzz.py "$@"
