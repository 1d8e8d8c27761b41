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
# /usr/bin/chromium  chromium     (the dashboard's browser tests drive it headless with Playwright;
#                                  no browser is ever downloaded by Playwright itself)
[ -x /usr/bin/chromium ] || need+=(chromium)
# java               default-jre-headless (Java 17+ on Debian 12/13; the Spark engine's tests
#                                  start Spark in local mode through pyspark)
command -v java >/dev/null || need+=(default-jre-headless)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${need[*]}"
  # Slim Debian images drop /usr/share/man, and the JRE's postinst then fails to link java.1.
  [[ " ${need[*]} " == *" default-jre-headless "* ]] && $SUDO mkdir -p /usr/share/man/man1
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
