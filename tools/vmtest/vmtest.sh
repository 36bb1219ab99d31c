#!/usr/bin/env bash
# vmtest: run mini's tests inside a real Linux VM whose cgroups are pure v2.
#
#   tools/vmtest/vmtest.sh [REGEX]     (make vmtest [VMTEST_RUN=REGEX])
#
# Students' machines mount cgroup v2 only; the machines mini is developed on
# are hybrid v1. This boots Debian's cloud kernel under QEMU (software
# emulation: no KVM needed) with an initramfs holding busybox, the mini and
# test binaries, the scenarios and the kernel modules mini needs; mounts
# cgroup2 alone at /sys/fs/cgroup; proves that, and that `mini info` says
# v2, before anything runs; runs the tests whose names match REGEX (default:
# every scenario and the step packages' tests); and exits with their status.
# The kernel package is fetched with apt and cached in build/vm.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUN=${1:-${VMTEST_RUN:-.}}
CACHE=build/vm
STAGE=$CACHE/initramfs
TIMEOUT=${VMTEST_TIMEOUT:-2400}
GO=${GO:-go}
MODULES="llc stp bridge veth overlay"

say() { echo "vmtest: $*" >&2; }

# fetch_kernel unpacks the kernel package the cloud metapackage points at.
fetch_kernel() {
  local pkg
  pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  [ -n "$pkg" ] || { say "no linux-image-cloud-amd64 in apt's lists: run apt-get update"; exit 1; }
  KVER=${pkg#linux-image-}
  KDIR=$CACHE/$pkg
  if [ ! -f "$KDIR/.unpacked" ]; then
    say "fetching $pkg"
    (cd "$CACHE" && apt-get download -q "$pkg" >/dev/null) ||
      { apt-get update -qq && (cd "$CACHE" && apt-get download -q "$pkg" >/dev/null); }
    dpkg-deb -x "$CACHE"/"${pkg}"_*.deb "$KDIR"
    touch "$KDIR/.unpacked"
  fi
  VMLINUZ=$KDIR/boot/vmlinuz-$KVER
}

# build_binaries builds mini and the test binaries, static so that they run
# on the bare initramfs.
build_binaries() {
  say "building"
  mkdir -p "$STAGE/bin" "$STAGE/tests/mini"
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini" ./mini
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-image" ./mini/image
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-init" ./mini/init
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-shim" ./mini/shim
  CGO_ENABLED=0 $GO test -c -o "$STAGE/tests/mini/mini.test" ./mini
  for pkg in steps/*/ steps/*/*/; do
    name=$(echo "${pkg%/}" | sed 's#^steps/##; s#/#-#g')
    if ls "$pkg"*_test.go >/dev/null 2>&1; then
      CGO_ENABLED=0 $GO test -c -o "$STAGE/tests/$name.test" "./$pkg"
    fi
  done
  cp -r testdata "$STAGE/tests/testdata"
}

# copy_modules puts the modules mini needs (and what they need) in the
# initramfs, uncompressed for busybox's insmod.
copy_modules() {
  mkdir -p "$STAGE/lib/modules"
  for m in $MODULES; do
    f=$(find "$KDIR/lib/modules/$KVER" -name "$m.ko*" | head -1)
    [ -n "$f" ] || { say "module $m not in $KDIR"; exit 1; }
    case "$f" in
      *.xz) xz -dc "$f" > "$STAGE/lib/modules/$m.ko" ;;
      *.zst) zstd -qdc "$f" > "$STAGE/lib/modules/$m.ko" ;;
      *) cp "$f" "$STAGE/lib/modules/$m.ko" ;;
    esac
  done
}

make_initramfs() {
  rm -rf "$STAGE"
  mkdir -p "$STAGE"/{bin,usr/bin,etc,proc,sys,dev,tmp,run,newroot}
  build_binaries
  copy_modules
  cp /usr/bin/busybox "$STAGE/bin/busybox"
  ln -s ../../bin/busybox "$STAGE/usr/bin/busybox"
  cp tools/vmtest/init "$STAGE/init"
  chmod 755 "$STAGE/init"
  echo "$RUN" > "$STAGE/etc/vmtest-run"
  echo "$MODULES" > "$STAGE/etc/vmtest-modules"
  (cd "$STAGE" && find . | cpio -o -H newc --quiet) > "$CACHE/initramfs.cpio"
}

boot() {
  say "booting $KVER with pure cgroup v2 (log: $CACHE/console.log)"
  timeout "$TIMEOUT" qemu-system-x86_64 -m 3072 -smp 2 -nographic -no-reboot \
    -kernel "$VMLINUZ" -initrd "$CACHE/initramfs.cpio" \
    -append "console=ttyS0 panic=-1 quiet loglevel=3" </dev/null 2>&1 \
    | tee "$CACHE/console.log" || true
  result=$(grep -a -o 'VMTEST-RESULT [0-9]*' "$CACHE/console.log" | tail -1 | awk '{print $2}')
  if [ -z "$result" ]; then
    say "the VM gave no result (timed out after ${TIMEOUT}s, or crashed): see $CACHE/console.log"
    exit 1
  fi
  [ "$result" = 0 ] && say "passed inside the VM" || say "FAILED inside the VM"
  exit "$result"
}

for tool in qemu-system-x86_64 cpio apt-get dpkg-deb busybox; do
  command -v "$tool" >/dev/null || { say "missing $tool: apt-get install qemu-system-x86 cpio busybox-static"; exit 1; }
done
mkdir -p "$CACHE"
fetch_kernel
make_initramfs
boot
