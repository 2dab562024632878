#!/usr/bin/env bash
# The whole test suite from a fresh machine: installs what the tests need from Debian's packages,
# starts a private redis-server on a free loopback port, runs every test project of the solution,
# then the JavaScript client's tests (clients/js, Node's test runner against the front built here) and the pages'
# browser tests (tests/pages, Debian's Chromium driven by playwright-core against that front),
# prints "tests: N passed, N failed", and stops everything it started, also when tests fail.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
run_dir="$root/.test-run"
rm -rf "$run_dir"
mkdir -p "$run_dir"

# Debian packages the tests talk to (real servers, not mocks): Prometheus scrapes the metrics tests' hosts, nginx
# fronts the deployment test's cluster with deploy/nginx's configuration, Chromium runs the pages' browser tests (with a
# Chinese font, so that their screenshots show the labels).
# Each package comes with the check that says it is installed (aiosmtpd is a module of Debian's /usr/bin/python3,
# not of whatever python3 is first on PATH).
packages=(redis-server python3-aiosmtpd prometheus nginx chromium fonts-wqy-microhei)
checks=("command -v redis-server" "/usr/bin/python3 -c 'import aiosmtpd'" "test -x /usr/bin/prometheus" "test -x /usr/sbin/nginx"
  "test -x /usr/bin/chromium" "test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

install_missing() {
  local missing=() i
  for i in "${!packages[@]}"; do
    eval "${checks[$i]}" >/dev/null 2>&1 || missing+=("${packages[$i]}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} from Debian's packages"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  # Keep apt from starting the packaged services: the tests start private instances on free ports.
  local policy=/usr/sbin/policy-rc.d added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && added_policy=1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$added_policy" ] && $sudo rm -f "$policy"
  return 0
}

# A free port below the kernel's ephemeral range (as the tests' FreePort does), so no outgoing connection takes it first.
free_port() {
  python3 -c '
import random, socket
while True:
    port = random.randrange(20000, 32768)
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", port)); print(port); break
    except OSError:
        pass
    finally:
        s.close()'
}

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# Waits until a command succeeds, polling, for at most $1 seconds.
wait_for() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for: $*" >&2; return 1; }
    sleep 0.1
  done
}

install_missing

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --logfile "$run_dir/redis.log" --dir "$run_dir" &
pids+=($!)
wait_for 20 redis-cli -p "$redis_port" ping
echo "redis-server on 127.0.0.1:$redis_port"
export WEDRAWOS_TEST_REDIS="127.0.0.1:$redis_port"

status=0
dotnet test WeDrawOS.Orleans.sln -c Release \
  --results-directory "$run_dir/results" \
  --logger "trx" --logger "console;verbosity=normal" \
  --blame-hang-timeout 5m || status=$?

passed=0 failed=0
for trx in "$run_dir"/results/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  passed=$((passed + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")))
  failed=$((failed + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")))
done

# Runs Node's test runner in folder $1 on the test files that follow $2 (spec to the log, TAP to the file $2) and adds
# its counts to the totals; a run that leaves no count counts as one failure.
run_node_tests() {
  local dir=$1 tap=$2 node_passed node_failed
  shift 2
  (cd "$dir" && node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@") || status=$?
  node_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)
  node_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)
  passed=$((passed + ${node_passed:-0}))
  failed=$((failed + ${node_failed:-1}))
  if grep -q '^not ok' "$tap"; then
    grep -A 12 '^not ok\|^    not ok' "$tap" | head -n 80
  fi
}

# The JavaScript client library (clients/js): installed from its lock file, type-checked and compiled by its build,
# then its Node tests, which start the front built above (WebFront/bin/Release) as a process of their own.
# Then the pages (WebFront/wwwroot): their modules type-checked against the library, and their browser tests, which
# start that front too and leave a screenshot of each step in $run_dir/results/screenshots.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is needed for clients/js and tests/pages (found: $(node --version 2>/dev/null || echo none))" >&2
  status=1
  failed=$((failed + 1))
else
  if npm --prefix clients/js ci --no-audit --no-fund --loglevel=error && npm --prefix clients/js run --silent build; then
    run_node_tests clients/js "$run_dir/js-tests.tap" "$root"/clients/js/test/*.test.mjs
  else
    echo "clients/js did not install or build" >&2
    status=1
    failed=$((failed + 1))
  fi
  if npm --prefix tests/pages ci --no-audit --no-fund --loglevel=error && npm --prefix tests/pages run --silent typecheck; then
    PAGES_SCREENSHOTS="$run_dir/results/screenshots" run_node_tests tests/pages "$run_dir/pages-tests.tap" "$root"/tests/pages/*.test.mjs
  else
    echo "tests/pages did not install, or the pages did not type-check" >&2
    status=1
    failed=$((failed + 1))
  fi
fi

# The failures again at the end, where a CI log's tail shows them: name, message, the first lines of the stack.
if [ "$failed" -gt 0 ]; then
  python3 - "$run_dir"/results/*.trx <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        print(f"FAILED {result.get('testName')} ({result.get('duration')})")
        for tag in ("Message", "StackTrace"):
            node = result.find(f".//t:ErrorInfo/t:{tag}", ns)
            if node is not None and node.text:
                lines = node.text.strip().splitlines()
                print("\n".join("  " + line for line in lines[:12]))
PY
fi
echo "tests: $passed passed, $failed failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
exit "$status"
