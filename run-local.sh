#!/usr/bin/env bash
# The whole order pipeline on this machine, one command, no configuration:
# a real KRaft Kafka broker (127.0.0.1:9092), Apicurio Registry (127.0.0.1:8085), the token issuer auth-server (9000),
# ingest-api (8080), query-ws-service (8081) and stream-processor (8082). State lives in .local-stack/ and survives
# restarts.
#
#   ./run-local.sh            build what is missing or stale, then start; Ctrl-C stops everything
#   ./run-local.sh --reset    wipe .local-stack/ (Kafka data, registry schemas, state stores, logs) first
#   ./run-local.sh --build    rebuild before starting even if the jars look current
#   ./run-local.sh --processors 2 --query-instances 2
#                             several stream-processor / query-ws-service instances (default 1 each); the extra ones
#                             take ports from 8083 (LOCAL_STACK_EXTRA_PORT), all printed in the start-up table
#   ./run-local.sh --help     the launcher's usage
#
# Every service instance is supervised: one that exits is restarted with backoff (1 s doubling to 30 s) while the
# rest keeps running, until LOCAL_STACK_RESTART_LIMIT (5) exits within LOCAL_STACK_RESTART_WINDOW (300 s); Kafka or
# the registry exiting stops the stack.
#
# Service settings come from the environment (Spring relaxed binding), e.g.
#   ORDERS_EXCHANGE_FAILURERATE=0.5 ./run-local.sh
# The launcher's own settings: LOCAL_STACK_HOME, LOCAL_STACK_{KAFKA,REGISTRY,AUTH,INGEST,QUERY,PROCESSOR,EXTRA}_PORT,
# LOCAL_STACK_SERVICE_JVM_OPTS, LOCAL_STACK_START_TIMEOUT (seconds), LOCAL_STACK_RESTART_LIMIT,
# LOCAL_STACK_RESTART_WINDOW (seconds). See local-stack/README.md.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob

build=false
args=()
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    *) args+=("$arg") ;;
  esac
done

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java_bin" >/dev/null 2>&1; then
  echo "run-local: no java found (install JDK 17 or newer, or set JAVA_HOME)" >&2
  exit 1
fi

modules=(infra schemas shared auth-server exchange-simulator fix-gateway ingest-api stream-processor query-ws-service local-stack)

stamp=local-stack/target/run-local.built

# Every jar must exist, and no source or pom may have changed since the last build by this script
# (a stamp file, because Maven leaves an unchanged jar's timestamp alone).
jars_current() {
  local jar
  for module in auth-server exchange-simulator ingest-api stream-processor query-ws-service; do
    jar=("$module"/target/"$module"-*-exec.jar)
    [ ${#jar[@]} -eq 1 ] || return 1
  done
  launcher_jar || return 1
  [ -f "$stamp" ] || return 1
  local sources=(pom.xml)
  for module in "${modules[@]}"; do sources+=("$module/pom.xml" "$module/src"); done
  [ -z "$(find "${sources[@]}" -type f -newer "$stamp" -print -quit 2>/dev/null)" ]
}

launcher_jar() {
  local candidates=()
  for jar in local-stack/target/local-stack-*.jar; do
    case "$jar" in *-tests.jar|*-sources.jar|*-javadoc.jar) ;; *) candidates+=("$jar") ;; esac
  done
  [ ${#candidates[@]} -eq 1 ] || return 1
  launcher="${candidates[0]}"
  [ -d local-stack/target/lib ]
}

if $build || ! jars_current; then
  echo "run-local: building the services and the launcher (./mvnw -B -q package -DskipTests -pl auth-server,exchange-simulator,local-stack -am) ..."
  start=$(date +%s)
  mkdir -p local-stack/target && touch "$stamp.new"   # edits made during the build count as newer
  # -am follows the launcher's test-scoped dependencies, so the three services are built too; the issuer is named
  # (it is no dependency of the launcher: its Spring Security must stay off the end-to-end tests' classpath).
  # -Dspotless.check.skip: running edited code must not wait for formatting (the test command checks it)
  ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true -pl auth-server,exchange-simulator,local-stack -am
  mv "$stamp.new" "$stamp"
  echo "run-local: built in $(( $(date +%s) - start )) s"
fi
launcher_jar || { echo "run-local: local-stack/target/local-stack-*.jar missing after the build" >&2; exit 1; }

# The launcher runs in the background so that Ctrl-C reaches only this script (background jobs of a
# non-interactive shell ignore SIGINT, and so do their children): the script turns it into one SIGTERM for the
# launcher, which then stops the services first, the registry next and Kafka last.
"$java_bin" -Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Dlocal-stack.root="$PWD" -jar "$launcher" ${args[@]+"${args[@]}"} &
pid=$!
signalled=false
trap 'signalled=true; kill -TERM "$pid" 2>/dev/null || true' INT TERM HUP

set +e
wait "$pid"
rc=$?
# A wait interrupted by the trap returns early; keep waiting while the launcher stops the stack.
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid"
  rc=$?
done
# A stop the user asked for is a success, although the JVM reports SIGTERM (143).
if $signalled && [ "$rc" -gt 128 ]; then rc=0; fi
exit "$rc"
