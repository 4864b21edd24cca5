#!/bin/sh
# Makes the TLS material for Mosquitto's 8883 listener: a private CA, a server certificate signed by it
# and, optionally, client certificates (one per siren, CN = sirenId) for deployments that require them.
# Usage: make-certs.sh [-d dir] [-n server-name]... [sirenId...]
#   -d DIR   where to write (default deploy/mosquitto/certs; created mode 700)
#   -n NAME  a DNS name or IP address the server certificate is valid for (repeatable;
#            default: mosquitto, localhost, 127.0.0.1)
# Existing CA and server files are kept (re-running adds client certificates); delete them to renew.
# The private keys (*.key) never leave DIR and are not committed (.gitignore). Sirens get ca.crt
# (and their own client .crt/.key); the broker gets ca.crt, server.crt and server.key.
set -eu
export LC_ALL=C

dir=deploy/mosquitto/certs
names=
while getopts d:n:h opt; do
  case $opt in
    d) dir=$OPTARG ;;
    n) names="$names $OPTARG" ;;
    *) echo "usage: $0 [-d dir] [-n server-name]... [sirenId...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ -n "$names" ] || names="mosquitto localhost 127.0.0.1"
command -v openssl >/dev/null 2>&1 || { echo "error: openssl not found" >&2; exit 1; }

umask 077
mkdir -p "$dir"
days=825

if [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 3650 -subj "/CN=sirenwatch broker CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  echo "CA: $dir/ca.crt" >&2
fi

san=
for n in $names; do
  case $n in
    *[!0-9.]*) san="$san,DNS:$n" ;;
    *) san="$san,IP:$n" ;;
  esac
done
san=${san#,}

# sign NAME SUBJECT EXTENSIONS: a key and a certificate signed by the CA.
sign() {
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "$2" -keyout "$dir/$1.key" -out "$dir/$1.csr" 2>/dev/null
  printf '%s\n' "$3" >"$dir/$1.ext"
  openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days $days -sha256 \
    -extfile "$dir/$1.ext" -out "$dir/$1.crt" 2>/dev/null
  rm -f "$dir/$1.csr" "$dir/$1.ext"
  chmod 644 "$dir/$1.crt"
}

if [ ! -f "$dir/server.key" ]; then
  sign server "/CN=$(echo "$names" | awk '{print $1}')" "subjectAltName=$san
extendedKeyUsage=serverAuth"
  echo "server certificate: $dir/server.crt ($san)" >&2
fi
chmod 644 "$dir/ca.crt"

for id in "$@"; do
  case $id in
    '' | *[!A-Za-z0-9_-]*) echo "error: siren id '$id' must be 1-64 characters of A-Z a-z 0-9 _ -" >&2; exit 1 ;;
  esac
  sign "$id" "/CN=$id" "extendedKeyUsage=clientAuth"
  echo "client certificate for $id: $dir/$id.crt" >&2
done
