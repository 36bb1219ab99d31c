package namespaces

import (
	"encoding/binary"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// The filters are run here by golang.org/x/net/bpf's virtual machine, an
// interpreter of classic BPF written apart from mini, on seccomp_data
// made by hand. (Its loads read words big-endian, as from a packet: the
// data is written so, each word where the kernel has it.)

type call struct {
	arch uint32
	nr   uint32
	args [6]uint64
}

func (c call) data() []byte {
	b := make([]byte, 64)
	binary.BigEndian.PutUint32(b[offsetNr:], c.nr)
	binary.BigEndian.PutUint32(b[offsetArch:], c.arch)
	for i, a := range c.args {
		binary.BigEndian.PutUint32(b[offsetArgs+8*i:], uint32(a))
		binary.BigEndian.PutUint32(b[offsetArgs+8*i+4:], uint32(a>>32))
	}
	return b
}

// run runs the filter on c and returns what it returned.
func run(t *testing.T, prog []unix.SockFilter, c call) uint32 {
	t.Helper()
	raw := make([]bpf.RawInstruction, len(prog))
	for i, in := range prog {
		raw[i] = bpf.RawInstruction{Op: in.Code, Jt: in.Jt, Jf: in.Jf, K: in.K}
	}
	insns, ok := bpf.Disassemble(raw)
	if !ok {
		t.Fatalf("the filter does not disassemble")
	}
	vm, err := bpf.NewVM(insns)
	if err != nil {
		t.Fatalf("the filter is not a valid program: %v", err)
	}
	out, err := vm.Run(c.data())
	if err != nil {
		t.Fatalf("run the filter: %v", err)
	}
	return uint32(out)
}

// compiled is the filter of spec, as the parent sends it.
func compiled(t *testing.T, spec *Spec) []unix.SockFilter {
	t.Helper()
	f, err := seccompFor(spec)
	if err != nil {
		t.Fatal(err)
	}
	return unsafe.Slice((*unix.SockFilter)(unsafe.Pointer(&f.Program[0])), len(f.Program)/8)
}

func nr(t *testing.T, abi syscallABI, name string) uint32 {
	t.Helper()
	n, ok := abi.numbers()[name]
	if !ok {
		t.Fatalf("%s has no %s", abi.scmpArch, name)
	}
	return n
}

const (
	allow = unix.SECCOMP_RET_ALLOW
	eperm = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
	nosys = unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)
)

func TestDefaultProfile(t *testing.T) {
	if len(syscallABIs) == 0 {
		t.Skip("no system call table for this machine")
	}
	native := syscallABIs[0]
	prog := compiled(t, &Spec{})
	sysAdmin := compiled(t, &Spec{Capabilities: append([]string{"CAP_SYS_ADMIN"}, DefaultCapabilities...)})
	on := func(name string, args ...uint64) call {
		c := call{arch: native.auditArch, nr: nr(t, native, name)}
		copy(c.args[:], args)
		return c
	}
	for _, tc := range []struct {
		what string
		prog []unix.SockFilter
		c    call
		want uint32
	}{
		{"read", prog, on("read"), allow},
		{"keyctl", prog, on("keyctl"), eperm},
		{"add_key", prog, on("add_key"), eperm},
		{"perf_event_open", prog, on("perf_event_open"), eperm},
		{"unshare", prog, on("unshare"), eperm},
		{"unshare with CAP_SYS_ADMIN", sysAdmin, on("unshare"), allow},
		{"mount", prog, on("mount"), eperm},
		{"personality(0)", prog, on("personality", 0), allow},
		{"personality(0xffffffff)", prog, on("personality", 0xffffffff), allow},
		{"personality(1)", prog, on("personality", 1), eperm},
		{"personality(1<<32): all 64 bits count", prog, on("personality", 1<<32), eperm},
		{"clone(SIGCHLD)", prog, on("clone", uint64(unix.SIGCHLD)), allow},
		{"clone(CLONE_NEWUSER)", prog, on("clone", unix.CLONE_NEWUSER|uint64(unix.SIGCHLD)), eperm},
		{"clone(CLONE_NEWUSER) with CAP_SYS_ADMIN", sysAdmin, on("clone", unix.CLONE_NEWUSER), allow},
		{"clone3: ENOSYS, so that libc falls back to clone", prog, on("clone3"), nosys},
		{"socket(AF_INET)", prog, on("socket", unix.AF_INET), allow},
		{"socket(AF_UNIX)", prog, on("socket", unix.AF_UNIX), allow},
		{"socket(AF_VSOCK)", prog, on("socket", unix.AF_VSOCK), eperm},
		{"a number past the table", prog, call{arch: native.auditArch, nr: 5000}, nosys},
		{"an unknown ABI", prog, call{arch: 0x1234, nr: 0}, unix.SECCOMP_RET_KILL_PROCESS},
	} {
		if got := run(t, tc.prog, tc.c); got != tc.want {
			t.Errorf("%s: got %#x, want %#x", tc.what, got, tc.want)
		}
	}
	if len(syscallABIs) > 1 { // the 32-bit ABI: its own numbers
		compat := syscallABIs[1]
		for name, want := range map[string]uint32{"open": allow, "read": allow, "keyctl": eperm} {
			c := call{arch: compat.auditArch, nr: nr(t, compat, name)}
			if got := run(t, prog, c); got != want {
				t.Errorf("%s %s: got %#x, want %#x", compat.scmpArch, name, got, want)
			}
		}
	}
}

// TestArgumentTests checks each comparison on 64-bit arguments against
// Go's own, on values whose halves are equal, above and below.
func TestArgumentTests(t *testing.T) {
	if len(syscallABIs) == 0 {
		t.Skip("no system call table for this machine")
	}
	abi := syscallABIs[0]
	ops := map[specs.LinuxSeccompOperator]func(a, v, v2 uint64) bool{
		specs.OpEqualTo:      func(a, v, _ uint64) bool { return a == v },
		specs.OpNotEqual:     func(a, v, _ uint64) bool { return a != v },
		specs.OpGreaterThan:  func(a, v, _ uint64) bool { return a > v },
		specs.OpGreaterEqual: func(a, v, _ uint64) bool { return a >= v },
		specs.OpLessThan:     func(a, v, _ uint64) bool { return a < v },
		specs.OpLessEqual:    func(a, v, _ uint64) bool { return a <= v },
		specs.OpMaskedEqual:  func(a, m, v uint64) bool { return a&m == v },
	}
	values := []uint64{0, 1, 0xffffffff, 1 << 32, 1<<32 | 1, 1<<32 | 0xffffffff, 2 << 32, ^uint64(0)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		values = append(values, r.Uint64(), r.Uint64()&0x3_0000_0003)
	}
	errno := uint(unix.EPERM)
	for op, want := range ops {
		for _, v := range values {
			v2 := v & 0x1_0000_0001
			for _, index := range []uint{0, 5} {
				p := &specs.LinuxSeccomp{DefaultAction: specs.ActErrno, DefaultErrnoRet: &errno,
					Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: specs.ActAllow,
						Args: []specs.LinuxSeccompArg{{Index: index, Op: op, Value: v, ValueTwo: v2}}}}}
				prog, err := compileSeccomp(p)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range values {
					c := call{arch: abi.auditArch, nr: nr(t, abi, "read")}
					c.args[index] = a
					got := run(t, prog, c) == allow
					if got != want(a, v, v2) {
						t.Fatalf("args[%d]=%#x %s %#x (%#x): filter says %v", index, a, op, v, v2, got)
					}
				}
			}
		}
	}
}

// Conditions on one argument are alternatives; on different ones, all
// must hold.
func TestConditionsCombine(t *testing.T) {
	if len(syscallABIs) == 0 {
		t.Skip("no system call table for this machine")
	}
	abi := syscallABIs[0]
	rule := func(args ...specs.LinuxSeccompArg) []unix.SockFilter {
		prog, err := compileSeccomp(&specs.LinuxSeccomp{DefaultAction: specs.ActErrno,
			Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: specs.ActAllow, Args: args}}})
		if err != nil {
			t.Fatal(err)
		}
		return prog
	}
	either := rule(specs.LinuxSeccompArg{Index: 0, Op: specs.OpEqualTo, Value: 3},
		specs.LinuxSeccompArg{Index: 0, Op: specs.OpEqualTo, Value: 4})
	both := rule(specs.LinuxSeccompArg{Index: 0, Op: specs.OpEqualTo, Value: 3},
		specs.LinuxSeccompArg{Index: 1, Op: specs.OpEqualTo, Value: 4})
	for _, tc := range []struct {
		prog []unix.SockFilter
		args [6]uint64
		want uint32
	}{
		{either, [6]uint64{3}, allow}, {either, [6]uint64{4}, allow}, {either, [6]uint64{5}, eperm},
		{both, [6]uint64{3, 4}, allow}, {both, [6]uint64{3, 5}, eperm}, {both, [6]uint64{4, 4}, eperm},
	} {
		if got := run(t, tc.prog, call{arch: abi.auditArch, nr: nr(t, abi, "read"), args: tc.args}); got != tc.want {
			t.Errorf("args %v: got %#x, want %#x", tc.args, got, tc.want)
		}
	}
}

func TestBadProfiles(t *testing.T) {
	for _, profile := range []string{
		`{"defaultAction": "SCMP_ACT_NOPE"}`,
		`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]}`,
		`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`,
		`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ALMOST"}]}]}`,
		`{"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_NEW_LISTENER"]}`,
		`not json`,
	} {
		if err := CheckSeccomp(&Spec{Seccomp: profile}); err == nil {
			t.Errorf("%s: accepted", profile)
		} else {
			t.Log(err)
		}
	}
	if err := CheckSeccomp(&Spec{Seccomp: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["keyctl", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}`}); err != nil {
		t.Errorf("a profile naming a call this machine lacks: %v", err)
	}
}

func TestResolveCapabilities(t *testing.T) {
	all, err := AllCapabilities()
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		add, drop  []string
		has, lacks []string
		n          int
	}{
		{nil, nil, []string{"CAP_CHOWN"}, []string{"CAP_SYS_ADMIN"}, len(DefaultCapabilities)},
		{[]string{"sys_admin"}, []string{"CAP_CHOWN"}, []string{"CAP_SYS_ADMIN"}, []string{"CAP_CHOWN"}, len(DefaultCapabilities)},
		{[]string{"ALL"}, []string{"net_raw"}, []string{"CAP_SYS_ADMIN"}, []string{"CAP_NET_RAW"}, len(all) - 1},
		{[]string{"KILL"}, []string{"all"}, []string{"CAP_KILL"}, []string{"CAP_CHOWN"}, 1},
		{nil, []string{"ALL"}, nil, []string{"CAP_CHOWN"}, 0},
	} {
		got, err := ResolveCapabilities(tc.add, tc.drop)
		if err != nil {
			t.Fatal(err)
		}
		m := capMask(got)
		for _, c := range tc.has {
			if m&capMask([]string{c}) == 0 {
				t.Errorf("add %v drop %v: %v lacks %s", tc.add, tc.drop, got, c)
			}
		}
		for _, c := range tc.lacks {
			if m&capMask([]string{c}) != 0 {
				t.Errorf("add %v drop %v: %v has %s", tc.add, tc.drop, got, c)
			}
		}
		if len(got) != tc.n {
			t.Errorf("add %v drop %v: %d capabilities, want %d", tc.add, tc.drop, len(got), tc.n)
		}
	}
	// None at all survives the trip to the init, as none.
	none, _ := ResolveCapabilities(nil, []string{"ALL"})
	data, _ := json.Marshal(&Spec{Capabilities: none})
	var back Spec
	if err := json.Unmarshal(data, &back); err != nil || back.Capabilities == nil {
		t.Errorf("--cap-drop ALL comes back from JSON as %#v (%v): the default set", back.Capabilities, err)
	}
	if _, err := ResolveCapabilities([]string{"CAP_NOPE"}, nil); err == nil {
		t.Error("an unknown capability was accepted")
	}
}

// The names are the kernel's numbers.
func TestCapabilityNumbers(t *testing.T) {
	for name, n := range map[string]int{"CAP_CHOWN": unix.CAP_CHOWN, "CAP_SYS_ADMIN": unix.CAP_SYS_ADMIN,
		"CAP_AUDIT_WRITE": unix.CAP_AUDIT_WRITE, "CAP_BPF": unix.CAP_BPF, "CAP_CHECKPOINT_RESTORE": unix.CAP_CHECKPOINT_RESTORE,
		"CAP_MKNOD": unix.CAP_MKNOD, "CAP_SETFCAP": unix.CAP_SETFCAP, "CAP_PERFMON": unix.CAP_PERFMON} {
		if capabilityNames[n] != name {
			t.Errorf("capability %d is %s, want %s", n, capabilityNames[n], name)
		}
	}
}

// The filter with ranges and a binary search (seccomp_short.go) decides
// every call, of every ABI, as the plain one does.
func TestRangesAgree(t *testing.T) {
	if len(syscallABIs) == 0 {
		t.Skip("no system call table for this machine")
	}
	for _, spec := range []*Spec{{}, {Capabilities: []string{"CAP_SYS_ADMIN", "CAP_SYS_PTRACE"}}} {
		rules, err := seccompRules(spec)
		if err != nil {
			t.Fatal(err)
		}
		def, _ := seccompAction(rules.DefaultAction, rules.DefaultErrnoRet)
		for i := range syscallABIs {
			abi := &syscallABIs[i]
			byNr, _, err := abiRules(abi, rules.Syscalls, def)
			if err != nil {
				t.Fatal(err)
			}
			nrs := slices.Sorted(maps.Keys(byNr))
			plain := append(appendRules([]unix.SockFilter{load(offsetNr)}, byNr, nrs), ret(def))
			ranged := appendSearch([]unix.SockFilter{load(offsetNr)}, byNr, nrs, def)
			if len(ranged) >= len(plain) {
				t.Errorf("%s: %d instructions with ranges, %d without", abi.scmpArch, len(ranged), len(plain))
			}
			numbers := []uint32{0xf0001, 0xf0005, 0xffffffff} // ARM's private calls, and -1
			for nr := range uint32(1024) {
				numbers = append(numbers, nr)
			}
			for _, nr := range numbers {
				for _, arg := range []uint64{0, 1, 0xffffffff, unix.CLONE_NEWUSER, unix.AF_VSOCK} {
					c := call{arch: abi.auditArch, nr: nr, args: [6]uint64{arg}}
					if a, b := run(t, plain, c), run(t, ranged, c); a != b {
						t.Fatalf("%s call %d (%#x): %#x plain, %#x with ranges", abi.scmpArch, nr, arg, a, b)
					}
				}
			}
		}
	}
}
