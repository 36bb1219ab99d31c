#!/usr/bin/env bash
# The labs' walk, run by tools/labvm/labvm.sh as the student in a fresh
# Debian 12 VM, from ~/mini. Each block is one exercise: its commands as
# the lab writes them (a person's pauses become sleeps, a second terminal
# becomes a background job, Ctrl-C becomes SIGINT), and checks of what the
# lab says they show. A block passes when its last command succeeds.
# Prints "LABWALK ok|FAIL NAME" per block and "LABWALK-RESULT N" (the
# number that failed) at the end.
cd "$HOME/mini" || exit 1
failed=0

# ex NAME: run the block on stdin with bash -e, from the tree, with the
# labs' variables set.
ex() {
  mkdir -p /tmp/labwalk
  local log="/tmp/labwalk/$(echo "$1" | tr -c 'a-zA-Z0-9.\n-' _).log" block=/tmp/labwalk.sh
  cat > "$block" # a command reading stdin must not eat the block
  if (cd "$HOME/mini" && R=/tmp/rootfs M="sudo bin/mini" REG=127.0.0.1:5055 bash -ex "$block") > "$log" 2>&1 < /dev/null; then
    echo "LABWALK ok   $1"
  else
    echo "LABWALK FAIL $1"
    tail -n 40 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

echo "LABWALK start: $(uname -r), $(stat -fc %T /sys/fs/cgroup), go: $(command -v go)"

ex "00 check the kernel" <<'SH'
uname -r
stat -fc %T /sys/fs/cgroup | grep -x cgroup2fs
ls /sys/fs/cgroup
cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null
ls -l /proc/self/ns
grep overlay /proc/filesystems || sudo modprobe overlay
findmnt -o TARGET,PROPAGATION / | grep shared
id -u; sudo id -u
SH

ex "00 make demo" <<'SH'
make demo | tee /tmp/demo.out
grep 'Hello from a mini container: I am demo, PID 1' /tmp/demo.out
sudo bin/mini info | grep '^ Cgroup Version: 2$'
SH

ex "00 make grade STAGE=01" <<'SH'
make grade STAGE=01 | tee /tmp/grade.out
grep -E '^stage 01: ([0-9]+)/\1 passed$' /tmp/grade.out
SH

ex "01 build and a root filesystem" <<'SH'
make build
go run ./tools/mkrootfs /tmp/rootfs
SH

ex "01.1 same or different" <<'SH'
ls -l /proc/self/ns > /tmp/host.ns
sudo bin/mini run --rootfs $R ls -l /proc/self/ns > /tmp/ctr.ns
host=$(grep -o 'uts:\[[0-9]*\]' /tmp/host.ns); ctr=$(grep -o 'uts:\[[0-9]*\]' /tmp/ctr.ns)
[ -n "$ctr" ] && [ "$host" != "$ctr" ]
SH

ex "01.2 by hand first" <<'SH'
sudo unshare --uts --pid --fork --mount-proc sh -c 'hostname by-hand; hostname; ps' | grep by-hand
hostname | grep -vx by-hand
SH

ex "01.3 pivot_root and propagation" <<'SH'
findmnt -o TARGET,PROPAGATION / | grep shared
sudo unshare --mount --propagation unchanged sh -c \
  "mount --bind $R $R && cd $R && pivot_root . . ; echo status=\$?" 2>&1 | tee /tmp/p1
grep -i 'invalid argument' /tmp/p1
grep 'status=1' /tmp/p1
sudo unshare --mount --propagation private sh -c \
  "mount --bind $R $R && cd $R && pivot_root . . && echo pivoted" | grep pivoted
findmnt $R
sudo umount $R
SH

ex "01.4 PID 1 is special" <<'SH'
sudo bin/mini run --name pid1 --rootfs $R sleep 1000 &
sleep 3
P=$(sudo bin/mini inspect -f '{{.State.Pid}}' pid1)
sudo kill -TERM $P
sleep 1
sudo kill -0 $P          # nothing happened
sudo kill -KILL $P
wait || true
sudo bin/mini rm pid1
sudo bin/mini run --name pid1 --rootfs $R sh -c 'trap "echo bye; exit 0" TERM; sleep 1000 & wait' > /tmp/bye &
sleep 3
sudo kill -TERM $(sudo bin/mini inspect -f '{{.State.Pid}}' pid1)
wait
grep bye /tmp/bye
sudo bin/mini rm pid1
SH

ex "01.5 capabilities" <<'SH'
sudo bin/mini run --rootfs $R grep Cap /proc/self/status | grep 'CapBnd:.*a80425fb'
command -v capsh || sudo apt-get install -y -q libcap2-bin
/sbin/capsh --decode=00000000a80425fb
sudo bin/mini run --rootfs $R -u student grep Cap /proc/self/status | grep 'CapEff:.*0000000000000000'
! sudo bin/mini run --rootfs $R mount -t tmpfs none /tmp
sudo bin/mini run --rootfs $R --privileged mount -t tmpfs none /tmp
SH

ex "01.6 what leaks" <<'SH'
printf 'ls -l /proc/self/fd; readlink /proc/1/exe; cat /proc/self/mountinfo; exit\n' |
  script -qec "sudo bin/mini run --rootfs $R -it sh" /dev/null | tee /tmp/leaks
grep ' / / .*overlay.*lowerdir=' /tmp/leaks
SH

ex "02.1 which layout" <<'SH'
stat -fc %T /sys/fs/cgroup
sudo bin/mini info | grep -i cgroup
[ "$(cat /proc/self/cgroup | wc -l)" = 1 ]
SH

ex "02.2 a group by hand" <<'SH'
sudo mkdir /sys/fs/cgroup/handmade
echo 20000000 | sudo tee /sys/fs/cgroup/handmade/memory.max
bash -c 'echo $$ | sudo tee /sys/fs/cgroup/handmade/cgroup.procs; cat /proc/self/cgroup; tail /dev/zero' && exit 1
sleep 1
sudo rmdir /sys/fs/cgroup/handmade
SH

ex "02.3 watch memory grow" <<'SH'
set +e
sudo bin/mini run --rootfs $R -m 64m --cidfile /tmp/cid02 sh -c 'hostname; sleep 2; tail /dev/zero' > /tmp/oom 2>&1 &
sleep 1.5
sudo bin/mini stats --no-stream
cat /sys/fs/cgroup/mini/$(cat /tmp/cid02)/memory.current
wait $!; status=$?
set -e
cat /tmp/oom
[ $status = 137 ]
sudo bin/mini rm $(cat /tmp/cid02)
SH

ex "02.4 stop a fork bomb" <<'SH'
set -m # a job of its own, as in a terminal: a background job ignores SIGINT
sudo bin/mini run --name bomb --rootfs $R --pids-limit 20 sh -c \
  'trap "echo stopped; exit 0" INT; f() { f | f & }; f 2>/dev/null; while :; do :; done' > /tmp/bomb &
sleep 4
sudo bin/mini stats --no-stream bomb | tee /tmp/bombstats
sudo bin/mini run --rm --rootfs $R --pids-limit 20 cat /sys/fs/cgroup/pids.max | grep -x 20
sudo bin/mini run --rm --rootfs $R --pids-limit 20 cat /sys/fs/cgroup/pids.events
kill -INT $!
wait $!
grep stopped /tmp/bomb
sudo bin/mini rm bomb
SH

ex "02.5 same flag, two files" <<'SH'
id=$(sudo bin/mini run -d --rootfs $R --cpus 0.5 -c 512 sleep 30)
grep -x '50000 100000' /sys/fs/cgroup/mini/$id/cpu.max
cat /sys/fs/cgroup/mini/$id/cpu.weight
sudo bin/mini rm -f $id
SH

ex "02.6 freeze" <<'SH'
sudo bin/mini run -d --name counter --rootfs $R sh -c 'i=0; while :; do i=$((i+1)); echo $i > /count; done'
P=$(sudo bin/mini inspect -f '{{.State.Pid}}' counter)
sleep 1
a=$(sudo cat /proc/$P/root/count); sleep 0.5; b=$(sudo cat /proc/$P/root/count)
[ "$a" != "$b" ]
sudo bin/mini pause counter
a=$(sudo cat /proc/$P/root/count); sleep 0.5; b=$(sudo cat /proc/$P/root/count)
[ "$a" = "$b" ]
grep State /proc/$P/status
sudo bin/mini unpause counter
sudo bin/mini rm -f counter
SH

ex "02.7 kill its supervisor" <<'SH'
id=$(sudo bin/mini run -d --rootfs $R sleep 300)
ps -ef --forest | grep -A1 mini-shim
P=$(sudo bin/mini inspect -f '{{.State.Pid}}' $id)
S=$(awk '{print $4}' /proc/$P/stat)
sudo kill -KILL $S
sleep 1
! sudo kill -0 $P 2>/dev/null
sudo bin/mini stats --no-stream
[ ! -d /sys/fs/cgroup/mini/$id ]
sudo bin/mini rm $id
SH

ex "03.1 overlay by hand" <<'SH'
mkdir -p /tmp/ov/{lower,upper,work,merged}
echo base > /tmp/ov/lower/a; echo keep > /tmp/ov/lower/b; mkdir /tmp/ov/lower/d
sudo mount -t overlay overlay \
  -o lowerdir=/tmp/ov/lower,upperdir=/tmp/ov/upper,workdir=/tmp/ov/work /tmp/ov/merged
echo changed | sudo tee /tmp/ov/merged/a     # copy-up
sudo rm /tmp/ov/merged/b                     # whiteout
sudo rm -r /tmp/ov/merged/d && sudo mkdir /tmp/ov/merged/d   # opaque
ls -l /tmp/ov/upper
command -v getfattr || sudo apt-get install -y -q attr
sudo getfattr -n trusted.overlay.opaque /tmp/ov/upper/d | grep 'opaque="y"'
cat /tmp/ov/lower/a | grep -x base
sudo umount /tmp/ov/merged
[ -c /tmp/ov/upper/b ] && [ "$(stat -c %t,%T /tmp/ov/upper/b)" = 0,0 ]
SH

ex "03.2 copy-up of a big file" <<'SH'
dd if=/dev/zero of=/tmp/ov/lower/big bs=1M count=200
sudo mount -t overlay overlay \
  -o lowerdir=/tmp/ov/lower,upperdir=/tmp/ov/upper,workdir=/tmp/ov/work /tmp/ov/merged
time sh -c 'echo x | sudo tee -a /tmp/ov/merged/big > /dev/null'
sudo umount /tmp/ov/merged
[ "$(stat -c %s /tmp/ov/upper/big)" = 209715202 ]
SH

ex "03.3 the container's layer" <<'SH'
sudo bin/mini run --rootfs $R --cidfile /tmp/cid sh -c 'echo hi > /root/new; rm /etc/group; echo x >> /etc/passwd'
sudo bin/mini diff $(cat /tmp/cid) | tee /tmp/diff
grep -x 'A /root/new' /tmp/diff; grep -x 'D /etc/group' /tmp/diff; grep -x 'C /etc/passwd' /tmp/diff
sudo ls -l /var/lib/mini/containers/$(cat /tmp/cid)/upper/etc
[ -f $R/etc/group ]
SH

ex "03.4 the data container" <<'SH'
sudo bin/mini run --name data-container -v /data-dir --rootfs $R true
sudo bin/mini run --rm --volumes-from data-container --rootfs $R sh -c "echo hello > /data-dir/hello"
sudo bin/mini run --rm --volumes-from data-container --rootfs $R sh -c "cat /data-dir/hello" | grep -x hello
sudo bin/mini volume ls
sudo bin/mini rm -v data-container
SH

ex "03.5 an image that attacks" <<'SH'
mkdir -p /tmp/evil && cat > /tmp/evil/main.go <<'GO'
package main

import ("archive/tar"; "os")

func main() {
	w := tar.NewWriter(os.Stdout)
	w.WriteHeader(&tar.Header{Name: "evil", Typeflag: tar.TypeSymlink, Linkname: "/"})
	w.WriteHeader(&tar.Header{Name: "evil/etc/cron.d/job", Typeflag: tar.TypeReg, Mode: 0o644, Size: 3})
	w.Write([]byte("hi\n"))
	w.Close()
}
GO
(cd /tmp/evil && go run main.go) > evil.tar
sudo bin/mini cp - $(cat /tmp/cid):/tmp < evil.tar || true
[ ! -e /etc/cron.d/job ]
SH

ex "03.6 cp both ways" <<'SH'
sudo bin/mini cp $(cat /tmp/cid):/etc/passwd .
echo mine > somefile
sudo bin/mini cp ./somefile $(cat /tmp/cid):/root/
sudo bin/mini diff $(cat /tmp/cid) | grep -x 'A /root/somefile'
sudo bin/mini rm $(cat /tmp/cid)
SH

ex "04 a registry of your own" <<'SH'
sudo apt-get install -y -q docker-registry skopeo
cat > /tmp/reg.yml <<'YML'
version: 0.1
storage: {filesystem: {rootdirectory: /tmp/registry}}
http: {addr: 127.0.0.1:5055}
YML
setsid docker-registry serve /tmp/reg.yml > /tmp/registry.log 2>&1 < /dev/null &
sleep 2
go run ./tools/mkrootfs /tmp/rootfs && tar -cf /tmp/rootfs.tar -C /tmp/rootfs . &&
sudo bin/mini import /tmp/rootfs.tar $REG/lab/busybox:1 && sudo bin/mini push $REG/lab/busybox:1
SH

ex "04.1 by hand, with curl" <<'SH'
command -v curl || sudo apt-get install -y -q curl
curl -s http://$REG/v2/_catalog | grep lab/busybox
curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
     http://$REG/v2/lab/busybox/manifests/1 | tee /tmp/m.json
layer=$(grep -o 'sha256:[0-9a-f]*' /tmp/m.json | tail -1)
curl -s http://$REG/v2/lab/busybox/blobs/$layer > /tmp/layer
[ "sha256:$(sha256sum < /tmp/layer | cut -d' ' -f1)" = "$layer" ]
tar -tzf /tmp/layer | grep bin/busybox
SH

ex "04.2 pull, and pull again" <<'SH'
sudo bin/mini --root /tmp/r1 pull $REG/lab/busybox:1
sudo bin/mini --root /tmp/r1 pull $REG/lab/busybox:1
sudo ls -R /tmp/r1/images | head -30
SH

ex "04.3 sharing" <<'SH'
sudo bin/mini --root /tmp/r1 run --name c1 $REG/lab/busybox:1 sh -c 'echo hi > /hi'
sudo bin/mini --root /tmp/r1 commit c1 lab/mine:1
sudo bin/mini --root /tmp/r1 history lab/mine:1
sudo bin/mini --root /tmp/r1 image inspect lab/mine:1 > /dev/null
sudo ls /tmp/r1/images/layers
SH

ex "04.4 whiteouts travel" <<'SH'
sudo bin/mini --root /tmp/r1 run --name c2 $REG/lab/busybox:1 rm /etc/group
sudo bin/mini --root /tmp/r1 commit c2 $REG/lab/nogroup:1
sudo bin/mini --root /tmp/r1 push $REG/lab/nogroup:1
curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
     http://$REG/v2/lab/nogroup/manifests/1 > /tmp/m2.json
layer=$(grep -o 'sha256:[0-9a-f]*' /tmp/m2.json | tail -1)
curl -s http://$REG/v2/lab/nogroup/blobs/$layer | tar -tz | grep 'etc/.wh.group'
sudo bin/mini --root /tmp/r2 run --rm $REG/lab/nogroup:1 sh -c '! test -e /etc/group'
SH

ex "04.5 save and load" <<'SH'
sudo bin/mini --root /tmp/r1 save -o /tmp/s.tar lab/mine:1
sudo tar -tf /tmp/s.tar | grep manifest.json
sudo tar -xOf /tmp/s.tar manifest.json
before=$(sudo bin/mini --root /tmp/r1 image inspect -f '{{.Id}}' lab/mine:1)
sudo bin/mini --root /tmp/r1 rmi lab/mine:1
! sudo bin/mini --root /tmp/r1 rmi $REG/lab/busybox:1
sudo bin/mini --root /tmp/r1 load -i /tmp/s.tar
[ "$(sudo bin/mini --root /tmp/r1 image inspect -f '{{.Id}}' lab/mine:1)" = "$before" ]
SH

ex "04.6 digests do not move" <<'SH'
sudo bin/mini --root /tmp/r1 tag lab/mine:1 $REG/lab/busybox:2
sudo bin/mini --root /tmp/r1 push $REG/lab/busybox:2
sudo bin/mini --root /tmp/r3 pull $REG/lab/busybox:2
d=$(sudo bin/mini --root /tmp/r3 images --digests | awk '$2 == "2" {print $3}')
sudo bin/mini --root /tmp/r3 pull $REG/lab/busybox@$d
SH

ex "04.7 what a failed pull leaves" <<'SH'
sudo bin/mini --root /tmp/r4 pull $REG/lab/busybox:1 & sleep 0.05; sudo pkill -9 -f "^mini-image --root /tmp/r4" || true
wait || true
sudo du -sh /tmp/r4/images
sudo bin/mini --root /tmp/r4 image prune -a
[ -z "$(sudo ls /tmp/r4/images/layers /tmp/r4/images/blobs/sha256 | grep -v : | grep .)" ]
SH

ex "05.1 by hand, first" <<'SH'
sudo ip netns add lab
sudo ip link add labbr type bridge && sudo ip addr add 10.123.0.1/24 dev labbr && sudo ip link set labbr up
sudo ip link add vhost type veth peer name vlab
sudo ip link set vhost master labbr up
sudo ip link set vlab netns lab
sudo ip netns exec lab ip addr add 10.123.0.2/24 dev vlab
sudo ip netns exec lab ip link set vlab up
sudo ip netns exec lab busybox ping -c1 10.123.0.1
sudo ip netns del lab; sudo ip link del labbr
SH

ex "05.2 mini does the same" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M run -d --name a --rootfs /tmp/rootfs sleep 1d
ip link show master mini0 | grep ': mv'  # the host's end of the container's veth
$M inspect -f '{{.NetworkSettings.IPAddress}}' a | grep '^10\.'
$M exec a ip route | grep default
$M exec a cat /etc/hosts
sudo iptables -t nat -S
sudo iptables -S MINI-FORWARD
SH

ex "05.3 the pool" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
for n in 1 2 3; do $M run -d --name p$n --rootfs /tmp/rootfs sleep 1d; done
sudo ls /run/mini/addresses/mini0
sudo sh -c "head /run/mini/addresses/mini0/*"
ip=$($M inspect -f '{{.NetworkSettings.IPAddress}}' p2)
$M rm -f p2
$M run -d --name p4 --rootfs /tmp/rootfs sleep 1d
[ "$($M inspect -f '{{.NetworkSettings.IPAddress}}' p4)" = "$ip" ]
! $M run --rm --ip $($M inspect -f '{{.NetworkSettings.IPAddress}}' p1) --rootfs /tmp/rootfs true
sudo bin/mini --root /tmp/other run -d --name o --rootfs /tmp/rootfs sleep 1d
[ "$(sudo bin/mini --root /tmp/other inspect -f '{{.NetworkSettings.IPAddress}}' o)" != "$ip" ]
sudo bin/mini --root /tmp/other rm -f o
$M rm -f p1 p3 p4
SH

ex "05.4 published ports" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M run -d --name web -p 8080:80 --rootfs /tmp/rootfs sh -c 'echo hi > /i.html; httpd -f -p 80 -h /'
sleep 1
busybox wget -qO- http://127.0.0.1:8080/i.html | grep -x hi
sudo iptables -t nat -S MINI-DNAT | grep 8080
$M run -d --name web2 -p 80 --rootfs /tmp/rootfs httpd -f -p 80 -h /
$M port web2
$M rm -f web web2
SH

ex "05.5 user networks" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M network create lab
$M run -d --net lab --name db --rootfs /tmp/rootfs sleep 1d
$M run -d --net lab --name app --rootfs /tmp/rootfs sleep 1d
$M exec app ping -c1 db
$M exec app cat /etc/hosts; $M exec db cat /etc/hosts
$M run -d --net lab --name third --rootfs /tmp/rootfs sleep 1d
$M exec db ping -c1 third
! $M exec a ping -c1 -W1 app
SH

ex "05.6 sharing and leaving" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
[ "$($M run --rm --net container:a --rootfs /tmp/rootfs ip -o -4 addr show eth0)" = "$($M exec a ip -o -4 addr show eth0)" ]
$M run --rm --net host --rootfs /tmp/rootfs ip -o link | grep mini0
[ "$($M run --rm --net none --rootfs /tmp/rootfs ls /sys/class/net)" = lo ]
$M network connect lab a
$M exec a ip addr show eth1
$M exec a ip route | grep 'default.*eth0'
$M rm -f $($M ps -aq)
$M network rm lab
SH

ex "06 a base image" <<'SH'
sudo bin/mini import /tmp/rootfs.tar lab/busybox:1
SH

ex "06.1 a build by hand first" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M run --name step lab/busybox:1 sh -c 'echo hi > /greeting.txt'
$M commit --change 'ENV WHO=world' --change 'CMD ["cat", "/greeting.txt"]' step lab/byhand:1
$M run --rm lab/byhand:1 | grep -x hi
$M rm step
SH

ex "06.2-4 a Dockerfile, intermediate images, the cache" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
mkdir -p /tmp/app && cd /tmp/app
echo hello > file.txt
cat > Dockerfile <<'DF'
FROM lab/busybox:1
ARG WHO=you
ENV GREETING=hi
COPY file.txt /file.txt
RUN echo "$GREETING $WHO" > /made.txt
CMD ["cat", "/made.txt"]
DF
$M build -t lab/app:1 .
$M history lab/app:1
$M image inspect lab/app:1 > /dev/null
$M images -a
$M run --rm lab/app:1 | grep -x 'hi you'
$M build -t lab/app:1 . | grep -c 'Using cache'
touch file.txt; $M build -t lab/app:1 .
$M build --build-arg WHO=me -t lab/app:2 .
$M run --rm lab/app:2 | grep -x 'hi me'
SH

ex "06.5 multi-stage" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
mkdir -p /tmp/ms && cd /tmp/ms
cat > Dockerfile <<'DF'
FROM lab/busybox:1 AS build
RUN printf '#!/bin/sh\necho built\n' > /hello.sh && chmod +x /hello.sh
FROM scratch
COPY --from=build /hello.sh /hello.sh
DF
$M build -t lab/ms:1 .
$M build --target build -t lab/ms:build .
$M images
SH

ex "06.6 ONBUILD" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
mkdir -p /tmp/ob/base /tmp/ob/child && cd /tmp/ob/base
printf 'FROM lab/busybox:1\nONBUILD COPY . /src\n' > Dockerfile
$M build -t lab/onbuild:1 .
cd /tmp/ob/child && echo x > x && printf 'FROM lab/onbuild:1\n' > Dockerfile
$M build -t lab/child:1 .
$M run --rm lab/child:1 cat /src/x | grep -x x
SH

ex "06.7 failures" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
mkdir -p /tmp/fail && cd /tmp/fail
printf 'FROM lab/busybox:1\nRUN exit 3\n' > Dockerfile; ! $M build .
printf 'FROM lab/busybox:1\nCOPY missing /m\n' > Dockerfile; ! $M build .
printf 'FROM lab/busybox:1\nCOPY ../x /x\n' > Dockerfile; ! $M build .
[ -z "$($M ps -aq)" ]
printf 'FROM lab/busybox:1\nRUN sleep 60\n' > Dockerfile; $M build . &
for i in $(seq 100); do [ -n "$($M ps -q)" ] && break; sleep 0.1; done
sudo pkill -9 -f "^mini-image build"
for i in $(seq 100); do [ -z "$($M ps -aq)" ] && break; sleep 0.1; done
[ -z "$($M ps -aq)" ]
SH

ex "06.9 into the image as it stands" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
mkdir -p /tmp/stand && cd /tmp/stand && echo f > f
printf 'FROM lab/busybox:1\nRUN chmod 1777 /tmp\nCOPY f /tmp/sub/f\nWORKDIR /app\nCOPY f .\n' > Dockerfile
$M build -t lab/stand:1 .
$M run --rm lab/stand:1 ls -ld /tmp /app /app/f | tee /tmp/stand/ls
grep -q '^drwxrwxrwt' /tmp/stand/ls
$M rmi lab/stand:1
SH

ex "07.1 detach" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M run -d --name ticker --rootfs /tmp/rootfs sh -c 'while :; do date; sleep 1; done'
$M ps | grep ticker
sleep 2
timeout 3 $M logs -f ticker || true
ps -ef --forest | grep -A1 mini-shim
SH

ex "07.2 what is on disk" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
id=$($M inspect -f '{{.Id}}' ticker)
sudo ls /var/lib/mini/containers/$id/
sudo cat /var/lib/mini/containers/$id/state.json /var/lib/mini/containers/$id/container.json > /dev/null
sudo tail -n 2 /var/lib/mini/containers/$id/log.json
sudo cat /var/lib/mini/run/$id.lock
time $M stop -t 1 ticker
SH

ex "07.3 kill the supervisor" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M start ticker
P=$($M inspect -f '{{.State.Pid}}' ticker)
sudo kill -9 $(awk '{print $4}' /proc/$P/stat)
sleep 1
$M ps -a | grep 'Exited (137)'
SH

ex "07.4-5 attach, exec" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M run -dit --name sh1 --rootfs /tmp/rootfs sh
(sleep 2; printf 'echo attached\n'; sleep 1; printf '\020\021') | timeout 20 script -qec "sudo bin/mini attach sh1" /dev/null | tee /tmp/attach
grep attached /tmp/attach
$M ps | grep sh1
$M exec sh1 ps
P=$($M inspect -f '{{.State.Pid}}' sh1)
[ "$(sudo readlink /proc/$P/ns/pid)" = "$($M exec sh1 readlink /proc/self/ns/pid)" ]
SH

ex "07.6 restart policies" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M run -d --name flaky --restart on-failure:3 --rootfs /tmp/rootfs sh -c 'date; exit 1'
sleep 10
$M ps -a | grep flaky
[ "$($M logs flaky | wc -l)" = 4 ]
SH

ex "07.7 pause" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M start ticker
$M pause ticker
$M ps | grep Paused
timeout 3 $M logs -f ticker || true
$M unpause ticker
SH

ex "07.8 events" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
$M events > /tmp/events &
sleep 1
$M run -d --name ev --rootfs /tmp/rootfs sleep 60
$M pause ev; $M unpause ev; $M stop -t 1 ev; $M rm ev
sleep 1
sudo kill $!
grep -c . /tmp/events
$M events --since 10m --until 0s -f event=die | grep die
$M rm -f $($M ps -aq)
SH

ex "08.1-7,9 the API with curl, mini as a client" <<'SH'
M="sudo $PWD/bin/mini"  # absolute: some exercises cd elsewhere
sudo bin/mini daemon -H unix:///tmp/mini.sock > /tmp/daemon.log 2>&1 &
for i in $(seq 50); do [ -S /tmp/mini.sock ] && break; sleep 0.1; done
C="sudo curl -sS --unix-socket /tmp/mini.sock"
$C -i http://localhost/_ping | grep -i '^api-version: 1.41'
$C http://localhost/v1.41/version | grep ApiVersion
[ "$($C -o /dev/null -w '%{http_code}' http://localhost/v1.10/version)" = 400 ]
$C -H 'Content-Type: application/json' -d '{"Image":"mini-demo","Cmd":["sh","-c","while :; do date; sleep 1; done"],"HostConfig":{"NetworkMode":"none","Memory":33554432}}' 'http://localhost/v1.41/containers/create?name=clock' | grep '"Id"'
[ "$($C -X POST -o /dev/null -w '%{http_code}' http://localhost/v1.41/containers/clock/start)" = 204 ]
$M ps | grep clock
$M inspect -f '{{.HostConfig.Memory}}' clock | grep -x 33554432
[ "$($C -o /dev/null -w '%{http_code}' http://localhost/v1.41/containers/nope/json)" = 404 ]
[ "$($C -X DELETE -o /dev/null -w '%{http_code}' http://localhost/v1.41/containers/clock)" = 409 ]
sleep 2
$C 'http://localhost/v1.41/containers/clock/logs?stdout=1&stderr=1' | od -A d -t x1 | head -4 | grep '01 00 00 00'
(timeout 3 $C -N http://localhost/v1.41/events > /tmp/apievents || true) &
sleep 0.5
$M stop -t 1 clock
wait $!
grep '"Action":"die"' /tmp/apievents
$M start clock
ID=$($C -H 'Content-Type: application/json' -d '{"Cmd":["sh","-c","sleep 0.3; exit 7"]}' http://localhost/v1.41/containers/clock/exec | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
$C -H 'Content-Type: application/json' -d '{"Detach":true}' http://localhost/v1.41/exec/$ID/start
$C http://localhost/v1.41/exec/$ID/json | grep '"ExitCode":null'
sleep 1
$C http://localhost/v1.41/exec/$ID/json | grep '"ExitCode":7'
$M -H unix:///tmp/mini.sock ps | grep clock
$M -H unix:///tmp/mini.sock run --rm --net none mini-demo echo hi | grep -x hi
sudo MINI_HOST=unix:///tmp/mini.sock bin/mini exec clock true
sudo pkill -INT -f 'daemon -H unix:///tmp/mini.sock'
sleep 0.5
[ ! -e /tmp/mini.sock ]
$M ps | grep clock
$M rm -f clock
SH

echo "LABWALK-RESULT $failed"
