#!/usr/bin/env bash
# CI step: the container images build without a Docker daemon and run.
#  1. a JRE base image from Debian packages (deploy/images/build-base-image.sh; cached by script hash)
#  2. both images by Jib (mvn -Pimage, base = that tarball), loaded into podman
#  3. a real Kafka broker and PostgreSQL on this host's loopback (ImageCheckBackends, in
#     deploy-validation's test classes); the containers use the host network to reach them
#  4. the migration Job's command (worker image, MigrateMain) migrates that database
#  5. the API image answers /healthz and /readyz, runs java as PID 1 as uid 10001 with the heap
#     sized from the container's memory limit, and stops on SIGTERM before the grace period
#  6. the worker image joins its consumer group, then on SIGTERM stops and leaves the group at once
# Containers run as in the manifests: read-only root, all capabilities dropped, no new privileges.
# Prints PASS/FAIL per check and a closing "images-check: N passed, M failed"; exits 1 on any
# failure. Bounded: every wait has its own limit and the whole run stops after IMAGES_CHECK_TIMEOUT
# seconds (default 440, plus up to 40 s of cleanup: 8 min in all). Needs root (podman, debootstrap); installs podman, runc and debootstrap
# from Debian when missing.
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/ci/podman.sh

if [ -z "${IMAGES_CHECK_BOUNDED:-}" ]; then
    IMAGES_CHECK_BOUNDED=1 timeout --kill-after=40 "${IMAGES_CHECK_TIMEOUT:-440}" bash "$0" "$@"
    code=$?
    if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
        echo "FAIL images-check: stopped after ${IMAGES_CHECK_TIMEOUT:-440} s"
    fi
    exit "$code"
fi

# The migration Job's command (deploy/k8s/base/migrate-job.yaml; deploy-validation checks they agree).
MIGRATE_COMMAND="java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -cp @/app/jib-classpath-file dev.spinmatch.schema.MigrateMain"
GROUP=images-check
API=images-check-api
WORKER=images-check-worker
WORK=$(mktemp -d "${TMPDIR:-/tmp}/images-check.XXXXXX")
passed=0
failed=0
backends_pid=
child=
images=()

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
step() { echo "---- images-check: $*"; }

cleanup() {
    [ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
    podman rm -f -t 0 "$API" "$WORKER" images-check-migrate >/dev/null 2>&1
    if [ -n "$backends_pid" ]; then
        kill "$backends_pid" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$backends_pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$backends_pid" 2>/dev/null
    fi
    [ ${#images[@]} -gt 0 ] && podman rmi -f "${images[@]}" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

finish() {
    echo "images-check: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# Stops the run: later checks need what failed here.
fatal() {
    fail "$@"
    finish
}

# bounded SECONDS COMMAND...: runs COMMAND with a time limit, in the background so that a TERM to
# this script (the overall limit) is handled at once rather than after COMMAND ends
bounded() {
    local limit=$1 rc
    shift
    timeout "$limit" "$@" &
    child=$!
    wait "$child"
    rc=$?
    child=
    return "$rc"
}

free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 20000))
        ss -Htln "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
    done
}

# wait_http CONTAINER URL SECONDS: true once URL answers 2xx; false at once if the container exited
wait_http() {
    local deadline=$((SECONDS + $3))
    while [ $SECONDS -lt $deadline ]; do
        curl -fsS -o /dev/null --max-time 2 "$2" 2>/dev/null && return 0
        [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ] || return 1
        sleep 1
    done
    return 1
}

show_log() {
    echo "     last lines of $1:"
    podman logs "$1" 2>&1 | tail -n 40 | sed 's/^/     | /'
}

# the host-side helpers: deploy-validation's test classes and their classpath (written by the build)
helper_classpath() {
    echo "deploy/validation/target/test-classes:$(cat deploy/validation/target/classpath.txt)"
}

await_group() {
    java -cp "$(helper_classpath)" dev.spinmatch.deploy.images.AwaitConsumerGroup "$KAFKA" "$GROUP" spin.requests "$@"
}

install_tools() {
    podman_install "$WORK/apt.log" || fatal "could not install podman, runc, debootstrap or curl"
}

base_image() {
    BASE="$IMAGES_CACHE/jre17-base-$(image_key deploy/images/build-base-image.sh).tar"
    if [ -s "$BASE" ]; then
        pass "base image: reusing $BASE (built $(date -r "$BASE" +%F))"
        return
    fi
    step "building the JRE base image from Debian packages (about a minute)"
    local start=$SECONDS
    bounded 300 deploy/images/build-base-image.sh "$BASE" >"$WORK/base.log" 2>&1 \
        || { tail -30 "$WORK/base.log"; fatal "base image: build-base-image.sh failed"; }
    pass "base image: built from Debian packages in $((SECONDS - start)) s"
}

build_images() {
    step "building the images with Jib (mvn -Pimage) and the host helpers"
    local start=$SECONDS
    bounded 300 ./mvnw -B -ntp -q -Pimage -DskipTests -Dimage.base="tar://$BASE" \
        -pl deploy/images/producer-api,deploy/images/matcher-worker,deploy/validation -am \
        package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test \
        >"$WORK/maven.log" 2>&1 \
        || { grep -E 'ERROR|FAIL' "$WORK/maven.log" | head -30; fatal "images: maven -Pimage build failed"; }
    pass "images: built by Jib without a Docker daemon in $((SECONDS - start)) s"
}

# load_image MODULE VAR: loads the module's jib-image.tar and stores its image id in VAR
load_image() {
    local dir="deploy/images/$1/target" id
    id=$(grep -o '"imageId":"sha256:[0-9a-f]*"' "$dir/jib-image.json" | cut -d: -f3 | tr -d '"')
    bounded 120 podman load -q -i "$dir/jib-image.tar" >"$WORK/load.log" 2>&1 \
        || { cat "$WORK/load.log"; fatal "$1 image: podman load failed"; }
    images+=("$id")
    printf -v "$2" '%s' "$id"
    local config
    config=$(podman image inspect --format '{{.Config.User}} {{index .Config.Entrypoint 0}}' "$id")
    if [ "$config" = "10001:10001 java" ]; then
        pass "$1 image: loaded; user 10001, entrypoint java (exec form, no shell)"
    else
        fail "$1 image: expected user 10001:10001 and entrypoint java, got '$config'"
    fi
}

start_backends() {
    step "starting Kafka and PostgreSQL on the host"
    # a plain command, so that $! is the JVM itself (its shutdown hook stops Kafka and PostgreSQL)
    java -cp "$(helper_classpath)" dev.spinmatch.deploy.images.ImageCheckBackends "$WORK/backends.env" >"$WORK/backends.log" 2>&1 &
    backends_pid=$!
    local deadline=$((SECONDS + 120))
    while [ ! -s "$WORK/backends.env" ] && [ $SECONDS -lt $deadline ] && kill -0 "$backends_pid" 2>/dev/null; do
        sleep 1
    done
    [ -s "$WORK/backends.env" ] || { tail -30 "$WORK/backends.log"; fatal "backends: Kafka/PostgreSQL did not start"; }
    KAFKA=$(grep '^SPINMATCH_KAFKA_BOOTSTRAP=' "$WORK/backends.env" | cut -d= -f2)
    pass "backends: Kafka at $KAFKA and PostgreSQL on the host"
}

# run_container NAME IMAGE MEMORY [podman args...]: as in the manifests (read-only root, no capabilities)
run_container() {
    local name=$1 image=$2 memory=$3
    shift 3
    podman run -d --name "$name" --network host --memory "$memory" --read-only --cap-drop ALL \
        --security-opt no-new-privileges --env-file "$WORK/backends.env" "$@" "$image" >/dev/null
}

migrate() {
    local code
    # shellcheck disable=SC2086 # the command is words, as in the Job's command list
    bounded 120 podman run --name images-check-migrate --network host --read-only --cap-drop ALL \
        --env-file "$WORK/backends.env" --entrypoint "" "$WORKER_IMAGE" $MIGRATE_COMMAND >"$WORK/migrate.log" 2>&1
    code=$?
    if [ "$code" -eq 0 ]; then
        pass "migration Job command: schema migrated (worker image, MigrateMain)"
    else
        sed 's/^/     | /' "$WORK/migrate.log" | tail -30
        fail "migration Job command: exit code $code"
    fi
    podman rm -f images-check-migrate >/dev/null 2>&1
}

# stop_cleanly NAME GRACE: SIGTERM, and the process must exit by itself before GRACE seconds
stop_cleanly() {
    local start=$SECONDS code
    podman stop -t "$2" "$1" >/dev/null 2>&1
    code=$(podman inspect --format '{{.State.ExitCode}}' "$1")
    if [ "$code" = 0 ] || [ "$code" = 143 ]; then
        pass "$1: stopped on SIGTERM in $((SECONDS - start)) s (exit $code, grace ${2} s)"
    else
        show_log "$1"
        fail "$1: after SIGTERM exit code $code (137 = killed at the end of the grace period)"
    fi
}

# pid1_is_java NAME: java itself is PID 1, as uid 10001, so SIGTERM reaches the JVM
pid1_is_java() {
    local top
    top=$(podman top "$1" pid user args 2>/dev/null | awk '$1 == 1 {print $2, $3}')
    case "$top" in
        "10001 java"*) pass "$1: PID 1 is java, uid 10001" ;;
        *) fail "$1: PID 1 is '$top', expected java as uid 10001" ;;
    esac
}

check_api() {
    local port
    port=$(free_port)
    run_container "$API" "$API_IMAGE" 512m -e SPINMATCH_HTTP_PORT="$port" -e JAVA_TOOL_OPTIONS=-Xlog:gc+init \
        || { fail "api: podman run failed"; return; }
    if ! wait_http "$API" "http://127.0.0.1:$port/healthz" 90; then
        show_log "$API"
        fail "api: /healthz did not answer (container exited, or 90 s passed)"
        return
    fi
    pass "api: /healthz answers"
    if wait_http "$API" "http://127.0.0.1:$port/readyz" 60; then
        pass "api: /readyz answers (Kafka and PostgreSQL reached from the container)"
    else
        show_log "$API"
        fail "api: /readyz not ready within 60 s"
    fi
    local heap
    heap=$(podman logs "$API" 2>&1 | grep -o 'Heap Max Capacity: [0-9A-Z]*')
    if [ "$heap" = "Heap Max Capacity: 384M" ]; then
        pass "api: heap 384M = 75% of the 512M container limit"
    else
        fail "api: heap not sized from the 512M container limit: '$heap'"
    fi
    pid1_is_java "$API"
    stop_cleanly "$API" 30
}

check_worker() {
    local port
    port=$(free_port)
    run_container "$WORKER" "$WORKER_IMAGE" 768m -e SPINMATCH_HTTP_PORT="$port" \
        -e SPINMATCH_WORKER_GROUP_ID="$GROUP" -e SPINMATCH_WORKER_ID="$WORKER" \
        || { fail "worker: podman run failed"; return; }
    if ! wait_http "$WORKER" "http://127.0.0.1:$port/healthz" 90; then
        show_log "$WORKER"
        fail "worker: /healthz did not answer (container exited, or 90 s passed)"
        return
    fi
    pass "worker: /healthz answers"
    if wait_http "$WORKER" "http://127.0.0.1:$port/readyz" 60; then
        pass "worker: /readyz answers"
    else
        show_log "$WORKER"
        fail "worker: /readyz not ready within 60 s"
    fi
    if await_group joined 90 >"$WORK/group.log" 2>&1; then
        pass "worker: joined consumer group: $(tail -1 "$WORK/group.log")"
    else
        show_log "$WORKER"
        fail "worker: did not join its consumer group: $(tail -1 "$WORK/group.log")"
    fi
    pid1_is_java "$WORKER"
    stop_cleanly "$WORKER" 60
    # a consumer that closes cleanly leaves its group at once; a killed one lingers for its session timeout
    if await_group empty 10 >"$WORK/group.log" 2>&1; then
        pass "worker: left the consumer group on shutdown"
    else
        fail "worker: still in the consumer group after stopping: $(tail -1 "$WORK/group.log")"
    fi
}

install_tools
podman_configure "$WORK"
podman rm -f -t 0 "$API" "$WORKER" images-check-migrate >/dev/null 2>&1
base_image
build_images
load_image producer-api API_IMAGE
load_image matcher-worker WORKER_IMAGE
start_backends
migrate
check_api
check_worker
finish
