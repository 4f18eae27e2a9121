#!/usr/bin/env bash
# Builds a PostgreSQL 17 server image from Debian's packages alone (trixie's postgresql-17: the schema needs
# PostgreSQL 16 or later, bookworm has 15; 17 is what the embedded server and the reference cluster run) and writes
# it as a docker-save tarball for `podman load` (see debian-image.sh). It follows the official postgres
# image's conventions (postgres/docker-entrypoint.sh: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
# PGDATA, the server's arguments as the command), so Testcontainers' PostgreSQLContainer runs it.
# For the container fleet tests here, where no registry is reachable; production runs CloudNativePG.
#
# usage: build-postgres-image.sh OUTPUT.tar      (needs root, debootstrap and a Debian mirror)
set -euo pipefail
here=$(dirname "$0")
. "$here/debian-image.sh"
suite=${POSTGRES_DEBIAN_SUITE:-trixie}

out=${1:?usage: build-postgres-image.sh OUTPUT.tar}
tag=${POSTGRES_IMAGE_TAG:-localhost/spinmatch/postgres:17}

work=$(mktemp -d "${TMPDIR:-/tmp}/postgres-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

debian_rootfs "$rootfs" postgresql-17
# the package's own cluster (/etc/postgresql, /var/lib/postgresql/17) is not used: the entry point
# initialises $PGDATA on first start, as the official image does
rm -rf "$rootfs"/etc/postgresql/* "$rootfs"/var/lib/postgresql/*
install -m 755 "$here/postgres/docker-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
uid=$(chroot "$rootfs" id -u postgres)
gid=$(chroot "$rootfs" id -g postgres)
install -d -m 700 -o "$uid" -g "$gid" "$rootfs/var/lib/postgresql/data"
test -x "$rootfs/usr/lib/postgresql/17/bin/postgres"

debian_image "$rootfs" "$out" "$tag" '{
    "Env": [
      "PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "PGDATA=/var/lib/postgresql/data",
      "LANG=C.UTF-8"
    ],
    "User": "'"$uid:$gid"'",
    "Entrypoint": ["/usr/local/bin/docker-entrypoint.sh"],
    "Cmd": ["postgres"],
    "ExposedPorts": {"5432/tcp": {}},
    "StopSignal": "SIGINT"
  }'
