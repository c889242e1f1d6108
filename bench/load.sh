#!/usr/bin/env bash
# The load benchmark, in one run, side by side on this machine:
#   1. echo    the ceiling: a bare gRPC unary echo on the hub's own Kestrel mutual TLS, no hub logic
#   2. submit  SubmitEndOfDetentionNotice end to end (token, policy, durable log append, outbox)
#   3. query   CaseService.QueryCase (the read path; each query is itself logged)
# Prints requests/s, p50/p99/p99.9 latency and the server's peak memory for each, and the ratio hub/ceiling.
#
# usage: bench/load.sh [seconds-per-target=30] [concurrency=64] [connections=4]
# A 5-minute memory check: bench/load.sh 300 64 4  (compare "first fifth" and "last fifth" of the RSS).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration=${1:-30}
concurrency=${2:-64}
connections=${3:-4}
hub_port=17443
echo_port=17444
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build -c Release -v quiet -nologo src/ExchangeHub.Server/ExchangeHub.Server.csproj >/dev/null
dotnet build -c Release -v quiet -nologo bench/ExchangeHub.Load/ExchangeHub.Load.csproj >/dev/null
hub_dll=src/ExchangeHub.Server/bin/Release/net10.0/ExchangeHub.Server.dll
load_dll=bench/ExchangeHub.Load/bin/Release/net10.0/exchangehub-load.dll
pki=$work/pki

# The hub as in Development (dev PKI and partners), but with its data and PKI in a throwaway folder and quiet logs,
# and with the per-partner limits (calls in progress, call rate) opened up: the load comes from one partner.
start_hub() {
  dotnet "$hub_dll" --environment Development --contentRoot "$PWD/src/ExchangeHub.Server" \
    --ExchangeHub:DevPki:Directory="$pki" --ExchangeHub:Storage:DataDirectory="$work/data" \
    --ExchangeHub:Server:Port=$hub_port --Logging:LogLevel:Default=Warning --Logging:LogLevel:ExchangeHub=Warning \
    --ExchangeHub:Limits:MaxConcurrentCallsPerPartner=$((concurrency * 2)) \
    --ExchangeHub:Limits:CallBurstPerPartner=1000000 --ExchangeHub:Limits:CallsPerPeriodPerPartner=1000000 \
    >"$work/hub.log" 2>&1 &
  hub_pid=$!
  pids+=("$hub_pid")
  for _ in $(seq 1 120); do
    if [ -f "$pki/partners/dienst-justitiele-inrichtingen.crt" ] && curl -sf -o /dev/null --cacert "$pki/ca.crt" \
        --cert "$pki/partners/dienst-justitiele-inrichtingen.crt" --key "$pki/partners/dienst-justitiele-inrichtingen.key" \
        "https://127.0.0.1:$hub_port/.well-known/openid-configuration"; then
      return 0
    fi
    sleep 0.5
  done
  echo "the hub did not start:" >&2; cat "$work/hub.log" >&2; exit 1
}

start_echo() {
  dotnet "$load_dll" echo-host --ExchangeHub:Server:Port=$echo_port \
    --ExchangeHub:Tls:ServerCertificate:CertificatePath="$pki/hub.crt" --ExchangeHub:Tls:ServerCertificate:KeyPath="$pki/hub.key" \
    --ExchangeHub:Tls:ClientCertificates:TrustedCaCertificatePaths:0="$pki/ca.crt" \
    --ExchangeHub:Tls:ClientCertificates:RevocationListPaths:0="$pki/ca.crl" \
    >"$work/echo.log" 2>&1 &
  echo_pid=$!
  pids+=("$echo_pid")
  sleep 3
  kill -0 "$echo_pid" 2>/dev/null || { echo "the echo host did not start:" >&2; cat "$work/echo.log" >&2; exit 1; }
}

results=$work/results.tsv
run() { # target port pid
  dotnet "$load_dll" run --target "$1" --hub "https://127.0.0.1:$2" --pki "$pki" --concurrency "$concurrency" \
    --connections "$connections" --seconds "$duration" --warmup 5 --server-pid "$3" --results "$results"
}

echo "== $(nproc) cores, $concurrency callers over $connections connections, ${duration}s per target after a 5s warm-up"
start_hub # first, so that the dev PKI exists for the echo host too
start_echo
kill -STOP "$hub_pid" # the idle hub must not share the CPU with the ceiling
run echo $echo_port "$echo_pid"
kill "$echo_pid"; kill -CONT "$hub_pid"
run submit $hub_port "$hub_pid"
run query $hub_port "$hub_pid"

echo
awk -F'\t' '
  { rate[$1] = $2; p99[$1] = $4 }
  END {
    printf "hub submit / echo ceiling: %.2f (throughput)\n", rate["submit"] / rate["echo"];
    printf "hub query  / echo ceiling: %.2f (throughput)\n", rate["query"] / rate["echo"];
    printf "submit p99 at these callers: %s ms (target: under 25 ms at 64 callers)\n", p99["submit"];
  }' "$results"
