#!/usr/bin/env bash
# Calls the zpl HTTP API with a signed request (openssl + curl; no SDK needed).
#   API=https://<your trigger URL> ZPL_API_HMAC_SECRET=... examples/call-api.sh POST /v1/links link.json
#   API=... ZPL_API_HMAC_SECRET=... examples/call-api.sh GET '/v1/links/executions/<name>?flow=drift'
# Signature (v2): hex HMAC-SHA256(secret, "v2" \n METHOD \n PATH \n QUERY \n TIMESTAMP \n NONCE \n hex SHA256(body)),
# QUERY being the query's key=value pairs sorted and joined with & (write them RFC 3986-encoded).
set -euo pipefail
method=${1:?method}; target=${2:?path}; file=${3:-}
: "${API:?set API to the API base URL}" "${ZPL_API_HMAC_SECRET:?set ZPL_API_HMAC_SECRET}"
path=${target%%\?*}
query=""
if [ "$path" != "$target" ]; then query=$(printf '%s' "${target#*\?}" | tr '&' '\n' | LC_ALL=C sort | paste -sd'&' -); fi
body=""
if [ -n "$file" ]; then body=$(cat "$file"); fi
ts=$(date +%s)
nonce=$(openssl rand -hex 16)
hash=$(printf '%s' "$body" | openssl dgst -sha256 -hex | awk '{print $NF}')
sig=$(printf 'v2\n%s\n%s\n%s\n%s\n%s\n%s' "$method" "$path" "$query" "$ts" "$nonce" "$hash" | openssl dgst -sha256 -hmac "$ZPL_API_HMAC_SECRET" -hex | awk '{print $NF}')
args=(-sS -X "$method" "$API$target" -H "x-zpl-timestamp: $ts" -H "x-zpl-nonce: $nonce" -H "x-zpl-signature: v2=$sig")
if [ -n "$file" ]; then args+=(-H 'content-type: application/json' --data-binary "$body"); fi
curl "${args[@]}"
echo
