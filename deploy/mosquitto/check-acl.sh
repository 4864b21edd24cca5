#!/bin/sh
# Proves the ACL of this directory against a real Mosquitto: starts one on a free loopback port with
# a temporary copy of mosquitto.conf and acl, creates two sirens, the service and the CAP feed, and
# checks who can publish and hear what. Needs mosquitto, mosquitto_pub/sub/passwd and node.
# Usage: deploy/mosquitto/check-acl.sh   (exit 0 when every check passes)
#
# Every "cannot" check is followed on the same subscription by an allowed message that must arrive,
# so a subscriber that was not ready in time fails the run instead of passing it by accident.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
broker=
cleanup() {
  [ -n "$broker" ] && kill "$broker" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

host=127.0.0.1
port=$(node -e "const s=require('net').createServer().listen(0,'$host',()=>{console.log(s.address().port);s.close()})")
root=sirenwatch/v1
A=NC-01-001
B=NC-01-002

# The shipped config, with only the paths, the listener and the log destination moved.
# The TLS listener and its files are left out here (test/broker-security.test.ts covers TLS).
sed -e "s|^listener 1883$|listener $port $host|" \
  -e '/^listener 8883$/d' -e '/^cafile /d' -e '/^certfile /d' -e '/^keyfile /d' -e '/^tls_version /d' \
  -e "s|^password_file .*|password_file $tmp/passwd|" \
  -e "s|^acl_file .*|acl_file $tmp/acl|" \
  -e "s|^persistence_location .*|persistence_location $tmp/data/|" \
  -e "s|^log_dest .*|log_dest file $tmp/mosquitto.log|" \
  "$here/mosquitto.conf" >"$tmp/mosquitto.conf"
# Mosquitto drops root privileges before reading its files; keep it as whoever runs this check.
echo "user $(id -un)" >>"$tmp/mosquitto.conf"
for want in "listener $port $host" "password_file $tmp/passwd" "acl_file $tmp/acl" "persistence_location $tmp/data/"; do
  grep -qxF "$want" "$tmp/mosquitto.conf" || { echo "mosquitto.conf: cannot set '$want'" >&2; exit 1; }
done
cp "$here/acl" "$tmp/acl"
mkdir "$tmp/data"

MOSQUITTO_PASSWD_FILE=$tmp/passwd "$here/add-siren.sh" "$A" pw-a 2>/dev/null
MOSQUITTO_PASSWD_FILE=$tmp/passwd "$here/add-siren.sh" "$B" pw-b 2>/dev/null
mosquitto_passwd -b "$tmp/passwd" sirenwatch pw-svc
mosquitto_passwd -b "$tmp/passwd" capfeed pw-cap

mosquitto -c "$tmp/mosquitto.conf" >"$tmp/broker.out" 2>&1 &
broker=$!

pw() { case $1 in "$A") echo pw-a ;; "$B") echo pw-b ;; sirenwatch) echo pw-svc ;; capfeed) echo pw-cap ;; esac; }

# pub USER TOPIC MESSAGE [more mosquitto_pub options]: QoS 1, returns once the broker has it.
pub() {
  u=$1 t=$2 m=$3
  shift 3
  mosquitto_pub -h "$host" -p "$port" -q 1 -u "$u" -P "$(pw "$u")" -i "pub-$u" -t "$t" -m "$m" "$@"
}

tries=0
until pub sirenwatch "$root/server/availability" probe 2>/dev/null; do
  tries=$((tries + 1))
  [ $tries -lt 50 ] || { echo "broker did not start:" >&2; cat "$tmp/broker.out" "$tmp/mosquitto.log" >&2; exit 1; }
  sleep 0.1
done

# listen USER TOPIC...: subscribes for 3 s in the background; `heard` waits for it to end.
listen() {
  u=$1
  shift
  set -- $(for t in "$@"; do printf -- '-t %s ' "$t"; done)
  mosquitto_sub -h "$host" -p "$port" -q 1 -u "$u" -P "$(pw "$u")" -i "sub-$u" -v -W 3 "$@" >"$tmp/heard" 2>/dev/null &
  listener=$!
  sleep 0.7
}
heard() {
  wait "$listener" || true
}

failures=0
verdict() {
  if [ "$2" = ok ]; then
    echo "PASS  $1"
  else
    echo "FAIL  $1 (heard: $(tr '\n' '|' <"$tmp/heard"))"
    failures=$((failures + 1))
  fi
}
# expect yes|no DESCRIPTION "TOPIC PAYLOAD": was that line heard?
expect() {
  if grep -qxF "$3" "$tmp/heard"; then got=yes; else got=no; fi
  verdict "$2" "$([ "$got" = "$1" ] && echo ok)"
}
# refused DESCRIPTION COMMAND...: the command must fail.
refused() {
  label=$1
  shift
  verdict "$label" "$("$@" >/dev/null 2>&1 || echo ok)"
}
# dies USER WILL-TOPIC PAYLOAD: connects with a will, then is killed so that the will fires.
dies() {
  mosquitto_sub -h "$host" -p "$port" -u "$1" -P "$(pw "$1")" -i "will-$1" -t "$root/server/availability" \
    --will-topic "$2" --will-payload "$3" --will-qos 1 >/dev/null 2>&1 &
  dying=$!
  sleep 0.3
  kill -9 "$dying"
  wait "$dying" 2>/dev/null || true
  sleep 0.3
}

listen sirenwatch "$root/sirens/+/status"
pub "$A" "$root/sirens/$B/status" spoofed
pub sirenwatch "$root/sirens/$A/status" from-service
pub "$A" "$root/sirens/$A/status" own
heard
expect yes "siren A publishes its own status; the service hears it" "$root/sirens/$A/status own"
expect no "siren A cannot publish B's status" "$root/sirens/$B/status spoofed"
expect no "the service cannot publish a siren's status" "$root/sirens/$A/status from-service"

listen "$B" "$root/sirens/$B/cmd"
pub "$A" "$root/sirens/$B/cmd" forged
pub sirenwatch "$root/sirens/$B/cmd" real
heard
expect yes "the service commands siren B" "$root/sirens/$B/cmd real"
expect no "siren A cannot send B a command" "$root/sirens/$B/cmd forged"

listen "$A" "$root/sirens/$B/cmd" "$root/sirens/$A/cmd"
pub sirenwatch "$root/sirens/$B/cmd" for-b
pub sirenwatch "$root/sirens/$A/cmd" for-a
heard
expect yes "siren A hears its own cmd" "$root/sirens/$A/cmd for-a"
expect no "siren A cannot subscribe to B's cmd" "$root/sirens/$B/cmd for-b"

listen "$A" "$root/sirens/+/cmd" "$root/sirens/+/status"
pub "$B" "$root/sirens/$B/status" b-status
pub sirenwatch "$root/sirens/$B/cmd" for-b-2
pub sirenwatch "$root/sirens/$A/cmd" for-a-2
heard
expect yes "a wildcard subscription brings siren A its own cmd" "$root/sirens/$A/cmd for-a-2"
expect no "... but not B's cmd" "$root/sirens/$B/cmd for-b-2"
expect no "... nor B's status" "$root/sirens/$B/status b-status"

pub sirenwatch "$root/server/availability" centre-up -r
listen "$A" "$root/server/availability"
pub "$B" "$root/server/availability" fake-centre
pub sirenwatch "$root/server/availability" centre-again
heard
expect yes "siren A reads the centre's retained availability" "$root/server/availability centre-up"
expect yes "... and its updates" "$root/server/availability centre-again"
expect no "a siren cannot publish the centre's availability" "$root/server/availability fake-centre"

listen sirenwatch "$root/alerts/cap" "$root/sirens/+/event"
pub "$A" "$root/alerts/cap" fake-alert
pub capfeed "$root/alerts/cap" real-alert
pub "$A" "$root/sirens/$A/event" a-event
heard
expect yes "the CAP feed publishes an alert; the service hears it" "$root/alerts/cap real-alert"
expect no "a siren cannot publish an alert" "$root/alerts/cap fake-alert"
expect yes "siren A publishes its own event" "$root/sirens/$A/event a-event"

listen sirenwatch "\$share/sirenwatch/$root/sirens/+/ack"
pub "$A" "$root/sirens/$A/ack" shared
heard
expect yes "the service reads acks through a shared subscription (MQTT_SHARE_GROUP)" "$root/sirens/$A/ack shared"

refused "a wrong password is refused" mosquitto_pub -h "$host" -p "$port" -q 1 -u "$A" -P wrong -t "$root/sirens/$A/status" -m x
refused "an anonymous client is refused" mosquitto_pub -h "$host" -p "$port" -q 1 -t "$root/sirens/$A/status" -m x

# Wills are checked when they fire.
listen sirenwatch "$root/sirens/+/availability"
dies "$A" "$root/sirens/$A/availability" will-own
dies "$A" "$root/sirens/$B/availability" will-forged
pub "$B" "$root/sirens/$B/availability" b-birth
heard
expect yes "siren A's will on its own availability fires" "$root/sirens/$A/availability will-own"
expect no "siren A's will on B's availability is dropped" "$root/sirens/$B/availability will-forged"
expect yes "siren B publishes its own availability" "$root/sirens/$B/availability b-birth"

listen "$A" "$root/server/availability"
dies sirenwatch "$root/server/availability" centre-will
heard
expect yes "the service's will on server/availability reaches the sirens" "$root/server/availability centre-will"

if [ "$failures" -eq 0 ]; then
  echo "all ACL checks passed"
else
  echo "$failures ACL check(s) failed; broker log:" >&2
  cat "$tmp/mosquitto.log" >&2
  exit 1
fi
