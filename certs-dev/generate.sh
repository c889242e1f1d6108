#!/usr/bin/env bash
# Creates the development PKI in certs-dev/pki: a dev CA, its revocation list, the hub's TLS certificate and
# a client certificate for every partner in src/ExchangeHub.Server/appsettings.Development.json.
# Whatever exists is kept. The hub runs the same code on its first start in Development.
# Not recommended in production environments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project src/ExchangeHub.Server -- dev-certs "$@"
