#!/usr/bin/env bash
# vmtest: run mini's tests inside a real Linux VM whose cgroups are pure v2.
#
#   tools/vmtest/vmtest.sh [REGEX]     (make vmtest [VMTEST_RUN=REGEX])
#
# Students' machines mount cgroup v2 only; the machines mini is developed on
# are hybrid v1. This boots Debian's cloud kernel under QEMU (software
# emulation: no KVM needed) with an initramfs holding busybox, the mini and
# test binaries, the scenarios, the kernel modules mini needs, and the
# host's iptables, docker-registry and htpasswd with their libraries (so
# that the network and registry scenarios run there too); mounts
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
# The kernel modules mini needs, with what they depend on found in the
# kernel's modules.dep: the bridge, veth and overlayfs, and netfilter for
# iptables-nft's NAT, forwarding and port rules (the matches and targets
# steps/05-network uses).
MODULES="bridge veth overlay nf_tables nft_compat nft_chain_nat xt_MASQUERADE xt_nat xt_conntrack xt_addrtype xt_comment xt_tcpudp"
# Host programs the network, registry and API scenarios use, copied in with the
# shared libraries they load.
PROGRAMS="/usr/sbin/xtables-nft-multi /usr/bin/docker-registry /usr/bin/htpasswd /usr/bin/curl"

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
  mkdir -p "$STAGE/bin" "$STAGE/tests/grader"
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini" ./mini
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-image" ./mini/image
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-daemon" ./mini/daemon
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-init" ./mini/init
  CGO_ENABLED=0 $GO build -o "$STAGE/bin/mini-shim" ./mini/shim
  CGO_ENABLED=0 $GO test -c -o "$STAGE/tests/grader/grader.test" ./grader
  # The scenarios' probes, built here: the VM has no Go to build them.
  mkdir -p "$STAGE/tests/probes"
  for probe in grader/probes/*/; do
    CGO_ENABLED=0 $GO build -o "$STAGE/tests/probes/$(basename "$probe")" "./$probe"
  done
  for pkg in steps/*/ steps/*/*/; do
    name=$(echo "${pkg%/}" | sed 's#^steps/##; s#/#-#g')
    if ls "$pkg"*_test.go >/dev/null 2>&1; then
      CGO_ENABLED=0 $GO test -c -o "$STAGE/tests/$name.test" "./$pkg"
    fi
  done
  cp -r testdata "$STAGE/tests/testdata"
}

# module_order lists $MODULES and their dependencies, each after what it
# needs, as insmod must load them; built-in ones are left out. The kernel
# package has no modules.dep (depmod makes it on install), so each
# module's own "depends=" field says what it needs.
module_order() {
  local mods=$KDIR/lib/modules/$KVER seen=" " order=""
  visit() {
    local m=$1 f d
    case "$seen" in *" $m "*) return ;; esac
    seen="$seen$m "
    f=$(find "$mods" -name "$m.ko*" | head -1)
    if [ -z "$f" ]; then
      grep -qE "/$m\.ko" "$mods/modules.builtin" || { say "module $m not in $KDIR"; exit 1; }
      return
    fi
    for d in $(module_info "$f" | grep -a -o 'depends=[a-z0-9_,-]*' | sed 's/^depends=//; s/,/ /g'); do
      visit "$d"
    done
    order="$order $m"
  }
  for m in $MODULES; do visit "$m"; done
  echo $order
}

# module_info is a module file's bytes, uncompressed.
module_info() {
  case "$1" in
    *.xz) xz -dc "$1" ;;
    *.zst) zstd -qdc "$1" ;;
    *) cat "$1" ;;
  esac
}

# copy_modules puts the modules mini needs (and what they need) in the
# initramfs, uncompressed for busybox's insmod, and their load order in
# /etc/vmtest-modules.
copy_modules() {
  mkdir -p "$STAGE/lib/modules"
  local order
  order=$(module_order)
  for m in $order; do
    f=$(find "$KDIR/lib/modules/$KVER" -name "$m.ko*" | head -1)
    [ -n "$f" ] || { say "module $m not in $KDIR"; exit 1; }
    module_info "$f" > "$STAGE/lib/modules/$m.ko"
  done
  echo "$order" > "$STAGE/etc/vmtest-modules"
}

# copy_programs puts $PROGRAMS in the initramfs with the libraries ldd
# names, iptables' names for xtables-nft-multi, and its extensions.
copy_programs() {
  local p lib
  for p in $PROGRAMS; do
    [ -x "$p" ] || { say "missing $p: make deps installs it"; exit 1; }
    mkdir -p "$STAGE$(dirname "$p")"
    cp "$p" "$STAGE$p"
    for lib in $(ldd "$p" | grep -o '/[^ ]*'); do
      mkdir -p "$STAGE$(dirname "$lib")"
      cp -L "$lib" "$STAGE$lib"
    done
  done
  for n in iptables iptables-save iptables-restore; do
    ln -sf xtables-nft-multi "$STAGE/usr/sbin/$n"
  done
  local ext=/usr/lib/x86_64-linux-gnu/xtables
  [ -d "$ext" ] || { say "no iptables extensions in $ext"; exit 1; }
  mkdir -p "$STAGE$ext"
  cp -r "$ext"/. "$STAGE$ext/"
  # iptables-nft asks for the protocol names (-p tcp) in /etc/protocols.
  cp /etc/protocols "$STAGE/etc/protocols" 2>/dev/null || true
}

make_initramfs() {
  rm -rf "$STAGE"
  mkdir -p "$STAGE"/{bin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,newroot}
  build_binaries
  copy_modules
  copy_programs
  cp /usr/bin/busybox "$STAGE/bin/busybox"
  ln -s ../../bin/busybox "$STAGE/usr/bin/busybox"
  cp tools/vmtest/init "$STAGE/init"
  chmod 755 "$STAGE/init"
  echo "$RUN" > "$STAGE/etc/vmtest-run"
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
