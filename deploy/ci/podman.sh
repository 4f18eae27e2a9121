# Sourced by the container CI steps (images-check.sh, fleet-check.sh): podman as DESIGN.md found it
# working here, and the images' cache ($IMAGES_CACHE).
#   podman_install LOG       installs podman, runc, debootstrap and curl from Debian when missing
#   podman_configure DIR     runc (crun rejects this VM's hybrid cgroups) and ulimits, in DIR/containers.conf
#   podman_service DIR       serves podman's Docker-compatible API on DIR/podman.sock (for Testcontainers);
#                            sets DOCKER_HOST and PODMAN_SERVICE_PID; podman_service_stop ends it
#   image_key FILES...       the cache key of an image made from Debian packages (with debian-image.sh)
IMAGES_CACHE=${IMAGES_CHECK_CACHE:-/var/tmp/spinmatch-images}

podman_install() {
    local missing=() tool
    for tool in podman runc debootstrap curl; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "---- installing ${missing[*]} from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$1" 2>&1 \
        || { tail -20 "$1"; return 1; }
}

podman_configure() {
    cat >"$1/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
    export CONTAINERS_CONF="$1/containers.conf"
}

podman_service() {
    local sock=$1/podman.sock
    podman system service --time=0 "unix://$sock" >"$1/podman-service.log" 2>&1 &
    PODMAN_SERVICE_PID=$!
    export DOCKER_HOST=unix://$sock
    for _ in $(seq 50); do
        curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    cat "$1/podman-service.log"
    return 1
}

podman_service_stop() {
    [ -n "${PODMAN_SERVICE_PID:-}" ] || return 0
    kill "$PODMAN_SERVICE_PID" 2>/dev/null
    wait "$PODMAN_SERVICE_PID" 2>/dev/null
    PODMAN_SERVICE_PID=
}

# the cache key of an image made from Debian packages: its build script, the shared helper and its files
image_key() {
    cat deploy/images/debian-image.sh "$@" | sha256sum | cut -c1-12
}

