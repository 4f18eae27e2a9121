#!/bin/bash
# Entry point of the PostgreSQL image, with the conventions of the official postgres image (so that
# Testcontainers' PostgreSQLContainer runs it as a compatible substitute for postgres):
#  - the arguments are the server's command line (`postgres -c name=value ...`; arguments starting
#    with '-' are given to postgres);
#  - on first start, an empty $PGDATA is initialised (UTF-8, C collation, as CloudNativePG creates
#    spinmatch's database) with superuser $POSTGRES_USER (default postgres) and $POSTGRES_PASSWORD
#    (required unless POSTGRES_HOST_AUTH_METHOD=trust), and database $POSTGRES_DB is created by a
#    temporary server on the local socket only; then the real server starts. As with the official image
#    the log says "database system is ready to accept connections" twice on a first start;
#  - a restarted container finds $PGDATA initialised and starts the server at once;
#  - postgres runs as this process (exec), so SIGTERM is a smart shutdown and SIGINT a fast one.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
export PGDATA

initialise() {
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        echo "POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
        --encoding=UTF8 --locale=C --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD"
    printf "listen_addresses = '*'\nunix_socket_directories = '/tmp'\n" >> "$PGDATA/postgresql.conf"
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"
    pg_ctl --wait --options="-c listen_addresses=''" start
    if [ "$POSTGRES_DB" != postgres ]; then
        psql -v ON_ERROR_STOP=1 --host=/tmp --username="$POSTGRES_USER" --dbname=postgres \
            --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    fi
    pg_ctl --wait --mode=fast stop
    echo "PostgreSQL init process complete; ready for start up."
}

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    initialise
fi
exec "$@"
