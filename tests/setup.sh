#!/usr/bin/env bash
# Installs what the Integration, Hostile, System and Soak tiers need on a Debian machine with the .NET SDK (as root, or
# with sudo): Debian packages, the arm64 multiarch libraries, and tests/js's npm packages from its lockfile. Idempotent:
# only what is missing is installed. ./test.sh runs it before any tier but Unit; tests/README.md says what needs what.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
need() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
need curl curl
need node nodejs
need npm npm
need mosquitto mosquitto
# The dashboard tests drive Debian's Chromium headless with playwright-core (tests/js).
need chromium chromium
# MQTT output tests: the TLS test makes its CA and broker certificate with openssl.
need openssl openssl
# Packaging: Debian's own tools check the .deb; the arm64 build runs under qemu-user with arm64 libraries.
need lintian lintian
need dpkg-deb dpkg-dev
need systemd-analyze systemd
need file file
need aarch64-linux-gnu-strip binutils-aarch64-linux-gnu
need qemu-aarch64-static qemu-user-static
need setpriv util-linux
# Native AOT: the ILCompiler links the agent with clang against zlib; arm64 is cross-linked with lld
# against the arm64 C library, zlib and libgcc (packaging/publish-aot.sh).
need clang clang
need ld.lld lld
# Signing: the native libsecp256k1 the package depends on (for x64 here, and arm64 for the qemu-user run).
[ -e /usr/lib/x86_64-linux-gnu/libsecp256k1.so.1 ] || apt_packages+=(libsecp256k1-1)
need aarch64-linux-gnu-objcopy binutils-aarch64-linux-gnu
[ -e /usr/include/zlib.h ] || apt_packages+=(zlib1g-dev)
# The QEMU suite (tests/vm): Debian's kernels and busybox are fetched with apt-get download by the tests.
need qemu-system-x86_64 qemu-system-x86
need qemu-system-aarch64 qemu-system-arm
need cpio cpio
need strings binutils
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo_cmd dpkg --add-architecture arm64
  apt_packages+=(libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64)
elif [ ! -e /lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/lib/aarch64-linux-gnu/libssl.so.3 ]; then
  apt_packages+=(libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64)
fi
# apt-get download needs fresh package lists (the kernel's package name comes from linux-image-<arch>'s dependency).
if [ "${#apt_packages[@]}" -gt 0 ] || ! apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1; then
  $sudo_cmd apt-get update -qq
  [ "${#apt_packages[@]}" -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

# The arm64 libgcc for the cross link: the same GCC version as this machine's (installed with clang above).
gcc_version=$(ls /usr/lib/gcc/x86_64-linux-gnu | sort -V | tail -1)
arm64_dev=()
[ -e /usr/lib/aarch64-linux-gnu/libc.so ] || arm64_dev+=(libc6-dev:arm64)
[ -e /usr/lib/aarch64-linux-gnu/libz.so ] || arm64_dev+=(zlib1g-dev:arm64)
[ -e /usr/lib/aarch64-linux-gnu/libsecp256k1.so.1 ] || arm64_dev+=(libsecp256k1-1:arm64)
ls /usr/lib/gcc/aarch64-linux-gnu/*/crtendS.o >/dev/null 2>&1 || arm64_dev+=("libgcc-${gcc_version}-dev:arm64")
[ "${#arm64_dev[@]}" -eq 0 ] || { $sudo_cmd apt-get update -qq; DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${arm64_dev[@]}"; }

# The independent JavaScript verifier of the golden vectors and of live frames (ethers) and the dashboard's browser
# driver (playwright-core), from the committed lockfile. The dashboard's own packages (agent/Dashboard/web) are
# installed by the agent's build.
npm ci --prefix tests/js --no-audit --no-fund
