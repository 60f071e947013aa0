#!/usr/bin/env bash
# Builds the test VM's kernel and initramfs from Debian packages and the agent's own .deb:
#
#   tests/vm/build-image.sh amd64|arm64 DEB OUTDIR
#
# OUTDIR gets: kernel (Debian's linux-image vmlinuz), initrd.cpio (uncompressed: QEMU loads it, nothing to unpack
# under emulation) holding busybox-static, the C libraries the self-contained agent needs, the kernel modules for
# I2C (i2c-stub, i2c-dev), the watchdogs (i6300esb, softdog) and the NIC, and the agent extracted from DEB.
# Debian packages are downloaded once into ${DIODE_VM_CACHE:-~/.cache/diode-edge-vm}.
set -euo pipefail
arch=${1:?usage: build-image.sh amd64|arm64 DEB OUTDIR}
deb=$(realpath "${2:?the diode-edge .deb to put in the image}")
out=${3:?output directory}
here=$(cd "$(dirname "$0")" && pwd)
cache=${DIODE_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diode-edge-vm}
mkdir -p "$cache" "$out"
out=$(cd "$out" && pwd)

case "$arch" in
  amd64) triplet=x86_64-linux-gnu; loader=/lib64/ld-linux-x86-64.so.2; nic=e1000 ;;
  arm64) triplet=aarch64-linux-gnu; loader=/lib/ld-linux-aarch64.so.1; nic=virtio_net ;;
  *) echo "build-image: unknown architecture '$arch' (amd64 or arm64)" >&2; exit 64 ;;
esac
for tool in apt-get apt-cache dpkg-deb cpio; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool is missing (apt-get install cpio dpkg-dev)" >&2; exit 69; }
done

# Downloads a Debian package (name[:arch]) into the cache once and extracts it; prints the extracted directory.
fetch() {
  local package=$1 dir="$cache/extracted/$1"
  if [ ! -e "$dir/.done" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$cache" && apt-get download -q -o APT::Sandbox::User=root "$package" >&2) || {
      echo "build-image: apt-get download $package failed (for arm64: dpkg --add-architecture arm64 && apt-get update)" >&2; exit 69; }
    dpkg-deb -x "$(ls -t "$cache"/"${package%%:*}"_*.deb | head -1)" "$dir"
    touch "$dir/.done"
  fi
  echo "$dir"
}

# The kernel: the package linux-image-<arch> depends on (e.g. linux-image-6.1.0-57-amd64).
meta=linux-image-$arch
[ "$arch" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ] && meta=$meta:arm64
kernel_package=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -1)
[ -n "$kernel_package" ] || { echo "build-image: apt does not know $meta (apt-get update?)" >&2; exit 69; }
[ "$arch" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ] && kernel_package=${kernel_package%:arm64}:arm64
kernel_dir=$(fetch "$kernel_package")
release=$(ls "$kernel_dir/lib/modules")
cp "$kernel_dir"/boot/vmlinuz-* "$out/kernel"

busybox_package=busybox-static
[ "$arch" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ] && busybox_package=busybox-static:arm64
busybox_dir=$(fetch "$busybox_package")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,etc/diode-edge,lib/modules,lib/vmlibs,var/lib/diode-edge,root,usr/bin}
cp "$busybox_dir/bin/busybox" "$root/bin/busybox"
install -m 0755 "$here/init" "$root/init"

# The agent exactly as the package installs it.
dpkg-deb -x "$deb" "$root"

# The C libraries the agent links or loads (the package's Depends): libc, zlib (the Native AOT binary links Debian's),
# OpenSSL (loaded at start); libstdc++ and libgcc_s for the ReadyToRun build of armhf. ICU is not needed: invariant
# globalization.
libdir=/lib/$triplet
[ -d "$libdir" ] || libdir=/usr/lib/$triplet
for lib in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libstdc++.so.6 libgcc_s.so.1 libz.so.1 libssl.so.3 libcrypto.so.3 libsecp256k1.so.1; do
  found=$(ls "/lib/$triplet/$lib" "/usr/lib/$triplet/$lib" 2>/dev/null | head -1 || true)
  if [ -n "$found" ]; then
    cp -L "$found" "$root/lib/vmlibs/$lib"
  else
    # .NET's cryptography loads OpenSSL at start ("No usable version of libssl was found" without it).
    echo "build-image: $lib for $arch is missing (apt-get install libc6:$arch libstdc++6:$arch libgcc-s1:$arch zlib1g:$arch libssl3:$arch libsecp256k1-1:$arch)" >&2; exit 69
  fi
done
mkdir -p "$root/$(dirname "$loader")"
cp -L "$(ls "/lib/$triplet/$(basename "$loader")" "$loader" 2>/dev/null | head -1)" "$root/$loader"

# Kernel modules with their dependencies first, as modules.load lines "file.ko parameters".
modules_root="$kernel_dir/lib/modules/$release"
declare -A seen=()
add_module() {
  local name=$1 params=${2:-} file deps dep
  file=$(find "$modules_root/kernel" -name "$name.ko" | head -1)
  [ -n "$file" ] || return 0 # built in, or not in this kernel (arm64 has no i2c-stub)
  [ -n "${seen[$name]:-}" ] && return 0
  seen[$name]=1
  deps=$(strings -a "$file" | sed -n 's/^depends=//p' | tr ',' ' ')
  for dep in $deps; do add_module "$dep"; done
  cp "$file" "$root/lib/modules/"
  echo "$name.ko $params" >> "$root/lib/modules/modules.load"
}
: > "$root/lib/modules/modules.load"
add_module "$nic"
[ "$arch" = arm64 ] && add_module virtio_pci
add_module i2c-dev
add_module i2c-stub chip_addr=0x76
add_module watchdog
# Which watchdog driver binds is chosen by the QEMU command line: i6300esb binds only when -device i6300esb is there;
# softdog is loaded by a test that wants it (insmod /lib/modules/softdog.ko soft_margin=N).
add_module i6300esb
# A disk that outlives a reset, for the boot history of the reset-loop scenario (the root is unpacked afresh each boot).
[ "$arch" = amd64 ] && { add_module virtio_pci; add_module virtio_blk; add_module crc32c_generic; add_module ext4; }
file=$(find "$modules_root/kernel" -name softdog.ko | head -1)
[ -n "$file" ] && cp "$file" "$root/lib/modules/"

# virtio_pci must probe before virtio_net binds: move the NIC after it on arm64.
if [ "$arch" = arm64 ]; then
  grep -v "^virtio_net.ko" "$root/lib/modules/modules.load" > "$root/lib/modules/modules.load.tmp" || true
  echo "virtio_net.ko " >> "$root/lib/modules/modules.load.tmp"
  mv "$root/lib/modules/modules.load.tmp" "$root/lib/modules/modules.load"
fi

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) > "$out/initrd.cpio"
echo "build-image: $arch image in $out (kernel $release, initrd $(du -h "$out/initrd.cpio" | cut -f1))"
