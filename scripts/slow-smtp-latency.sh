#!/usr/bin/env bash
# Latency of POST /api/email and GET /api/notifications/{id} for a recipient whose first message is held 30 s in
# the SMTP server's DATA phase (issue 11, item 4): an embedded front against the tests' SMTP server with
# --data-delay-ms 30000; N rounds (default 20) of one POST to the same recipient and one GET of the held message,
# each line with curl's total time and what the server holds and has delivered.
# Run from the repository root after `dotnet build WebFront -c Release`; needs Debian's python3-aiosmtpd and curl.
set -euo pipefail
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
dir=$(mktemp -d); smtp_port=$(free); http_port=$(free)
/usr/bin/python3 tests/smtp/maildir_smtpd.py --host 127.0.0.1 --port "$smtp_port" --dir "$dir" --data-delay-ms 30000 >/dev/null 2>&1 & smtp=$!
ASPNETCORE_ENVIRONMENT=Development MAIL_HOST=127.0.0.1 MAIL_PORT=$smtp_port MAIL_TIMEOUT_MS=60000 API_KEY=measure-key-0123456789 HTTP_HOST=127.0.0.1 HTTP_PORT=$http_port \
  SILO_PORT=$(free) GATEWAY_PORT=$(free) REDIS_PORT=$(free) REDIS_CONNECT_TIMEOUT_MS=500 Logging__LogLevel__Default=Warning \
  dotnet WebFront/bin/Release/net10.0/WeDrawOS.WebFront.dll >"$dir/front.log" 2>&1 & front=$!
trap 'kill $front $smtp 2>/dev/null; wait $front $smtp 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$http_port
until curl -sf "$base/health/live" >/dev/null; do kill -0 $front || { cat "$dir/front.log"; exit 1; }; sleep 0.2; done
post() { curl -s -o "$dir/body" -w '%{time_total}' -H 'X-Api-Key: measure-key-0123456789' -H 'Content-Type: application/json' -d "{\"to\":\"slow@example.com\",\"subject\":\"$1\",\"text\":\"t\"}" "$base/api/email"; }
post first >/dev/null; first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$dir/body")
until [ -n "$(ls "$dir/held")" ]; do sleep 0.05; done
echo "first message held in DATA; measuring while it is held"
for i in $(seq 1 "${N:-20}"); do
  p=$(post "next $i")
  g=$(curl -s -o "$dir/status" -w '%{time_total}' -H 'X-Api-Key: measure-key-0123456789' "$base/api/notifications/$first")
  echo "POST ${p}s  GET ${g}s  first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$dir/status")  held=$(ls "$dir/held" | wc -l)  delivered=$(ls "$dir/new" | wc -l)"
done
