# Sourced by build-base-image.sh and build-postgres-image.sh: an image made from Debian packages alone,
# written as a docker-save tarball (manifest.json + config JSON + one layer tar) that Jib reads as
# <from>tar://PATH</from> and `podman load` loads. This is how images are made where no container
# registry is reachable. Needs root, debootstrap and a Debian mirror.
#
#   debian_rootfs ROOTFS PACKAGES        debootstrap --variant=minbase with PACKAGES (comma-separated),
#                                        then removes what a runtime image needs not (docs, apt lists)
#   debian_image ROOTFS OUTPUT TAG CONFIG  packs ROOTFS as image TAG; CONFIG is the image config's
#                                        "config" object (Env, Entrypoint, Cmd, User, ...) as JSON
set -euo pipefail

suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

debian_rootfs() {
    local rootfs=$1 packages=$2 log
    log=$(dirname "$rootfs")/debootstrap.log
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" > "$log" 2>&1 \
        || { tail -40 "$log"; exit 1; }
    rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
           "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* \
           "$rootfs"/var/log/* "$rootfs"/debootstrap "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/*
}

debian_image() {
    local rootfs=$1 out=$2 tag=$3 config=$4 image layer_digest created
    image=$(dirname "$rootfs")/image
    mkdir -p "$image"
    tar --numeric-owner --sort=name -C "$rootfs" -cf "$image/layer.tar" .
    layer_digest=sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
    created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    cat > "$image/config.json" <<JSON
{
  "architecture": "amd64",
  "os": "linux",
  "created": "$created",
  "config": $config,
  "rootfs": {"type": "layers", "diff_ids": ["$layer_digest"]},
  "history": [{"created": "$created", "created_by": "deploy/images/$(basename "$0"): debootstrap --variant=minbase $suite"}]
}
JSON
    cat > "$image/manifest.json" <<JSON
[{"Config": "config.json", "RepoTags": ["$tag"], "Layers": ["layer.tar"]}]
JSON
    mkdir -p "$(dirname "$out")"
    tar -C "$image" -cf "$out.partial" manifest.json config.json layer.tar
    mv "$out.partial" "$out"
    echo "image $tag -> $out ($(du -h "$out" | cut -f1))"
}
