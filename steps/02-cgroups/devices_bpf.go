// The v2 device filter: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE.
//
// For every open or mknod of a device node by a process in the group, the
// kernel runs the program with a context of three 32-bit words:
//
//	offset 0  access_type: device type in the low 16 bits (1 block,
//	          2 character), access in the high 16 (1 mknod, 2 read, 4 write)
//	offset 4  major
//	offset 8  minor
//
// The program below loads those into registers, then tests the rules one
// after the other; the first rule that matches returns 1 (allow), and if
// none does it returns 0 (deny). Each rule is a few compare-and-jump
// instructions whose jumps skip to the next rule. runc builds the same
// program with the cilium/ebpf assembler; it is small enough to write out.

package cgroups

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// insn is one eBPF instruction (struct bpf_insn).
type insn struct {
	code uint8
	regs uint8 // dst in the low 4 bits, src in the high 4
	off  int16
	imm  int32
}

// The few instruction forms the filter needs.
const (
	opLoadWord = unix.BPF_LDX | unix.BPF_W | unix.BPF_MEM   // dst = *(u32 *)(src + off)
	opAnd32    = unix.BPF_ALU | unix.BPF_AND | unix.BPF_K   // dst &= imm
	opShift32  = unix.BPF_ALU | unix.BPF_RSH | unix.BPF_K   // dst >>= imm
	opMovReg   = unix.BPF_ALU64 | unix.BPF_MOV | unix.BPF_X // dst = src
	opMovImm   = unix.BPF_ALU64 | unix.BPF_MOV | unix.BPF_K // dst = imm
	opJumpNE   = unix.BPF_JMP | unix.BPF_JNE | unix.BPF_K   // if dst != imm: skip off
	opExit     = unix.BPF_JMP | unix.BPF_EXIT               // return r0
)

// Registers: r1 holds the context; the fields go to r2..r5.
const (
	r0, r1, rType, rAccess, rMajor, rMinor = 0, 1, 2, 3, 4, 5
)

func ins(code uint8, dst, src uint8, off int16, imm int32) insn {
	return insn{code: code, regs: dst | src<<4, off: off, imm: imm}
}

// deviceProgram compiles the rules into the filter's instructions.
func deviceProgram(rules []DeviceRule) []insn {
	prog := []insn{
		ins(opLoadWord, rType, r1, 0, 0), ins(opAnd32, rType, 0, 0, 0xffff),
		ins(opLoadWord, rAccess, r1, 0, 0), ins(opShift32, rAccess, 0, 0, 16),
		ins(opLoadWord, rMajor, r1, 4, 0),
		ins(opLoadWord, rMinor, r1, 8, 0),
	}
	for _, r := range rules {
		prog = append(prog, ruleBlock(r)...)
	}
	return append(prog, ins(opMovImm, r0, 0, 0, 0), ins(opExit, 0, 0, 0, 0))
}

// ruleBlock is one rule: checks that jump past the block when they fail,
// then "return 1".
func ruleBlock(r DeviceRule) []insn {
	var checks [][]insn
	switch r.Type {
	case 'c':
		checks = append(checks, []insn{ins(opJumpNE, rType, 0, 0, unix.BPF_DEVCG_DEV_CHAR)})
	case 'b':
		checks = append(checks, []insn{ins(opJumpNE, rType, 0, 0, unix.BPF_DEVCG_DEV_BLOCK)})
	}
	// Every access asked for must be among the rule's: access & ^allowed == 0.
	checks = append(checks, []insn{
		ins(opMovReg, r1, rAccess, 0, 0),
		ins(opAnd32, r1, 0, 0, int32(^accessBits(r.Access)&0xffff)),
		ins(opJumpNE, r1, 0, 0, 0),
	})
	if r.Major != Wildcard {
		checks = append(checks, []insn{ins(opJumpNE, rMajor, 0, 0, int32(r.Major))})
	}
	if r.Minor != Wildcard {
		checks = append(checks, []insn{ins(opJumpNE, rMinor, 0, 0, int32(r.Minor))})
	}
	var block []insn
	for _, c := range checks {
		block = append(block, c...)
	}
	block = append(block, ins(opMovImm, r0, 0, 0, 1), ins(opExit, 0, 0, 0, 0))
	// Point every jump at the first instruction after the block.
	for i := range block {
		if block[i].code == opJumpNE {
			block[i].off = int16(len(block) - i - 1)
		}
	}
	return block
}

// accessBits turns "rwm" into the kernel's access bits.
func accessBits(access string) int32 {
	var bits int32
	for _, c := range access {
		switch c {
		case 'm':
			bits |= unix.BPF_DEVCG_ACC_MKNOD
		case 'r':
			bits |= unix.BPF_DEVCG_ACC_READ
		case 'w':
			bits |= unix.BPF_DEVCG_ACC_WRITE
		}
	}
	return bits
}

// progLoadAttr and progAttachAttr are the leading fields of union bpf_attr
// for BPF_PROG_LOAD and BPF_PROG_ATTACH; the kernel zero-fills the rest.
type progLoadAttr struct {
	progType    uint32
	insnCnt     uint32
	insns       uint64
	license     uint64
	logLevel    uint32
	logSize     uint32
	logBuf      uint64
	kernVersion uint32
	progFlags   uint32
}

type progAttachAttr struct {
	targetFd    uint32
	attachBpfFd uint32
	attachType  uint32
	attachFlags uint32
}

// attachDeviceFilter loads the program and attaches it to the group
// directory. The group keeps the program alive; its fd is closed here.
func attachDeviceFilter(dir string, rules []DeviceRule) error {
	prog := deviceProgram(rules)
	progFd, err := loadProgram(prog, nil)
	if err != nil {
		// Load again with the verifier's log, to say why.
		log := make([]byte, 1<<20)
		loadProgram(prog, log)
		return fmt.Errorf("load device filter: %v: %s", err, unix.ByteSliceToString(log))
	}
	defer unix.Close(progFd)

	cg, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open cgroup %s: %w", dir, err)
	}
	defer cg.Close()
	attach := progAttachAttr{targetFd: uint32(cg.Fd()), attachBpfFd: uint32(progFd), attachType: unix.BPF_CGROUP_DEVICE}
	if _, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_ATTACH, uintptr(unsafe.Pointer(&attach)), unsafe.Sizeof(attach)); errno != 0 {
		return fmt.Errorf("attach device filter to %s: %v", dir, errno)
	}
	return nil
}

// loadProgram asks the kernel to verify and load a device filter, with the
// verifier's log in log when it is not nil (a log too small for what the
// verifier says makes the load fail with ENOSPC).
func loadProgram(prog []insn, log []byte) (int, error) {
	license := []byte("Apache-2.0\x00")
	attr := progLoadAttr{
		progType: unix.BPF_PROG_TYPE_CGROUP_DEVICE,
		insnCnt:  uint32(len(prog)),
		insns:    uint64(uintptr(unsafe.Pointer(&prog[0]))),
		license:  uint64(uintptr(unsafe.Pointer(&license[0]))),
	}
	if log != nil {
		attr.logLevel, attr.logSize = 1, uint32(len(log))
		attr.logBuf = uint64(uintptr(unsafe.Pointer(&log[0])))
	}
	// The verifier gives up with EAGAIN when a signal arrives, and the Go
	// runtime signals its threads often (SIGURG, to preempt goroutines):
	// try again, as cilium/ebpf does.
	var fd uintptr
	var errno unix.Errno
	for try := 0; try < 50; try++ {
		fd, _, errno = unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_LOAD, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
		if errno != unix.EAGAIN {
			break
		}
	}
	runtime.KeepAlive(prog)
	runtime.KeepAlive(license)
	runtime.KeepAlive(log)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}
