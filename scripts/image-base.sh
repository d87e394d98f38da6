#!/usr/bin/env bash
# The part of the images that is not Maven's (scripts/images.sh builds them; scripts/test.sh too):
#   target/image-base/        a Java runtime made with jlink from this machine's JDK 25 if it has one, else JDK 17 (only the
#                             modules the processes use) and the glibc files it links against,
#                             rebuilt when the JDK or the module list changes
#   agent/target/image-extra/ the static CNI plugin (scripts/build-cni.sh) at /usr/lib/spiderpool/cni
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The modules jdeps finds in the executables, TLS with EC keys, and nothing else.
modules=java.base,java.compiler,java.desktop,java.naming,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec
# The runtime's JDK: SPJ_IMAGE_JDK, else a JDK 25 of this machine (its AOT cache, scripts/image-aot.sh,
# starts the agent sooner), else the JDK 17 on the PATH.
jdk_home=${SPJ_IMAGE_JDK:-}
if [ -z "$jdk_home" ]; then
  for j in /usr/lib/jvm/*-25-* /usr/lib/jvm/*-25; do [ -x "$j/bin/jlink" ] && { jdk_home=$j; break; }; done
fi
[ -n "$jdk_home" ] || jdk_home=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
jdk_version=$("$jdk_home/bin/java" -version 2>&1 | head -1)
base=$root/target/image-base
stamp="$jdk_version|$modules|netty-libs"
if [ "$(cat "$base/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "== jlink runtime ($jdk_version: $modules)"
  rm -rf "$base" && mkdir -p "$base/opt" "$base/tmp"
  "$jdk_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$base/opt/java"
  # jlink links the legal notices to the JDK's files: the image gets copies.
  find "$base/opt/java/legal" -type l -exec sh -c 'cp --remove-destination "$(readlink -f "$1")" "$1"' _ {} \;
  # The glibc files the runtime links against (the image has no distribution underneath); the
  # desktop module's native libraries (AWT, fonts, sound) are never loaded and would pull in X11.
  for f in $( (ldd "$base/opt/java/bin/java"; find "$base/opt/java/lib" -name '*.so' \
      ! -regex '.*/lib\(awt.*\|splashscreen\|jawt\|fontmanager\|lcms\|mlib_image\|jsound\|javajpeg\|freetype\)\.so' \
      -exec ldd {} \;) 2>/dev/null | awk '/=> \// {print $3} /^[ \t]*\/lib/ {print $1}' | grep -v "^$base" | sort -u); do
    mkdir -p "$base$(dirname "$f")"
    cp -L "$f" "$base$f"
  done
  # Netty's native libraries (epoll, BoringSSL) are unpacked into /tmp at start, so ldd never sees
  # them: they link against libdl, libpthread, librt (glibc's compatibility stubs) and libgcc_s.
  for f in $(ldconfig -p | awk '/(libgcc_s.so.1|libdl.so.2|libpthread.so.0|librt.so.1) .*x86-64/ {print $NF}' | sort -u); do
    mkdir -p "$base$(dirname "$f")" && cp -L "$f" "$base$f"
  done
  touch "$base/tmp/.keep"
  echo "$stamp" > "$base/.stamp"
fi
du -sh "$base" | awk '{print "   runtime and libraries: " $1}'

echo "== the CNI plugin for the agent image"
scripts/build-cni.sh >/dev/null
mkdir -p agent/target/image-extra/usr/lib/spiderpool/cni controller/target/image-extra
cp cni/bin/spiderpool agent/target/image-extra/usr/lib/spiderpool/cni/spiderpool

