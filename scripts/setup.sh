#!/usr/bin/env bash
# Installs what sqlwarden needs to build and test, on Debian 12. Run as root.
# Idempotent: asks dpkg which packages are missing and leaves apt alone when
# none are (no `apt-get update` either).
set -euo pipefail

packages=(
  cmake g++ make                          # toolchain
  antlr4 default-jre-headless             # parser generator (a Java tool)
  libantlr4-runtime-dev                   # ANTLR C++ runtime
  libboost-dev libboost-system-dev        # Asio, Spirit X3
  libcli11-dev doctest-dev                # command line, unit tests
  libsqlite3-dev libssl-dev uuid-dev      # audit store, TLS, ANTLR static link
  libpg-query-dev                         # PostgreSQL's parser: corpus judge, benchmark baseline
  python3 python3-psycopg2                # test scripts; psycopg2 is a real client
  postgresql postgresql-client            # integration tests
  pgbouncer                               # gateway benchmark baseline (tools/bench/gateway_compare.sh)
  libpq-dev openssl                       # gateway tests: libpq client from C, dev token signing
  libpostgresql-jdbc-java default-jdk-headless  # gateway tests: the JDBC driver and javac
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root to install them (sudo bash scripts/setup.sh)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "setup: installing ${missing[*]}"
echo "+ apt-get update"
apt-get update -q
echo "+ apt-get install -y --no-install-recommends ${missing[*]}"
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
