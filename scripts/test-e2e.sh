#!/usr/bin/env bash
# End-to-end tests (`npm run test:e2e`; see docs/e2e.md):
#   set-up (scripts/setup-e2e.sh) -> build -> package (.vsix) -> VSIX contents test
#   -> extension-host suite (mocha inside code-server's extension host, via @vscode/test-electron + code-shim)
#   -> user-seat suite (playwright-core + Chromium clicking the workbench with the .vsix installed).
# Every mocha run prints its own "N passing / N failing" summary; the script goes on after a failing suite and
# exits non-zero if any step failed. Screenshots: test-results/e2e/.
# Env: E2E_SKIP_SETUP=1 (skip the set-up), E2E_TIMEOUT (seconds for each suite, default 600), plus those of
#      scripts/setup-e2e.sh, test/e2e/run-exthost.mjs, test/e2e/ui.test.ts and test/e2e/ui-fixes.test.ts.
set -uo pipefail
cd "$(dirname "$0")/.."

T0=$(date +%s)
status=0
TIMINGS=()
SUITE_TIMEOUT=${E2E_TIMEOUT:-600}
run() { # run <label> <command...>: runs, times and records a step; a failure does not stop the others
  local label=$1; shift
  local t; t=$(date +%s)
  echo
  echo "=== test:e2e: $label"
  "$@"
  local rc=$?
  TIMINGS+=("$(printf '%-34s %4d s  %s' "$label" "$(( $(date +%s) - t ))" "$([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)")")")
  [ $rc -eq 0 ] || status=1
  return $rc
}
mocha_e2e() { timeout -k 10 "$SUITE_TIMEOUT" npx mocha --config test/e2e/.mocharc.json "$@"; }

if [ "${E2E_SKIP_SETUP:-}" != 1 ]; then
  run "set-up" bash scripts/setup-e2e.sh || { echo "test:e2e: set-up failed; not running the tests"; printf '  0 passing\n  1 failing\n'; exit 1; }
fi

# `npm run package` builds dist/ in production mode, builds the catalog and writes iso27017-<version>.vsix.
if run "build + package" npm run --silent package; then
  run "VSIX contents" mocha_e2e test/e2e/vsix.test.ts
  run "bundle extension-host tests" node test/e2e/build-tests.mjs &&
    run "extension-host suite" timeout -k 10 "$SUITE_TIMEOUT" node test/e2e/run-exthost.mjs
  run "user-seat suite (UI)" mocha_e2e test/e2e/ui.test.ts
  # After ui.test.ts, which clears test-results/e2e/ui/ when it starts; this one only replaces its own fixes-*.png.
  run "user-seat suite (fixes, checklist)" mocha_e2e test/e2e/ui-fixes.test.ts
else
  echo "test:e2e: packaging failed; the suites need the build"
  printf '  0 passing\n  1 failing\n'
fi

echo
echo "=== test:e2e: done in $(( $(date +%s) - T0 )) s"
printf '    %s\n' "${TIMINGS[@]}"
exit $status
