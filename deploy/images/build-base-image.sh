#!/usr/bin/env bash
# Builds a Java 17 runtime base image from Debian packages alone and writes it as a docker-save
# tarball (see debian-image.sh). Jib reads it as <from>tar://PATH</from>: this is how images are built
# where no container registry is reachable. Production builds keep the public base image (see
# deploy/README.md); this one is for building and testing here.
#
# usage: build-base-image.sh OUTPUT.tar      (needs root, debootstrap and a Debian mirror)
set -euo pipefail
. "$(dirname "$0")/debian-image.sh"

out=${1:?usage: build-base-image.sh OUTPUT.tar}
tag=${BASE_IMAGE_TAG:-localhost/spinmatch/jre17-debian:$suite}

work=$(mktemp -d "${TMPDIR:-/tmp}/jre-base.XXXXXX")
trap 'rm -rf "$work"' EXIT

debian_rootfs "$work/rootfs" openjdk-17-jre-headless
test -x "$work/rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
debian_image "$work/rootfs" "$out" "$tag" '{
    "Env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64",
      "LANG=C.UTF-8"
    ]
  }'
