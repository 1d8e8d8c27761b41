#!/usr/bin/env bash
# Install the Debian packages the test suite needs when they are missing.
# Each line names a command the tests look for and the package that brings it.
set -euo pipefail

need=()
# command            package
# (more lines are added as stages need services: PostgreSQL, Chromium, Java)
# initdb, pg_ctl     postgresql   (server binaries live in /usr/lib/postgresql/*/bin, off PATH;
#                                  the store's contract tests start a throwaway cluster with them)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
