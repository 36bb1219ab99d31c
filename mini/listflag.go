// Repeatable string flags: -e A -e B, -v ..., -p ...

package main

import (
	"strings"

	"github.com/spf13/pflag"
)

// listFlag is a flag that may be given many times, each value kept whole
// (pflag's StringArray, without CSV). pflag's own type renders its value
// as CSV when the flag is defined, even an empty one, through a fresh
// 4 kB buffer: a dozen such flags made a tenth of what mini run allocates
// before it starts a container.
type listFlag struct{ values *[]string }

func (l listFlag) String() string     { return strings.Join(*l.values, ",") }
func (l listFlag) Type() string       { return "stringArray" }
func (l listFlag) Set(v string) error { *l.values = append(*l.values, v); return nil }

// listVar defines a listFlag that appends to *p.
func listVar(f *pflag.FlagSet, p *[]string, name, usage string) {
	f.Var(listFlag{p}, name, usage)
}

// listVarP is listVar with a one-letter shorthand.
func listVarP(f *pflag.FlagSet, p *[]string, name, short, usage string) {
	f.VarP(listFlag{p}, name, short, usage)
}
