#!/usr/bin/env bash
# Calls the zpl HTTP API with a signed request (openssl + curl; no SDK needed).
#   API=https://<your trigger URL> ZPL_API_HMAC_SECRET=... examples/call-api.sh POST /v1/links link.json
#   API=... ZPL_API_HMAC_SECRET=... examples/call-api.sh GET /v1/links/executions/<name>
# Signature: hex HMAC-SHA256(secret, METHOD \n PATH \n TIMESTAMP \n hex SHA256(body)).
set -euo pipefail
method=${1:?method}; path=${2:?path}; file=${3:-}
: "${API:?set API to the API base URL}" "${ZPL_API_HMAC_SECRET:?set ZPL_API_HMAC_SECRET}"
body=""
if [ -n "$file" ]; then body=$(cat "$file"); fi
ts=$(date +%s)
hash=$(printf '%s' "$body" | openssl dgst -sha256 -hex | awk '{print $NF}')
sig=$(printf '%s\n%s\n%s\n%s' "$method" "$path" "$ts" "$hash" | openssl dgst -sha256 -hmac "$ZPL_API_HMAC_SECRET" -hex | awk '{print $NF}')
args=(-sS -X "$method" "$API$path" -H "x-zpl-timestamp: $ts" -H "x-zpl-signature: v1=$sig")
if [ -n "$file" ]; then args+=(-H 'content-type: application/json' --data-binary "$body"); fi
curl "${args[@]}"
echo
