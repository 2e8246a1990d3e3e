#!/usr/bin/env bash
# Start-up soak: N fresh starts of the embedded stack in a row, each exactly as a new user runs it
# (./run-local.sh --reset), reporting how many came up and how long each took.
#
#   local-stack/soak-start.sh [N]        N defaults to 10
#
# A start counts as "up" when the launcher prints "Order pipeline up in …" AND an order posted to ingest-api is read
# back PLACED from query-ws-service (the whole path works, not just the health checks), with a trader-1 token from the
# stack's own issuer (auth-server) on both requests. Each run is then stopped the
# way Ctrl-C stops it (one SIGTERM to run-local.sh) and must exit 0. A run that fails keeps its output in
# .local-stack-soak/run-<i>.out and the stack's logs in .local-stack-soak/logs-<i>/.
#
# Uses the default ports (LOCAL_STACK_*_PORT move them, as for run-local.sh); builds once first if needed.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-10}"
timeout="${LOCAL_STACK_START_TIMEOUT:-300}"
out_dir=.local-stack-soak
ingest="http://127.0.0.1:${LOCAL_STACK_INGEST_PORT:-8080}"
query="http://127.0.0.1:${LOCAL_STACK_QUERY_PORT:-8081}"
home="${LOCAL_STACK_HOME:-$PWD/.local-stack}"
issuer="http://127.0.0.1:${LOCAL_STACK_AUTH_PORT:-9000}"
rm -rf "$out_dir" && mkdir -p "$out_dir"

echo "soak-start: $runs fresh starts (./run-local.sh --reset) on $(nproc) CPUs, $(uname -n), $(date -u '+%Y-%m-%d %H:%M UTC')"
./run-local.sh --help >/dev/null 2>&1 || true   # builds what is missing, without starting anything

# Posts one order as trader-1 (a token from the stack's issuer, as the printed curl gets it) and waits until
# query-ws-service shows it PLACED to trader-1; prints the seconds it took (token request included).
order_round_trip() {
  local begin token location id status deadline
  begin=$(date +%s.%N)
  token=$(curl -s -u trader-1:trader-1-secret -d grant_type=client_credentials -d scope='orders:write orders:read' \
    "$issuer/oauth2/token" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || return 1
  location=$(curl -s -D - -o /dev/null -X POST "$ingest/orders" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"accountId\":\"acc-1\",\"clientOrderId\":\"soak-$1\",\"symbol\":\"AAPL\",\"side\":\"BUY\",\"orderType\":\"LIMIT\",\"quantity\":1,\"price\":\"187.25\"}" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
  id="${location##*/}"
  [ -n "$id" ] || return 1
  deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    status=$(curl -s -H "Authorization: Bearer $token" "$query/orders/$id" | sed -n 's/.*"status":"\([A-Z_]*\)".*/\1/p')
    if [ "$status" = "PLACED" ]; then
      awk -v b="$begin" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-b}'
      return 0
    fi
    sleep 0.2   # polling interval of a shell client, not a wait for a condition
  done
  return 1
}

up=0
times=()
for i in $(seq 1 "$runs"); do
  log="$out_dir/run-$i.out"
  begin=$(date +%s.%N)
  ./run-local.sh --reset >"$log" 2>&1 &
  pid=$!
  result="did not come up"
  deadline=$(( $(date +%s) + timeout + 30 ))
  while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
    if grep -q "Order pipeline up in" "$log"; then
      result=up
      break
    fi
    sleep 0.5   # polling the launcher's output
  done
  took=$(awk -v b="$begin" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-b}')
  reported=$(sed -n 's/.*Order pipeline up in \([0-9.]*\) s.*load average \([0-9., ]*\)).*/\1 s (load average \2)/p' "$log")
  if [ "$result" = up ]; then
    if round_trip=$(order_round_trip "$i"); then
      result="up in $took s, launcher: $reported; first order PLACED after $round_trip s"
      up=$((up + 1))
      times+=("$took")
    else
      result="healthy after $took s but the first order was not PLACED within 60 s"
    fi
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  if [ "$rc" -ne 0 ] && [[ "$result" == up* ]]; then
    result="$result; but stopping exited $rc"
    up=$((up - 1))
  fi
  if [[ "$result" != up* ]] || [ "$rc" -ne 0 ]; then
    cp -r "$home/logs" "$out_dir/logs-$i" 2>/dev/null
    echo "  run $i: FAILED: $result (output: $log)"
    grep -m3 -iE "failed|exception|error" "$log" | sed 's/^/      /'
  else
    echo "  run $i: $result"
  fi
done

if [ ${#times[@]} -gt 0 ]; then
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  range=$(printf '%s\n' "${times[@]}" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END{print lo "–" hi}')
else
  median=n/a
  range=n/a
fi
echo "soak-start: $up of $runs starts came up (start to healthy: median $median s, range $range s); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$up" -eq "$runs" ]
