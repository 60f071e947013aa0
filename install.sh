#!/usr/bin/env bash
# Installs diode-edge on a Raspberry Pi (or any Debian-based arm64/amd64 machine) from its .deb, and optionally
# enables I2C and the hardware watchdog in the boot config. Idempotent: a second run changes nothing.
#
#   sudo ./install.sh [--deb FILE] [--enable-i2c] [--enable-watchdog] [--dry-run] [--root DIR]
#
#   --deb FILE          the package to install (default: diode-edge_*_<arch>.deb next to this script, in ./ or in
#                       artifacts/deb/, the newest version)
#   --enable-i2c        dtparam=i2c_arm=on in the boot config, i2c-dev in /etc/modules (reboot needed)
#   --enable-watchdog   dtparam=watchdog=on in the boot config (reboot needed)
#   --dry-run           print the plan, change nothing (root not needed)
#   --root DIR          act on DIR as the root filesystem (a scratch root for tests; the package is installed
#                       there with dpkg --root)
set -euo pipefail

root=""
deb=""
enable_i2c=0
enable_watchdog=0
dry_run=0

die() { echo "install.sh: $*" >&2; exit 1; }
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --deb) [ $# -ge 2 ] || die "--deb needs a file"; deb=$2; shift 2 ;;
    --enable-i2c) enable_i2c=1; shift ;;
    --enable-watchdog) enable_watchdog=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; root=${2%/}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[ -z "$root" ] || [ -d "$root" ] || die "--root $root: no such directory"

# Refuse clearly what cannot work.
[ -f "$root/etc/debian_version" ] || die "this is not a Debian-based system ($root/etc/debian_version is missing): diode-edge is packaged as a .deb for Raspberry Pi OS, Debian and Ubuntu"
if [ "$dry_run" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo ./install.sh ...), or add --dry-run to see the plan"
fi

# What this machine is.
if [ -n "$root" ] && [ -f "$root/var/lib/dpkg/arch" ]; then
  arch=$(head -n1 "$root/var/lib/dpkg/arch")
elif command -v dpkg >/dev/null 2>&1 && [ -z "$root" ]; then
  arch=$(dpkg --print-architecture)
else
  case "$(uname -m)" in
    aarch64|arm64) arch=arm64 ;;
    x86_64) arch=amd64 ;;
    armv7l|armv6l) arch=armhf ;;
    *) arch=$(uname -m) ;;
  esac
fi
model=""
if [ -r "$root/proc/device-tree/model" ]; then
  model=$(tr -d '\0' < "$root/proc/device-tree/model")
fi
case "$arch" in
  arm64|amd64) ;;
  armhf) die "this is a 32-bit system ($model): diode-edge needs 64-bit Raspberry Pi OS (Pi 3, 4, 5, Zero 2 W); see README \"Install on a Raspberry Pi\"" ;;
  *) die "no diode-edge package for architecture $arch" ;;
esac

# The package.
if [ -z "$deb" ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  deb=$(ls -1 "$here"/diode-edge_*_"$arch".deb ./diode-edge_*_"$arch".deb "$here"/artifacts/deb/diode-edge_*_"$arch".deb 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$deb" ] || die "no diode-edge_*_$arch.deb found next to install.sh, in ./ or artifacts/deb/ (build it: packaging/build-deb.sh $arch), or give --deb FILE"
fi
[ -f "$deb" ] || die "--deb $deb: no such file"
deb_arch=$(dpkg-deb -f "$deb" Architecture)
deb_version=$(dpkg-deb -f "$deb" Version)
[ "$deb_arch" = "$arch" ] || die "$deb is for $deb_arch, this system is $arch"

installed_version=""
if [ -f "$root/var/lib/dpkg/status" ]; then
  installed_version=$(awk '/^Package: diode-edge$/ { p = 1; next } /^Package:/ { p = 0 } p && /^Status: install ok installed/ { i = 1 } p && /^Version:/ && i { print $2; exit }' "$root/var/lib/dpkg/status")
fi

# The boot config: Raspberry Pi OS bookworm has /boot/firmware/config.txt, older releases /boot/config.txt.
boot_config=""
for candidate in "$root/boot/firmware/config.txt" "$root/boot/config.txt"; do
  if [ -f "$candidate" ]; then boot_config=$candidate; break; fi
done

plan=()
reboot=0
[ "$installed_version" = "$deb_version" ] || plan+=("install $(basename "$deb") (diode-edge $deb_version, installed: ${installed_version:-none})")

has_line() { [ -f "$1" ] && grep -qxF "$2" "$1"; }
want_line() { # file, line, why
  if ! has_line "$1" "$2"; then
    plan+=("add '$2' to ${1#"$root"} ($3)")
    reboot=1
  fi
}
if [ "$enable_i2c" -eq 1 ] || [ "$enable_watchdog" -eq 1 ]; then
  [ -n "$boot_config" ] || die "no boot config (/boot/firmware/config.txt or /boot/config.txt): is this a Raspberry Pi? Leave out --enable-i2c/--enable-watchdog elsewhere"
fi
if [ "$enable_i2c" -eq 1 ]; then
  want_line "$boot_config" "dtparam=i2c_arm=on" "the I2C bus on GPIO2/GPIO3"
  want_line "$root/etc/modules" "i2c-dev" "/dev/i2c-N device nodes"
fi
if [ "$enable_watchdog" -eq 1 ]; then
  want_line "$boot_config" "dtparam=watchdog=on" "the BCM2835 hardware watchdog, /dev/watchdog"
fi

echo "diode-edge installer: ${model:-a $arch machine} (${arch})${root:+, root $root}"
if [ ${#plan[@]} -eq 0 ]; then
  echo "Nothing to do: diode-edge $deb_version is installed and the boot config is as asked."
  exit 0
fi
echo "Plan:"
for step in "${plan[@]}"; do echo "  - $step"; done
if [ "$dry_run" -eq 1 ]; then
  echo "Dry run: nothing changed."
  exit 0
fi

if [ "$installed_version" != "$deb_version" ]; then
  if [ -n "$root" ]; then
    # A scratch root: dpkg's own --root, maintainer scripts run here with DPKG_ROOT set.
    dpkg --root="$root" --force-script-chrootless --force-depends --force-confold --log=/dev/null -i "$deb"
  else
    DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confold "$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
  fi
fi

append_line() {
  if ! has_line "$1" "$2"; then
    mkdir -p "$(dirname "$1")"
    [ ! -f "$1" ] || [ -z "$(tail -c1 "$1")" ] || echo >> "$1"
    echo "$2" >> "$1"
    echo "  changed ${1#"$root"}: added $2"
  fi
}
if [ "$enable_i2c" -eq 1 ]; then
  append_line "$boot_config" "dtparam=i2c_arm=on"
  append_line "$root/etc/modules" "i2c-dev"
fi
if [ "$enable_watchdog" -eq 1 ]; then
  append_line "$boot_config" "dtparam=watchdog=on"
fi

echo "Done. diode-edge $deb_version: systemctl status diode-edge; config in /etc/diode-edge/config.json."
echo "To publish through the Diode network: install the Diode client as /usr/local/bin/diode and set diode.fleet to your"
echo "fleet contract in /etc/diode-edge/config.json (or mode \"private\" with diode.allow); until then the client stays off,"
echo "because protected mode with the default fleet would admit anyone. Then: sudo systemctl restart diode-edge"
if [ "$reboot" -eq 1 ]; then
  echo "Reboot needed for the boot config changes: sudo reboot"
fi
