// Command genman writes mini's man pages (make man): one page per command,
// mini(1), mini-run(1), mini-image-ls(1)..., with cobra's generator.
//
//	go run ./tools/genman -mini bin/mini -out build/man
//
// It reads the command tree from the programs themselves (mini __docs,
// mini-image __docs, mini-daemon __docs), and takes each command whose
// flags mini leaves to another program from that program's tree. So the pages say what the
// built programs do, and neither links the man page writer.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"mini/mini/cli"
)

func main() {
	mini := flag.String("mini", "bin/mini", "the mini program")
	out := flag.String("out", "build/man", "the directory for the pages")
	flag.Parse()
	dir := filepath.Dir(*mini)
	n, err := generate(*mini, []string{filepath.Join(dir, "mini-image"), filepath.Join(dir, "mini-daemon")}, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genman:", err)
		os.Exit(1)
	}
	fmt.Printf("%d man pages in %s (read one: man -l %s)\n", n, *out, filepath.Join(*out, "mini-run.1"))
}

// generate writes the pages and says how many. siblings are the programs
// that serve some of mini's commands.
func generate(mini string, siblings []string, out string) (int, error) {
	tree, err := readTree(mini)
	if err != nil {
		return 0, err
	}
	for _, p := range siblings {
		sub, err := readTree(p)
		if err != nil {
			return 0, err
		}
		tree = withSiblingCommands(tree, sub)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	version, _ := exec.Command(mini, "version", "--format", "{{.Client.Version}}").Output()
	header := &doc.GenManHeader{Title: "MINI", Section: "1", Source: "mini " + strings.TrimSpace(string(version)),
		Manual: "mini manual", Date: sourceDate()}
	root := build(tree)
	root.DisableAutoGenTag = true
	if err := doc.GenManTree(root, header, out); err != nil {
		return 0, err
	}
	pages, _ := filepath.Glob(filepath.Join(out, "*.1"))
	return len(pages), nil
}

// readTree runs PROGRAM __docs, with the state root's default (not this
// shell's $MINI_ROOT) in the pages.
func readTree(program string) (cli.DocCommand, error) {
	cmd := exec.Command(program, "__docs")
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "MINI_ROOT=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	data, err := cmd.Output()
	var tree cli.DocCommand
	if err == nil {
		err = json.Unmarshal(data, &tree)
	}
	if err != nil {
		return tree, fmt.Errorf("read the command tree of %s: %w", program, err)
	}
	return tree, nil
}

// withSiblingCommands puts, in place of each command mini runs another
// program for, that program's own description of it (the same path in
// its tree).
func withSiblingCommands(tree, other cli.DocCommand) cli.DocCommand {
	for i, c := range tree.Commands {
		if sub := find(other, name(c.Use)); sub != nil {
			if c.ElsewhereFlags {
				tree.Commands[i] = *sub
			} else {
				tree.Commands[i] = withSiblingCommands(c, *sub)
			}
		}
	}
	return tree
}

func find(tree cli.DocCommand, n string) *cli.DocCommand {
	for i := range tree.Commands {
		if name(tree.Commands[i].Use) == n {
			return &tree.Commands[i]
		}
	}
	return nil
}

func name(use string) string { n, _, _ := strings.Cut(use, " "); return n }

// build makes a cobra tree of the description, for the generator.
func build(d cli.DocCommand) *cobra.Command {
	c := &cobra.Command{Use: d.Use, Short: d.Short, Long: d.Long, Example: d.Example, Aliases: d.Aliases,
		Run: func(*cobra.Command, []string) {}}
	addFlags(c.Flags(), d.Flags)
	addFlags(c.PersistentFlags(), d.PersistentFlags)
	for _, sub := range d.Commands {
		if name(sub.Use) != "help" {
			c.AddCommand(build(sub))
		}
	}
	return c
}

func addFlags(fs *pflag.FlagSet, flags []cli.DocFlag) {
	for _, f := range flags {
		fl := fs.VarPF(&docValue{f.DefValue, f.Type}, f.Name, f.Shorthand, f.Usage)
		fl.DefValue, fl.NoOptDefVal = f.DefValue, f.NoOptDefVal
	}
}

// docValue is a flag's value as the page shows it: its default and type.
type docValue struct{ value, typ string }

func (v *docValue) String() string     { return v.value }
func (v *docValue) Set(s string) error { v.value = s; return nil }
func (v *docValue) Type() string       { return v.typ }

// sourceDate is the pages' date: $SOURCE_DATE_EPOCH for a reproducible
// build, else today.
func sourceDate() *time.Time {
	t := time.Now()
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		var s int64
		if _, err := fmt.Sscan(epoch, &s); err == nil {
			t = time.Unix(s, 0)
		}
	}
	return &t
}
