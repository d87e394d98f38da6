#!/usr/bin/env bash
# Adds an AOT cache to the agent image (agent/target/images/spiderpool-agent.tar, built by Jib) when
# its Java runtime makes one (JDK 25: -XX:AOTCacheOutput on a training run, -XX:AOTCache after):
# the image is unpacked, `spiderpool-agent aot-training` runs chrooted in it (same runtime, same
# /app class path and file times as in a pod, which the cache is checked against), and one layer is
# appended holding /app/aot/agent.aot, the application's classes as one jar (a cache takes jars
# only) with /app/jib-classpath-file naming it, and /app/jvm-options with the cache named in it. With a JDK 17
# runtime it changes nothing. Run by Maven with -Pimages (agent/pom.xml) and so by scripts/images.sh;
# needs root (chroot, a private mount namespace for /proc).
#
#   scripts/image-aot.sh IMAGE.tar
set -euo pipefail
tar=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/x" "$work/root" "$work/layer/app/aot"
tar -xf "$tar" -C "$work/x"
read -r config layers < <(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[0]; print(m["Config"], " ".join(m["Layers"]))' \
  "$work/x/manifest.json")
for layer in $layers; do tar --warning=no-unknown-keyword -xzf "$work/x/$layer" -C "$work/root"; done
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$work/root/opt/java/release")
if [ "${major:-0}" -lt 25 ]; then
  echo "image-aot: the image's Java runtime is $major: no AOT cache" >&2
  exit 0
fi
if grep -q -- '-XX:AOTCache=' "$work/root/app/jvm-options"; then
  echo "image-aot: $tar has its AOT cache already" >&2
  exit 0
fi
main=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["Entrypoint"][-1])' "$work/x/$config")
mkdir -p "$work/root/proc" "$work/root/app/aot"
# An AOT cache takes jars only: Jib's /app/classes and /app/resources become one jar, first on the
# class path (the file times are those every file of the image has, which the cache checks).
jar --create --file "$work/root/app/aot/app.jar" -C "$work/root/app/resources" . -C "$work/root/app/classes" .
tr ':' '\n' < "$work/root/app/jib-classpath-file" | grep -v -e '^/app/classes$' -e '^/app/resources$' \
  | { echo /app/aot/app.jar; cat; } | paste -sd: > "$work/classpath"
cp "$work/classpath" "$work/root/app/jib-classpath-file"
touch -d @1 "$work/root/app/aot/app.jar" "$work/root/app/jib-classpath-file"
t0=$(date +%s)
unshare -m sh -c "mount -t proc proc '$work/root/proc' && exec chroot '$work/root' /opt/java/bin/java @/app/jvm-options \
  -XX:AOTCacheOutput=/app/aot/agent.aot -cp @/app/jib-classpath-file $main aot-training" > "$work/training.log" 2>&1 \
  || { cat "$work/training.log" >&2; echo "image-aot: the training run failed" >&2; exit 1; }
cp "$work/root/app/aot/agent.aot" "$work/root/app/aot/app.jar" "$work/layer/app/aot/"
cp "$work/classpath" "$work/layer/app/jib-classpath-file"
{
  cat "$work/root/app/jvm-options"
  echo "# The AOT cache scripts/image-aot.sh made in this image (classes loaded and linked at build time)."
  echo "-XX:AOTCache=/app/aot/agent.aot"
  echo "# JDK 24+: Netty's native libraries and its Unsafe buffers, allowed without a warning."
  echo "--enable-native-access=ALL-UNNAMED"
  echo "--sun-misc-unsafe-memory-access=allow"
} > "$work/layer/app/jvm-options"
chmod 644 "$work/layer/app/jvm-options" "$work/layer/app/jib-classpath-file" "$work/layer/app/aot/"*
tar -C "$work/layer" --owner=0 --group=0 --numeric-owner --mtime=@1 --sort=name -cf "$work/layer.tar" app
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -6 < "$work/layer.tar" > "$work/layer.tar.gz"
blob=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)
mv "$work/layer.tar.gz" "$work/x/$blob.tar.gz"
python3 - "$work/x" "$config" "$blob.tar.gz" "$diff_id" <<'PY'
import hashlib, json, os, sys
d, config, layer, diff_id = sys.argv[1:]
c = json.load(open(os.path.join(d, config)))
c["rootfs"]["diff_ids"].append("sha256:" + diff_id)
c.setdefault("history", []).append({"created": "1970-01-01T00:00:00Z", "created_by": "scripts/image-aot.sh"})
data = json.dumps(c, separators=(",", ":")).encode()
name = hashlib.sha256(data).hexdigest() + ".json"
open(os.path.join(d, name), "wb").write(data)
os.remove(os.path.join(d, config))
m = json.load(open(os.path.join(d, "manifest.json")))
m[0]["Config"] = name
m[0]["Layers"].append(layer)
open(os.path.join(d, "manifest.json"), "w").write(json.dumps(m, separators=(",", ":")))
PY
tar -C "$work/x" --owner=0 --group=0 --numeric-owner --mtime=@1 --sort=name -cf "$tar.tmp" .
mv "$tar.tmp" "$tar"
echo "image-aot: $(basename "$tar"): AOT cache of $(( $(stat -c %s "$work/layer/app/aot/agent.aot") / 1048576 )) MiB from a $(( $(date +%s) - t0 )) s training run" >&2
