#!/bin/sh
# Creates or updates one siren's broker login (username = sirenId) in Mosquitto's password file.
# Usage: add-siren.sh [-f passwd-file] <sirenId> [password]
#   -f FILE  password file (default $MOSQUITTO_PASSWD_FILE or deploy/mosquitto/passwd)
# Without a password one is generated and printed once; store it in the siren's configuration.
set -eu
export LC_ALL=C

usage() {
  echo "usage: $0 [-f passwd-file] <sirenId> [password]" >&2
  exit 2
}

file=${MOSQUITTO_PASSWD_FILE:-deploy/mosquitto/passwd}
while getopts f:h opt; do
  case $opt in
    f) file=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] && [ $# -le 2 ] || usage

id=$1
# PROTOCOL.md: 1–64 characters of A–Z a–z 0–9 _ - (this also keeps %u in the ACL a single topic level).
case $id in
  '' | *[!A-Za-z0-9_-]*) echo "error: siren id '$id' must be 1-64 characters of A-Z a-z 0-9 _ -" >&2; exit 1 ;;
esac
if [ ${#id} -gt 64 ]; then
  echo "error: siren id is ${#id} characters long, at most 64 allowed" >&2
  exit 1
fi
# These logins carry the service's and the CAP feed's rights in the ACL; a siren must never get them.
case $id in
  sirenwatch | capfeed) echo "error: '$id' is reserved for a service account, not a siren" >&2; exit 1 ;;
esac

command -v mosquitto_passwd >/dev/null 2>&1 || {
  echo "error: mosquitto_passwd not found (install mosquitto-clients/mosquitto, or see README.md for docker)" >&2
  exit 1
}

generated=
if [ $# -eq 2 ]; then
  password=$2
  [ -n "$password" ] || { echo "error: empty password" >&2; exit 1; }
else
  password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24)
  generated=1
fi

if [ -f "$file" ]; then
  mosquitto_passwd -b "$file" "$id" "$password"
else
  # Hashes only, but still nobody else's business: create the file private.
  (umask 077 && mosquitto_passwd -c -b "$file" "$id" "$password")
fi

echo "siren $id: login written to $file; reload the broker (docker compose kill -s HUP mosquitto)" >&2
if [ -n "$generated" ]; then
  printf 'password for %s: %s\n' "$id" "$password"
fi
