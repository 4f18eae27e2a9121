#!/usr/bin/env bash
# Builds a Java 17 runtime base image from Debian packages alone and writes it as a docker-save
# tarball (manifest.json + config JSON + one layer tar). Jib reads it as <from>tar://PATH</from>:
# this is how images are built where no container registry is reachable. Production builds keep
# the public base image (see deploy/README.md); this one is for building and testing here.
#
# usage: build-base-image.sh OUTPUT.tar      (needs root, debootstrap and a Debian mirror)
set -euo pipefail

out=${1:?usage: build-base-image.sh OUTPUT.tar}
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tag=${BASE_IMAGE_TAG:-localhost/spinmatch/jre17-debian:$suite}

work=$(mktemp -d "${TMPDIR:-/tmp}/jre-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
image=$work/image
mkdir -p "$image"

debootstrap --variant=minbase --include=openjdk-17-jre-headless "$suite" "$rootfs" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -40 "$work/debootstrap.log"; exit 1; }

# A runtime image needs neither documentation nor package indexes; debootstrap's own leftovers go too.
rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
       "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* \
       "$rootfs"/var/log/* "$rootfs"/debootstrap "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/*
test -x "$rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java"

tar --numeric-owner --sort=name -C "$rootfs" -cf "$image/layer.tar" .
layer_digest=sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)

cat > "$image/config.json" <<JSON
{
  "architecture": "amd64",
  "os": "linux",
  "created": "$created",
  "config": {
    "Env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64",
      "LANG=C.UTF-8"
    ]
  },
  "rootfs": {"type": "layers", "diff_ids": ["$layer_digest"]},
  "history": [{"created": "$created", "created_by": "deploy/images/build-base-image.sh: debootstrap --variant=minbase --include=openjdk-17-jre-headless $suite"}]
}
JSON
cat > "$image/manifest.json" <<JSON
[{"Config": "config.json", "RepoTags": ["$tag"], "Layers": ["layer.tar"]}]
JSON

mkdir -p "$(dirname "$out")"
tar -C "$image" -cf "$out.partial" manifest.json config.json layer.tar
mv "$out.partial" "$out"
echo "base image $tag -> $out ($(du -h "$out" | cut -f1))"
