#!/usr/bin/env bash
# Installs the PostgreSQL server binaries that store-postgres' tests run (Debian's postgresql package), once.
# It does not start the system's cluster: the tests start a private throwaway cluster of their own on a free port
# (see store-postgres/src/test/java/dev/memsnap/store/postgres/PostgresServer.java). Safe to run again.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
    echo "postgres.sh: PostgreSQL is installed: $(ls -d /usr/lib/postgresql/*/bin/initdb | tr '\n' ' ')"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "postgres.sh: installing Debian's postgresql package"
$SUDO apt-get update -q
# policy-rc.d answering 101 stops the package from starting the system cluster as it installs (where the machine has
# an init system that would); the tests never use that cluster.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" > /dev/null
    $SUDO chmod +x "$policy"
    created_policy=true
fi
trap '[ "$created_policy" = true ] && $SUDO rm -f "$policy"' EXIT
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
    echo "postgres.sh: postgresql installed, but no /usr/lib/postgresql/*/bin/initdb" >&2
    exit 1
fi
echo "postgres.sh: installed $(ls -d /usr/lib/postgresql/*/bin/initdb | tr '\n' ' ')"
