# mini's build, demo, tests and benchmarks.
#
#   make demo    install what is missing, build mini, run a first container
#   make test    run every test and scenario (as root; sudo is used if needed)
#   make bench   time container starts beside runc
#   make vmtest  run the tests in a VM whose cgroups are pure v2 (QEMU)
#   make grade STAGE=01 MINI=/path/to/mini   grade a mini on one stage
#   make skeleton STAGE=01 DIR=~/lab01   cut lab 01's tree to write it yourself
#   make prove   check each lab's skeleton fails its stage and passes those before
#   make labvm   walk the labs' exercises in a fresh Debian 12 VM (slow: QEMU)
#   make man     write a man page per command into build/man
#
# Containers need root. As root, these targets run as they are; as a user,
# the steps that need root go through sudo.

SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)
# sudo's secure PATH often lacks Go's own directory: find go ourselves.
GO      ?= $(or $(shell command -v go 2>/dev/null),/usr/local/go/bin/go)
BIN     := bin/mini
ROOTFS  := build/rootfs
# Debian packages the tests and demo use: the static busybox for fixtures,
# the CNCF registry and htpasswd for the image scenarios, iptables for the
# network's NAT, curl, docker-compose and Docker's Python SDK for the API's
# scenarios (step 08).
PACKAGES := busybox-static docker-registry apache2-utils iptables curl docker-compose python3-docker
# Extra flags for go test, e.g. make test TESTFLAGS='-run TestScripts/01'
TESTFLAGS ?=

# The VM suite's extra packages, and which tests it runs (a go test -run
# regexp; every test by default).
VM_PACKAGES := qemu-system-x86 cpio xz-utils
VMTEST_RUN ?= .

.PHONY: all build deps demo test vet bench vmtest labvm grade skeleton prove man clean

all: build

# mini, and beside it mini-init, the small program containers start as
# (mini/init/main.go), mini-shim, each running container's supervisor
# (steps/07-runtime/supervisor), mini-image, which serves the image
# commands (mini/imagetool.go says why), and mini-daemon, the API daemon.
build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./mini
	CGO_ENABLED=0 $(GO) build -o $(BIN)-image ./mini/image
	CGO_ENABLED=0 $(GO) build -o $(BIN)-daemon ./mini/daemon
	CGO_ENABLED=0 $(GO) build -o $(BIN)-init ./mini/init
	CGO_ENABLED=0 $(GO) build -o $(BIN)-shim ./mini/shim

# deps installs the Debian packages that are missing, and nothing else.
deps:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(ROOTFS): | deps
	$(GO) run ./tools/mkrootfs $(ROOTFS).tmp && mv $(ROOTFS).tmp $(ROOTFS)

# The demo's container runs from an image: the busybox root filesystem,
# imported (mini import) as mini-demo. It needs no network (--net none), so
# the demo leaves no bridge or NAT rules on the machine.
# The demo needs only the static busybox: a first container comes before
# the test suite's registry, iptables and docker-compose.
demo: PACKAGES := busybox-static
demo: deps build $(ROOTFS)
	@$(SUDO) $(BIN) image inspect mini-demo > /dev/null 2>&1 || { \
		tar -cf build/rootfs.tar -C $(ROOTFS) . && \
		$(SUDO) $(BIN) import build/rootfs.tar mini-demo:latest > /dev/null; }
	$(SUDO) $(BIN) run --rm --net none -h demo mini-demo sh -c \
		'echo "Hello from a mini container: I am $$(hostname), PID $$$$, and I see $$(ls /proc | grep -c "^[0-9]") processes."'

vet:
	$(GO) vet ./...
	@# Not testdata (the build corpus holds Go files as they are written) and
	@# not build/ (labvm's Debian root, with Go's own sources).
	@files=$$(find . -name '*.go' -not -path './build/*' -not -path '*/testdata/*'); \
		test -z "$$(gofmt -l $$files)" || { gofmt -l $$files; echo "gofmt would change the files above"; exit 1; }

# The test binaries run as root through go test -exec, with mini-init,
# mini-shim and mini-image as make build makes them; the scenarios
# (package grader) grade this tree's bin/mini.
test: deps vet build
	MINI=$(CURDIR)/$(BIN) MINI_INIT=$(CURDIR)/$(BIN)-init MINI_SHIM=$(CURDIR)/$(BIN)-shim MINI_IMAGE=$(CURDIR)/$(BIN)-image MINI_DAEMON=$(CURDIR)/$(BIN)-daemon \
		$(GO) test $(if $(SUDO),-exec '$(SUDO) -E') -count=1 $(TESTFLAGS) ./...

# grade runs stage STAGE's scenarios against the mini MINI (this tree's by
# default; TESTDATA=DIR takes the scenarios from elsewhere) and prints a
# line per scenario and the score (tools/grade).
STAGE ?=
MINI ?= $(BIN)
TESTDATA ?=
GRADEFLAGS ?=
grade: deps $(if $(filter $(BIN),$(MINI)),build)
	$(SUDO) $(GO) run ./tools/grade $(GRADEFLAGS) -stage '$(STAGE)' -mini '$(MINI)' $(if $(TESTDATA),-testdata '$(TESTDATA)')

# skeleton cuts, into DIR, this tree with lab STAGE's parts taken out: the
# functions marked //lab:STAGE become stubs with a TODO (tools/skeleton).
DIR ?=
skeleton:
	@test -n "$(STAGE)" -a -n "$(DIR)" || { echo "usage: make skeleton STAGE=01 DIR=~/lab01"; exit 2; }
	$(GO) run ./tools/skeleton -stage '$(STAGE)' -out '$(DIR)'

# prove grades each lab's skeleton: it must pass the stages before its own
# and fail its own (tools/skeleton/prove.sh).
prove: deps
	$(SUDO) env GO=$(GO) tools/skeleton/prove.sh

bench: deps build
	$(SUDO) $(GO) run ./tools/bench -mini $(BIN)

vmtest:
	$(MAKE) deps PACKAGES="$(PACKAGES) $(VM_PACKAGES)"
	$(SUDO) env GO=$(GO) tools/vmtest/vmtest.sh '$(VMTEST_RUN)'

# labvm walks the labs as a student on a fresh Debian 12 machine: systemd,
# cgroup v2, sudo, Go from go.dev (tools/labvm). It takes a good half hour.
LABVM_PACKAGES := debootstrap qemu-system-x86 e2fsprogs
labvm:
	$(MAKE) deps PACKAGES="$(LABVM_PACKAGES)"
	$(SUDO) env GO=$(GO) tools/labvm/labvm.sh

# man writes a man page per command into build/man (tools/genman), from
# the built programs' own command trees: man -l build/man/mini-run.1
man: build
	$(GO) run ./tools/genman -mini $(BIN) -out build/man

clean:
	rm -rf bin build
