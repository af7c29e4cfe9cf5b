#!/bin/sh
set -e
# As the official node image's: a first argument that is an option or not a command is given to node.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}" || true)" ]; then
  set -- node "$@"
fi
exec "$@"
