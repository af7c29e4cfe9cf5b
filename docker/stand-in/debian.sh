#!/bin/sh
# Builds local/debian:bookworm-slim from Debian's own mirror with debootstrap, for machines that cannot pull
# debian:bookworm-slim from Docker Hub. Needs root, debootstrap and a running Docker daemon.
#   sh docker/stand-in/debian.sh [mirror]
set -eu
MIRROR="${1:-http://deb.debian.org/debian}"
TAG="${DEBIAN_TAG:-local/debian:bookworm-slim}"
ROOT="$(mktemp -d /tmp/jiesu-bookworm.XXXXXX)"
trap 'rm -rf "$ROOT"' EXIT
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR"
# What debian:bookworm-slim does to stay small: no documentation or man pages installed later, no apt caches.
mkdir -p "$ROOT/etc/dpkg/dpkg.cfg.d"
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
  'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
  'path-include /usr/share/locale/locale.alias' > "$ROOT/etc/dpkg/dpkg.cfg.d/docker"
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
  "$MIRROR" "$MIRROR" > "$ROOT/etc/apt/sources.list"
rm -rf "$ROOT/var/lib/apt/lists/"* "$ROOT/var/cache/apt/"*.bin "$ROOT/var/cache/apt/archives/"*.deb \
  "$ROOT/usr/share/doc/"*/changelog* "$ROOT/usr/share/man/"* "$ROOT/usr/share/info/"*
tar -C "$ROOT" -c . | docker import -c 'CMD ["bash"]' - "$TAG"
docker image ls "$TAG"
