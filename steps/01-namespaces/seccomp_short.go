// An optimisation, to skip on first reading: a shorter filter, searched.
// seccomp.go's appendRules, which tests the calls one after another, is
// the plain path.
//
// When a filter is installed, the kernel runs it once for every call
// number of every ABI, to learn which calls it always allows: those skip
// the filter from then on (the "action cache"). So every start pays for
// the filter's length times the number of calls: about 0.5 µs an
// instruction here. Docker's profile tested call after call is 1,850
// instructions and takes 0.9 ms to install, measured in-process (the same
// program reordered to return at once takes 0.2 ms). Three things shorten
// it, and its walk:
//
//   - Ranges. Most calls a profile allows have consecutive numbers (read,
//     write, open, close, stat are 0 to 4 on x86_64): one test, nr in
//     [lo, hi], stands for a run of them. 310 calls with rules make 36
//     blocks on x86_64, 361 make 63 on i386.
//   - Alternatives tested once. Docker's profile allows socket for 29
//     address families, one rule each: seven instructions a rule, the
//     argument loaded each time. Rules on the same argument that only
//     compare it to values load it once, then compare: 35 instructions.
//   - A binary search. The blocks, sorted by number, are searched as a
//     tree: each test on the way sends the number to one half, so it
//     meets about log2(blocks) tests and a few blocks before its answer,
//     not half the filter:
//
//     jge 59 → upper half             (execve and on)
//     jge 16 → ...
//     ...
//     jge 0: jgt 15 → next; ret ALLOW (0 to 15, read to rt_sigreturn)
//     ret ERRNO(EPERM)                (a number no block holds)
//     upper half: ...
//
// Docker's profile comes to 448 instructions, installed in 0.2 to 0.3 ms
// (in-process); with the JSON that carries it and the compile, a start
// pays about 1 ms less than with the plain filter. It decides every call
// as the plain one does (TestRangesAgree). MINI_PLAIN=1 turns it off.

package namespaces

import (
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// block is the code that decides the calls lo to hi: a range of calls
// with one action and no conditions, or one call's rules. For any other
// number it falls through.
type block struct {
	lo, hi uint32
	code   []unix.SockFilter
}

// leafBlocks is how many blocks the search leaves to be tested in turn.
const leafBlocks = 4

// appendSearch appends a binary search over the rules' blocks, ending in
// the default.
func appendSearch(prog []unix.SockFilter, rules map[uint32][]seccompRule, nrs []uint32, def uint32) []unix.SockFilter {
	return appendTree(prog, blocks(rules, nrs), def)
}

// blocks makes the rules' blocks, in the order of their numbers.
func blocks(rules map[uint32][]seccompRule, nrs []uint32) []block {
	var out []block
	for i := 0; i < len(nrs); {
		end := runEnd(rules, nrs, i)
		b := block{lo: nrs[i], hi: nrs[end]}
		if end == i {
			b.code = appendCall(nil, rules[b.lo], b.lo)
		} else {
			b.code = []unix.SockFilter{jumpIf(unix.BPF_JGE, b.lo, 0, 2), jumpIf(unix.BPF_JGT, b.hi, 1, 0),
				ret(rules[b.lo][0].action)}
		}
		out = append(out, b)
		i = end + 1
	}
	return out
}

// runEnd is the index in nrs where the run of calls that starts at i ends
// (i when there is none): consecutive numbers, each with one rule and no
// condition, all with the same action.
func runEnd(rules map[uint32][]seccompRule, nrs []uint32, i int) int {
	simple := func(nr uint32) bool { return len(rules[nr]) == 1 && len(rules[nr][0].conds) == 0 }
	if !simple(nrs[i]) {
		return i
	}
	end := i
	for end+1 < len(nrs) && nrs[end+1] == nrs[end]+1 && simple(nrs[end+1]) &&
		rules[nrs[end+1]][0].action == rules[nrs[i]][0].action {
		end++
	}
	return end
}

// appendTree appends the search over bs: a few blocks are tested in turn,
// then the default; more are split in two halves by a test on the first
// number of the upper half. A conditional jump reaches 255 instructions
// at most; a farther one goes through a long jump.
func appendTree(prog []unix.SockFilter, bs []block, def uint32) []unix.SockFilter {
	if len(bs) <= leafBlocks {
		for _, b := range bs {
			prog = append(prog, b.code...)
		}
		return append(prog, ret(def))
	}
	mid := len(bs) / 2
	lower := appendTree(nil, bs[:mid], def)
	if len(lower) <= 0xff {
		prog = append(prog, jumpIf(unix.BPF_JGE, bs[mid].lo, uint8(len(lower)), 0))
	} else {
		prog = append(prog, jumpIf(unix.BPF_JGE, bs[mid].lo, 0, 1),
			unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JA, K: uint32(len(lower))})
	}
	prog = append(prog, lower...)
	return appendTree(prog, bs[mid:], def)
}

// appendCall appends one call's rules, a run of alternatives on one
// argument as one test (appendValues).
func appendCall(prog []unix.SockFilter, rules []seccompRule, nr uint32) []unix.SockFilter {
	for i := 0; i < len(rules); {
		end := i + 1
		for end < len(rules) && end-i < maxValues && sameValueTest(rules[i], rules[end]) {
			end++
		}
		if end-i > 1 {
			prog = appendValues(prog, rules[i:end], nr)
		} else {
			prog = rules[i].appendCode(prog, nr)
		}
		i = end
	}
	return prog
}

// maxValues keeps a values block's jumps within a conditional jump's 255.
const maxValues = 200

// sameValueTest says whether b can join a's alternatives: both a single
// equality on the same argument, with the same high half and action.
func sameValueTest(a, b seccompRule) bool {
	if len(a.conds) != 1 || len(b.conds) != 1 || a.action != b.action {
		return false
	}
	x, y := a.conds[0], b.conds[0]
	return x.Op == specs.OpEqualTo && y.Op == specs.OpEqualTo && x.Index == y.Index && x.Value>>32 == y.Value>>32
}

// appendValues appends alternatives that compare one argument to values
// whose high halves are the same: not this call, or another high half,
// skip to the end; then one compare of the low half per value, each
// jumping to the return; at the end, reload the number.
//
//	0        jeq nr         (else to the end)
//	1        ld  args[k] high
//	2        jeq high       (else to the end)
//	3        ld  args[k] low
//	4..n+3   jeq value      (to the return; the last: else past it)
//	n+4      ret action
//	n+5      ld  nr
func appendValues(prog []unix.SockFilter, rules []seccompRule, nr uint32) []unix.SockFilter {
	n := len(rules)
	c := rules[0].conds[0]
	lo, hi := offsetArgs+8*uint32(c.Index), offsetArgs+8*uint32(c.Index)+4
	prog = append(prog, jumpIf(unix.BPF_JEQ, nr, 0, uint8(n+4)), load(hi),
		jumpIf(unix.BPF_JEQ, uint32(c.Value>>32), 0, uint8(n+2)), load(lo))
	for i, r := range rules {
		if i < n-1 {
			prog = append(prog, jumpIf(unix.BPF_JEQ, uint32(r.conds[0].Value), uint8(n-1-i), 0))
		} else {
			prog = append(prog, jumpIf(unix.BPF_JEQ, uint32(r.conds[0].Value), 0, 1))
		}
	}
	return append(prog, ret(rules[0].action), load(offsetNr))
}
