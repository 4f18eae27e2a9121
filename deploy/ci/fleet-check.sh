#!/usr/bin/env bash
# The fleet under faults, as containers (issue 21; fleet-tests/). Builds the images that ship
# (API, worker) and the test backends' images (Kafka broker by Jib from Kafka's Maven artifacts,
# PostgreSQL from Debian's packages), loads them into podman, serves podman's Docker-compatible socket
# to Testcontainers (Ryuk off: podman's API lacks what it needs; containers are removed by the tests
# and by the cleanup here) and runs FleetUnderFaultsLosesAndDoublesNothingTest.
#
# usage: deploy/ci/fleet-check.sh [SEEDS] [SCENARIOS]
#   SEEDS      comma-separated seeds of every scenario (default: $FLEET_SEEDS or 1)
#   SCENARIOS  "all" or comma-separated faults (WORKER_KILLED,BROKER_RESTARTED,DATABASE_RESTARTED,WORKER_PAUSED)
# Needs root (podman, debootstrap); installs podman, runc, debootstrap and curl from Debian when missing.
# The Debian-made images are cached in /var/tmp/spinmatch-images by the hash of their build scripts.
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/ci/podman.sh

seeds=${1:-${FLEET_SEEDS:-1}}
scenarios=${2:-${FLEET_SCENARIOS:-all}}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fleet-check.XXXXXX")
images=()

cleanup() {
    # containers a killed test run may have left (Ryuk is off), then the images and the socket
    podman ps -aq --filter label=org.testcontainers=true | xargs -r podman rm -f -t 0 >/dev/null 2>&1
    podman network ls -q --filter label=org.testcontainers=true | xargs -r podman network rm -f >/dev/null 2>&1
    [ ${#images[@]} -gt 0 ] && podman rmi -f "${images[@]}" >/dev/null 2>&1
    podman_service_stop
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

fail() {
    echo "FAIL fleet-check: $*"
    exit 1
}

# debian_image NAME SCRIPT FILES...: the cached tarball of a Debian-made image (built when missing)
debian_image() {
    local name=$1 script=$2 path
    path="$IMAGES_CACHE/$name-$(image_key "$script" "${@:3}").tar"
    if [ ! -s "$path" ]; then
        echo "---- fleet-check: building the $name image from Debian packages (1-3 minutes)"
        timeout 600 "$script" "$path" >"$WORK/$name.log" 2>&1 || { tail -30 "$WORK/$name.log"; fail "$name image"; }
    fi
    echo "$path"
}

load() {
    local id
    id=$(podman load -q -i "$1" 2>&1 | sed -n 's/^Loaded image[^:]*: *//p' | tail -1)
    [ -n "$id" ] || fail "podman load $1"
    images+=("$id")
}

podman_install "$WORK/apt.log" || fail "could not install podman, runc, debootstrap or curl"
podman_configure "$WORK"
start=$SECONDS
base=$(debian_image jre17-base deploy/images/build-base-image.sh) || exit 1
postgres=$(debian_image postgres deploy/images/build-postgres-image.sh deploy/images/postgres/docker-entrypoint.sh) || exit 1
echo "---- fleet-check: building the API, worker and Kafka images with Jib"
timeout 600 ./mvnw -B -ntp -q -Pimage -DskipTests -Dimage.base="tar://$base" \
    -pl deploy/images/producer-api,deploy/images/matcher-worker,deploy/images/kafka -am package >"$WORK/maven.log" 2>&1 \
    || { grep -E 'ERROR|FAIL' "$WORK/maven.log" | head -30; fail "images: maven -Pimage build failed"; }
for tar in deploy/images/producer-api/target/jib-image.tar deploy/images/matcher-worker/target/jib-image.tar \
        deploy/images/kafka/target/jib-image.tar "$postgres"; do
    load "$tar"
done
echo "---- fleet-check: images ready in $((SECONDS - start)) s: ${images[*]}"

podman_service "$WORK" || fail "podman system service did not answer"
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
echo "---- fleet-check: seeds $seeds, scenarios $scenarios"
./mvnw -B -ntp -Pfleet -pl fleet-tests -am verify -Dtest='FleetUnderFaults*' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfleet.seeds="$seeds" -Dfleet.scenarios="$scenarios" 2>&1 | tee "$WORK/fleet.log" \
    | grep -vE '^\[INFO\] (Download|Copying|Nothing to compile|No sources|Skipping|Building jar|skip non existing)'
exit "${PIPESTATUS[0]}"
