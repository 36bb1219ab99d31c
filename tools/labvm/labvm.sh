#!/usr/bin/env bash
# labvm: walk the labs on a fresh Debian 12 machine, as a student would.
#
#   tools/labvm/labvm.sh            (make labvm)
#
# make vmtest proves the tests on cgroup v2, but from a bare initramfs with
# everything copied in. The labs are written for a student's own VM: a
# plain Debian install with systemd (so cgroup v2 and a shared /), a user
# who is root only through sudo (whose secure PATH has no Go), Go
# installed from go.dev in /usr/local/go, and nothing else. This makes
# exactly that machine and walks the labs in it:
#
#   - debootstrap a Debian 12 root with its kernel, sudo, make and git
#     (cached in build/labvm/base), a user "student" with sudo, this Go
#     copied to /usr/local/go and put on the student's PATH as go.dev
#     says, and this tree cloned (its HEAD) into ~student/mini;
#   - boot it under QEMU (software emulation), with a user-mode network
#     that reaches Debian's mirror and the Go module proxy, as a student's
#     VM reaches the internet;
#   - at boot, a service runs tools/labvm/walk.sh as the student: the
#     labs' commands as they are written, each judged by what the lab says
#     it shows, and powers off; the console says LABWALK-RESULT N.
#
# Software emulation is slow: a walk takes a good half hour, most of it Go
# compiling mini. It is not part of make test or CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=build/labvm
BASE=$CACHE/base
ROOT=$CACHE/root
DISK=$CACHE/disk.img
TIMEOUT=${LABVM_TIMEOUT:-5400}
GO=${GO:-go}
# What a fresh Debian server has beyond debootstrap's standard system, and
# what the labs' preflight asks for (make and git); busybox-static and the
# rest come from make demo, as in the lab.
PACKAGES=linux-image-amd64,systemd-sysv,sudo,make,git,ca-certificates

say() { echo "labvm: $*" >&2; }

# base makes (once) the Debian 12 root filesystem, with its kernel.
base() {
  [ -f "$BASE/.done" ] && return
  say "debootstrap bookworm into $BASE"
  rm -rf "$BASE"
  debootstrap --include="$PACKAGES" bookworm "$BASE" http://deb.debian.org/debian >&2
  touch "$BASE/.done"
}

# configure copies the base and makes it the student's machine.
configure() {
  say "configuring the student's machine"
  rm -rf "$ROOT"
  cp -a "$BASE" "$ROOT"
  echo labvm > "$ROOT/etc/hostname"
  echo "127.0.1.1 labvm" >> "$ROOT/etc/hosts"
  echo "LABEL=labroot / ext4 defaults 0 1" > "$ROOT/etc/fstab"
  printf '[Match]\nName=en*\n[Network]\nDHCP=yes\n' > "$ROOT/etc/systemd/network/20-wired.network"
  ln -sf /lib/systemd/system/systemd-networkd.service "$ROOT/etc/systemd/system/multi-user.target.wants/"
  ln -sf /lib/systemd/system/systemd-resolved.service "$ROOT/etc/systemd/system/multi-user.target.wants/" 2>/dev/null || true
  echo "nameserver 10.0.2.3" > "$ROOT/etc/resolv.conf"
  # The VM reaches the internet through this host, so it trusts what the
  # host trusts: a network whose proxy re-signs TLS (a company's, or this
  # project's sandbox) has its CA in the host's store, and without it go
  # cannot fetch a module in the VM.
  if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
    chroot "$ROOT" update-ca-certificates >/dev/null
  fi
  chroot "$ROOT" useradd -m -s /bin/bash -G sudo student
  # sudo without a password: the walk has no one to type it.
  echo "student ALL=(ALL) NOPASSWD: ALL" > "$ROOT/etc/sudoers.d/student"
  # Go as go.dev installs it: /usr/local/go, on the user's PATH only.
  cp -a "$($GO env GOROOT)" "$ROOT/usr/local/go"
  echo 'export PATH=$PATH:/usr/local/go/bin' >> "$ROOT/home/student/.profile"
  git clone -q . "$ROOT/home/student/mini"
  chroot "$ROOT" chown -R student:student /home/student
  install -m 755 tools/labvm/walk.sh "$ROOT/usr/local/bin/labwalk"
  cat > "$ROOT/etc/systemd/system/labwalk.service" <<'EOF'
[Unit]
Description=walk mini's labs as the student
After=network-online.target
Wants=network-online.target
[Service]
Type=oneshot
User=student
WorkingDirectory=/home/student/mini
ExecStart=/bin/bash -l /usr/local/bin/labwalk
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Install]
WantedBy=multi-user.target
EOF
  ln -sf /etc/systemd/system/labwalk.service "$ROOT/etc/systemd/system/multi-user.target.wants/"
  # The walk writes to the serial console: no login prompt may share it.
  ln -sf /dev/null "$ROOT/etc/systemd/system/serial-getty@ttyS0.service"
  rm -f "$DISK"
  mkfs.ext4 -q -d "$ROOT" -L labroot "$DISK" 16G
}

boot() {
  local kernel initrd
  kernel=$(ls "$ROOT"/boot/vmlinuz-* | tail -1)
  initrd=$(ls "$ROOT"/boot/initrd.img-* | tail -1)
  say "booting (log: $CACHE/console.log)"
  timeout "$TIMEOUT" qemu-system-x86_64 -m 4096 -smp 2 -nographic -no-reboot \
    -kernel "$kernel" -initrd "$initrd" \
    -drive file="$DISK",if=virtio,format=raw -nic user,model=virtio-net-pci \
    -append "root=LABEL=labroot rw console=ttyS0 quiet" </dev/null 2>&1 \
    | tee "$CACHE/console.log" || true
  result=$(grep -a -o 'LABWALK-RESULT [0-9]*' "$CACHE/console.log" | tail -1 | awk '{print $2}')
  if [ -z "$result" ]; then
    say "the walk gave no result (timed out after ${TIMEOUT}s, or crashed): see $CACHE/console.log"
    say "each exercise's log is in the VM's /tmp/labwalk: mount -o loop,ro $DISK /mnt"
    exit 1
  fi
  grep -a '^LABWALK ' "$CACHE/console.log" >&2 || true
  exit "$result"
}

for tool in debootstrap qemu-system-x86_64 mkfs.ext4 git; do
  command -v "$tool" >/dev/null || { say "missing $tool: apt-get install debootstrap qemu-system-x86 e2fsprogs git"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "run as root (make labvm uses sudo)"; exit 1; }
mkdir -p "$CACHE"
# The cache holds a Debian root with Go's own sources: a go.mod of its own
# keeps it out of this module's ./... (go vet, go test).
echo 'module labvm.cache' > build/go.mod
base
configure
boot
