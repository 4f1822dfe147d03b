#!/bin/sh
# Two silos as one TLS cluster on one machine, on two loopback addresses (README.md, "Two hosts as one TLS cluster"):
# silo A on 127.0.0.1 with the embedded default (its PostgreSQL, its own CA made at the first start), silo B on
# 127.0.0.2 with a certificate issued by A's CA and A's database; then the console with the shared operators'
# certificate, with a personal one, and without any (refused).
#   PROGRAM_DIR=/opt/cst-actors CST=/opt/cst-actors/console/cst sh docs/two-silo-tls-demo.sh
# Stop it with Ctrl-C: both silos are stopped (SIGTERM) on the way out. WORK (default: a new temporary directory)
# keeps the data, certificates and the silos' logs.
set -eu
program_dir=${PROGRAM_DIR:-/opt/cst-actors}
cst=${CST:-$program_dir/console/cst}
work=${WORK:-$(mktemp -d /tmp/cst-two-silos.XXXXXX)}
pg_port=${PG_PORT:-55432}
silo_a=${SILO_PORT_A:-11111} silo_b=${SILO_PORT_B:-11112}
gateway_a=${GATEWAY_PORT_A:-30000} gateway_b=${GATEWAY_PORT_B:-30001}
data="$work/a/postgres"
pids=""
trap 'for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done; wait' EXIT INT TERM

wait_for() { # FILE TEXT [SECONDS]: until the log says TEXT (at most SECONDS, default 120)
    i=0
    until grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1)); [ $i -le $((${3:-120} * 2)) ] || { echo "no '$2' in $1 within ${3:-120} s:"; tail -20 "$1"; exit 1; }
        sleep 0.5
    done
}

echo "== silo A on 127.0.0.1: embedded PostgreSQL on port $pg_port, CA made at the first start"
mkdir -p "$work/a" "$work/b"
"$program_dir/cst-silo" --data-dir "$data" --postgres-port "$pg_port" --silo-port "$silo_a" --gateway-port "$gateway_a" \
    --listen-address 127.0.0.1 --advertised-address 127.0.0.1 > "$work/a/silo.log" 2>&1 &
pids="$pids $!"
wait_for "$work/a/silo.log" "Silo started"
ls -l "$data.tls"

echo "== a silo certificate for B from A's CA"
"$program_dir/cst-silo" issue-silo-cert --data-dir "$data" --name silo-b --out "$work/b/tls"

echo "== silo B on 127.0.0.2: A's database (password in the environment), its own certificate"
CST_ConnectionStrings__Cst="Host=127.0.0.1;Port=$pg_port;Database=cst;Username=cst;Password=$(cat "$data.password")" \
CST_Tls__CertificateFile="$work/b/tls/silo-b.pem" CST_Tls__KeyFile="$work/b/tls/silo-b.key" CST_Tls__CaFile="$work/b/tls/ca.pem" \
    "$program_dir/cst-silo" --silo-port "$silo_b" --gateway-port "$gateway_b" \
    --listen-address 127.0.0.2 --advertised-address 127.0.0.2 --demo-data Never > "$work/b/silo.log" 2>&1 &
pids="$pids $!"
wait_for "$work/b/silo.log" "Silo started"

# The 102 demo comuni load at A's first start: the console's calls below wait for none of it.
wait_for "$work/a/silo.log" "Demo data loaded" 600

echo "== the membership: two active silos"
PGPASSWORD=$(cat "$data.password") psql -h 127.0.0.1 -p "$pg_port" -U cst -d cst -At \
    -c "SELECT address || ':' || port || ' ' || CASE status WHEN 3 THEN 'active' ELSE status::text END FROM orleans_membership WHERE status = 3 ORDER BY address"

echo "== the console with the shared operators' certificate (found beside the data directory)"
"$cst" --data-dir "$data" --postgres-port "$pg_port" audit --max 1

echo "== a personal certificate: the audit names mario.rossi"
"$program_dir/cst-silo" issue-operator-cert --data-dir "$data" --name mario.rossi --out "$work/mario"
mario="--cert $work/mario/mario.rossi.pem --key $work/mario/mario.rossi.key --ca $work/mario/ca.pem"
# shellcheck disable=SC2086 # the paths hold no spaces (WORK is the caller's)
"$cst" --data-dir "$data" --postgres-port "$pg_port" $mario ente population 028060 --inhabitants 206000 --year 2026
# shellcheck disable=SC2086
"$cst" --data-dir "$data" --postgres-port "$pg_port" $mario audit --max 1
echo "== CST_Operator cannot change it"
CST_Operator=sindaco.padova "$cst" --data-dir "$data" --postgres-port "$pg_port" audit --max 1 || echo "refused (exit $?)"

echo "== without a certificate (the database password, but no certificate): refused"
if CST_ConnectionStrings__Cst="Host=127.0.0.1;Port=$pg_port;Database=cst;Username=cst;Password=$(cat "$data.password")" \
    "$cst" audit --max 1; then
    echo "UNEXPECTED: a client without a certificate was served"; exit 1
else
    echo "refused (exit $?)"
fi
echo "== done; data, certificates and logs in $work"
