#!/usr/bin/env bash
# Makes sure the Debian packages the tests and the quickstart use are installed: iproute2 (ip netns,
# veth), openssl (certificates for the local control plane), curl, containernetworking-plugins
# (the real macvlan plugin in /usr/lib/cni), and for the real nodes (scripts/node.sh) containerd and
# runc, and busybox-static (the seeds' workload image). As root on Debian it installs what is missing;
# otherwise it stops at once naming each missing package and the command that installs it.
set -euo pipefail
packages=(iproute2 openssl curl containernetworking-plugins containerd runc busybox-static)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "require-packages: installing ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  exit 0
fi
echo "require-packages: missing Debian packages: ${missing[*]}" >&2
echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
