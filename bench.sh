#!/usr/bin/env bash
# The benchmark: starts the embedded stack (./run-local.sh, fresh state under bench/target/stack), runs the load
# generator and the same-run Kafka baselines against it, stops the stack, runs the JMH micro-benchmarks, then prints
# the table and writes it to bench/results/<date>.md, with SVG plots beside it (latest-*.svg from full runs).
#
#   ./bench.sh                 full run (about 14 minutes on 2 cores)
#   ./bench.sh --quick         about 5 minutes, smaller sizes and shorter steps
#   ./bench.sh --phases=baselines,ingest,e2e     only some phases (see bench/README.md); jmh runs after the stack
#   ./bench.sh --standalone --phases=baselines,jmh   no services: broker + registry only (baselines, JMH)
#
# A stack already listening on the ingest port is used as it is (and left running). Otherwise the stack is started
# with the venue (exchange-simulator, over FIX) at 0 added latency and no failures (ORDERS_VENUE_FAULTS_LATENCYMS=0,
# ORDERS_VENUE_FAULTS_FAILURERATE=0; override them on the command line), and stopped at the end.
# Ports follow the launcher's variables: LOCAL_STACK_{KAFKA,REGISTRY,AUTH,INGEST,QUERY,PROCESSOR}_PORT.
# JDK: JAVA_HOME (stack and generator), e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./bench.sh --quick.
# Service JVM flags: LOCAL_STACK_SERVICE_JVM_OPTS (the launcher's).
set -euo pipefail
cd "$(dirname "$0")"

quick=()
phases=""
standalone=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    --phases=*) phases="${arg#--phases=}" ;;
    --standalone) standalone=(--standalone) ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $arg (see ./bench.sh --help)" >&2; exit 2 ;;
  esac
done
all="baselines,page-small,ingest,e2e,e2e-max,batch,topology,query,recovery,page-large,jmh"
phases="${phases:-$all}"
stack_phases="$(tr ',' '\n' <<<"$phases" | grep -v '^jmh$' | paste -sd, - || true)"
run_jmh=false; grep -qx jmh <<<"$(tr ',' '\n' <<<"$phases")" && run_jmh=true

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
kafka_port="${LOCAL_STACK_KAFKA_PORT:-9092}"
registry_port="${LOCAL_STACK_REGISTRY_PORT:-8085}"
ingest_port="${LOCAL_STACK_INGEST_PORT:-8080}"
query_port="${LOCAL_STACK_QUERY_PORT:-8081}"
processor_port="${LOCAL_STACK_PROCESSOR_PORT:-8082}"
auth_port="${LOCAL_STACK_AUTH_PORT:-9000}"
venue_admin_port="${LOCAL_STACK_VENUE_ADMIN_PORT:-8086}"
export BENCH_BOOTSTRAP="127.0.0.1:$kafka_port"
export BENCH_REGISTRY_URL="http://127.0.0.1:$registry_port/apis/registry/v2"
export BENCH_INGEST_URL="http://127.0.0.1:$ingest_port"
export BENCH_QUERY_URL="http://127.0.0.1:$query_port"
export BENCH_PROCESSOR_PORT="$processor_port"
export BENCH_VENUE_ADMIN_PORT="$venue_admin_port"
# the bench authenticates like a client: a token from the launcher's issuer (auth-server), BENCH_CLIENT (ops)
export BENCH_ISSUER_URL="${BENCH_ISSUER_URL:-http://127.0.0.1:$auth_port}"
export BENCH_HOME="$PWD/bench"
export ORDERS_VENUE_FAULTS_LATENCYMS="${ORDERS_VENUE_FAULTS_LATENCYMS:-0}"
export ORDERS_VENUE_FAULTS_FAILURERATE="${ORDERS_VENUE_FAULTS_FAILURERATE:-0}"
work="bench/target/run"
mkdir -p "$work/logs"
rm -f "$work/restarted.pids"

# 1. Build the harness when it is missing or older than its sources.
jar=bench/target/bench.jar
if [ ! -f "$jar" ] || [ ! -f bench/target/classpath.txt ] \
    || [ -n "$(find bench/pom.xml bench/src -newer "$jar" -print -quit)" ]; then
  echo "bench: building the harness (./mvnw -B -q package -DskipTests -pl bench -am) ..."
  ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true -pl bench -am
fi
cp="$jar:$(cat bench/target/classpath.txt)"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# 2. The stack: reuse one that runs, else start a fresh one with run-local.sh.
started=false
detached=false
stack_pid=""
stop_stack() {
  if ! $started; then return; fi
  started=false
  echo "bench: stopping the stack ..."
  if $detached; then
    "$java_bin" -cp "$cp" io.orderpipeline.bench.stack.StopStack \
      "$kafka_port" "$registry_port" "$ingest_port" "$processor_port" "$query_port" "$auth_port" "$venue_admin_port" \
      >>"$work/logs/stack.log" 2>&1 || true
  else
    kill -TERM "$stack_pid" 2>/dev/null || true
    wait "$stack_pid" 2>/dev/null || true
  fi
  if [ -f "$work/restarted.pids" ]; then
    while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$work/restarted.pids"
  fi
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

if [ -n "$stack_phases" ] && [ ${#standalone[@]} -eq 0 ]; then
  if listening "$ingest_port"; then
    echo "bench: using the stack already listening on 127.0.0.1:$ingest_port (left running)"
  else
    [ -x ./run-local.sh ] || { echo "bench: ./run-local.sh not found; start the stack yourself or use --standalone" >&2; exit 1; }
    export LOCAL_STACK_HOME="${LOCAL_STACK_HOME:-$PWD/bench/target/stack}"
    echo "bench: starting the stack (./run-local.sh --reset, state in $LOCAL_STACK_HOME, log $work/logs/stack.log) ..."
    setsid ./run-local.sh --reset >"$work/logs/stack.log" 2>&1 &
    stack_pid=$!
    started=true
    deadline=$(( $(date +%s) + ${BENCH_STACK_TIMEOUT:-600} ))
    until grep -q "Press Ctrl-C to stop" "$work/logs/stack.log" 2>/dev/null; do
      if ! kill -0 "$stack_pid" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
        echo "bench: the stack did not come up; last lines of $work/logs/stack.log:" >&2
        tail -20 "$work/logs/stack.log" >&2
        exit 1
      fi
      sleep 2
    done
    sleep 1
    grep -E "ready after|up in|RSS|total" "$work/logs/stack.log" | sed 's/^/  /' || true
    BENCH_STACK_STARTUP="$(grep -m1 'up in' "$work/logs/stack.log" || true)"
    export BENCH_STACK_STARTUP
    # The launcher stops the whole stack when any service exits; the topology and recovery phases stop and SIGKILL
    # the stream-processor on purpose. So the launcher is detached (SIGKILL: its services, which log to files,
    # run on) and this script stops the services itself at the end.
    if grep -qE '(^|,)(topology|recovery)(,|$)' <<<"$stack_phases"; then
      launcher=$(pgrep -P "$stack_pid" -f 'local-stack' || true)
      if [ -n "$launcher" ]; then
        kill -KILL "$launcher"
        detached=true
        echo "bench: launcher (pid $launcher) detached; the services keep running"
      fi
    fi
  fi
fi

status=0
if [ -n "$stack_phases" ]; then
  "$java_bin" -Xms256m -Xmx1g -cp "$cp" io.orderpipeline.bench.BenchMain ${quick[@]+"${quick[@]}"} \
    ${standalone[@]+"${standalone[@]}"} --phases="$stack_phases" || status=$?
fi
stop_stack

if $run_jmh; then
  merge=()
  [ -n "$stack_phases" ] && merge=(--merge)
  "$java_bin" -Xmx256m -cp "$cp" io.orderpipeline.bench.BenchMain ${quick[@]+"${quick[@]}"} --phases=jmh \
    ${merge[@]+"${merge[@]}"} || status=$?
fi
exit "$status"
