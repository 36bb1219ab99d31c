// The build: stages, steps, the cache, and what each instruction does to
// the image.

package dockerfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"mini/internal/atomicfile"
	"mini/internal/flock"
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
)

// Runner runs a RUN instruction's command: the runtime's part of a build.
type Runner interface {
	// Run runs argv in a container made from the stored image imageID,
	// with env, user and working directory, its output to out. It returns
	// the directory holding what the command changed (the container's
	// upper layer), a function that removes the container, and the
	// command's exit status.
	Run(imageID string, argv, env []string, user, workdir string, out io.Writer) (upper string, remove func(), code int, err error)
}

// Options describe one build.
type Options struct {
	Context    string            // the build context: a directory
	Dockerfile []byte            // its text
	BuildArgs  map[string]string // --build-arg
	Target     string            // --target: the last stage built
	NoCache    bool
	Ignore     []string  // .dockerignore's patterns
	Out        io.Writer // the build's own lines; RUN's output too
	Store      *images.Store
	Runner     Runner
	// Base finds an image named by FROM: from the store, or pulled.
	Base func(ref string) (*imagestore.Record, error)
}

// state is a stage's image so far.
type state struct {
	img      v1.Image
	rec      *imagestore.Record // img, stored; nil until it has to be
	key      string             // the cache key of the last step
	args     map[string]string
	shell    []string
	stepDone bool
}

// builder is one build in progress.
type builder struct {
	o      Options
	stages map[string]*state
	step   int
	steps  int
	cache  string // the cache file
}

// Build builds the Dockerfile and returns the image, stored.
func Build(o Options) (*imagestore.Record, error) {
	res, err := parser.Parse(bytes.NewReader(o.Dockerfile))
	if err != nil {
		return nil, err // buildkit's words: "dockerfile parse error on line N: ..."
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, err
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("the Dockerfile has no FROM")
	}
	last, err := targetIndex(stages, o.Target)
	if err != nil {
		return nil, err
	}
	b := &builder{o: o, stages: map[string]*state{}, cache: filepath.Join(o.Store.Dir(), "build-cache.json")}
	for _, s := range stages[:last+1] {
		b.steps += 1 + len(s.Commands)
	}
	meta := map[string]string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			meta[kv.Key], _ = b.argValue(kv.Key, kv.Value)
		}
	}
	var st *state
	for i, s := range stages[:last+1] {
		if st, err = b.from(s, meta); err != nil {
			return nil, err
		}
		for _, cmd := range s.Commands {
			if err := b.instruction(st, cmd); err != nil {
				return nil, err
			}
		}
		b.stages[fmt.Sprint(i)] = st
		if s.Name != "" {
			b.stages[strings.ToLower(s.Name)] = st
		}
	}
	rec, err := b.stored(st)
	if err == nil {
		b.remember(finalKey+rec.ID, rec.ID) // a result, not an intermediate image
	}
	return rec, err
}

// finalKey marks a build's result in the cache file.
const finalKey = "final:"

// Intermediate says which images of the store are only steps of builds,
// as opposed to their results: mini images leaves them out without -a, as
// docker images does.
func Intermediate(store *imagestore.Store) map[string]bool {
	m := map[string]string{}
	if data, err := os.ReadFile(filepath.Join(store.Dir(), "build-cache.json")); err == nil {
		json.Unmarshal(data, &m)
	}
	out := map[string]bool{}
	for k, id := range m {
		if !strings.HasPrefix(k, finalKey) {
			out[id] = true
		}
	}
	for k, id := range m {
		if strings.HasPrefix(k, finalKey) {
			delete(out, id)
		}
	}
	return out
}

// targetIndex is the index of the stage --target names, or the last one.
func targetIndex(stages []instructions.Stage, target string) (int, error) {
	if target == "" {
		return len(stages) - 1, nil
	}
	for i, s := range stages {
		if strings.EqualFold(s.Name, target) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("target stage %q could not be found", target)
}

// argValue is a build argument's value: --build-arg's, else its default;
// false when it has neither.
func (b *builder) argValue(key string, def *string) (string, bool) {
	if v, ok := b.o.BuildArgs[key]; ok {
		return v, true
	}
	if def != nil {
		return *def, true
	}
	return "", false
}

// say prints one of the build's own lines.
func (b *builder) say(format string, args ...any) { fmt.Fprintf(b.o.Out, format+"\n", args...) }

// from starts a stage: FROM an image, "scratch", or an earlier stage.
func (b *builder) from(s instructions.Stage, meta map[string]string) (*state, error) {
	b.step++
	b.say("Step %d/%d : %s", b.step, b.steps, s.SourceCode)
	name, _, err := expand(s.BaseName, meta)
	if err != nil {
		return nil, err
	}
	if s.Platform != "" {
		b.say(" ---> warning: --platform %s is ignored: mini builds for this machine", s.Platform)
	}
	st := &state{args: map[string]string{}, shell: []string{"/bin/sh", "-c"}}
	switch prev, ok := b.stages[strings.ToLower(name)]; {
	case ok:
		st.img, st.rec, st.key = prev.img, prev.rec, prev.key
	case name == "scratch":
		cfg := &v1.ConfigFile{OS: "linux", Architecture: runtime.GOARCH, RootFS: v1.RootFS{Type: "layers"}}
		if st.img, err = mutate.ConfigFile(empty.Image, cfg); err != nil {
			return nil, err
		}
		st.key = digestOf("scratch")
	default:
		if st.rec, err = b.o.Base(name); err != nil {
			return nil, err
		}
		if st.img, err = b.o.Store.Image(st.rec); err != nil {
			return nil, err
		}
		st.key = digestOf("from " + st.rec.ID)
	}
	if err := withDefaultPath(st); err != nil {
		return nil, err
	}
	b.say(" ---> %s", b.shortID(st))
	return st, b.onbuild(st)
}

// defaultPath is the PATH Docker gives a stage whose image has none.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// withDefaultPath gives the stage's image Docker's default PATH when it
// has none (every FROM scratch): without it, ENV PATH=/x:$PATH would make
// PATH=/x: and every command after would be found nowhere.
func withDefaultPath(st *state) error {
	cf, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	for _, kv := range cf.Config.Env {
		if strings.HasPrefix(kv, "PATH=") {
			return nil
		}
	}
	cf = cf.DeepCopy()
	cf.Config.Env = append(cf.Config.Env, "PATH="+defaultPath)
	st.img, err = mutate.ConfigFile(st.img, cf)
	st.rec = nil // a new image, stored when a step needs it
	return err
}

// onbuild runs the base image's ONBUILD triggers, as the first steps of a
// build that uses it.
func (b *builder) onbuild(st *state) error {
	cfg, err := st.img.ConfigFile()
	if err != nil || len(cfg.Config.OnBuild) == 0 {
		return err
	}
	for _, trigger := range cfg.Config.OnBuild {
		b.say(" ---> Running ONBUILD %s", trigger)
		ast, err := parser.Parse(strings.NewReader(trigger + "\n"))
		if err != nil {
			return fmt.Errorf("ONBUILD %s: %w", trigger, err)
		}
		for _, node := range ast.AST.Children {
			cmd, err := instructions.ParseCommand(node)
			if err != nil {
				return fmt.Errorf("ONBUILD %s: %w", trigger, err)
			}
			if err := b.apply(st, cmd); err != nil {
				return err
			}
		}
	}
	// The triggers fire once: the new image does not keep them, and, as
	// in Docker, no step of its history says so.
	cf, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.Config.OnBuild = nil
	st.img, err = mutate.ConfigFile(st.img, cf)
	st.rec = nil
	return err
}

// instruction runs one step: from the cache when it can.
func (b *builder) instruction(st *state, cmd instructions.Command) error {
	b.step++
	b.say("Step %d/%d : %s", b.step, b.steps, sourceOf(cmd))
	return b.apply(st, cmd)
}

// apply does what cmd does to the stage's image.
func (b *builder) apply(st *state, cmd instructions.Command) error {
	env, err := b.envOf(st)
	if err != nil {
		return err
	}
	if _, isRun := cmd.(*instructions.RunCommand); !isRun {
		if ex, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
			if err := ex.Expand(func(w string) (string, error) { s, _, err := expand(w, env); return s, err }); err != nil {
				return fmt.Errorf("%s: %w", sourceOf(cmd), err)
			}
		}
	}
	switch c := cmd.(type) {
	case *instructions.RunCommand:
		return b.run(st, c)
	case *instructions.CopyCommand:
		return b.copy(st, c.SourcesAndDest, c.From, copyFlags{c.Chown, c.Chmod}, false, sourceOf(c))
	case *instructions.AddCommand:
		return b.copy(st, c.SourcesAndDest, "", copyFlags{c.Chown, c.Chmod}, true, sourceOf(c))
	case *instructions.WorkdirCommand:
		return b.workdir(st, c)
	case *instructions.MaintainerCommand: // the image's Author, no label
		return b.configFileStep(st, sourceOf(c), "/bin/sh -c #(nop)  "+sourceOf(c), func(cf *v1.ConfigFile) { cf.Author = c.Maintainer })
	case *instructions.ExposeCommand:
		return b.expose(st, c, env)
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			if v, ok := b.argValue(kv.Key, kv.Value); ok {
				st.args[kv.Key] = v
			} else {
				delete(st.args, kv.Key) // declared, without a value: unset, as in Docker
			}
		}
		return b.configOnly(st, sourceOf(c), func(*v1.Config) {})
	}
	edit, err := configEdit(st, cmd)
	if err != nil {
		return err
	}
	return b.configStep(st, sourceOf(cmd), historyOf(st, cmd), edit)
}

// envOf is what variables in an instruction see: the image's Env, then
// the stage's build arguments.
func (b *builder) envOf(st *state) (map[string]string, error) {
	cfg, err := st.img.ConfigFile()
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for k, v := range st.args {
		env[k] = v
	}
	for _, kv := range cfg.Config.Env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env, nil
}

// configOnly applies a config change as a step of its own, cached.
func (b *builder) configOnly(st *state, text string, edit func(*v1.Config)) error {
	return b.configStep(st, text, nop(st, text), edit)
}

// nop is a config step's words in the history, as Docker's builder
// writes them: the stage's shell, then "#(nop)" and the instruction.
func nop(st *state, text string) string {
	return strings.Join(st.shell, " ") + " #(nop)  " + text
}

// pairs writes KEY=VALUE pairs as Docker's history does: " K=V K=V".
func pairs(kvs instructions.KeyValuePairs) string {
	var s string
	for _, kv := range kvs {
		s += " " + kv.Key + "=" + kv.Value
	}
	return s
}

// historyOf is a config instruction's words in the history: for most the
// instruction as written, for some what it made, in Go's notation, as
// Docker prints them (CMD x y: CMD ["/bin/sh" "-c" "x y"]).
func historyOf(st *state, cmd instructions.Command) string {
	switch c := cmd.(type) {
	case *instructions.EnvCommand: // expanded, unquoted: ENV C=1 2
		return nop(st, "ENV"+pairs(c.Env))
	case *instructions.LabelCommand:
		return nop(st, "LABEL"+pairs(c.Labels))
	case *instructions.UserCommand:
		return nop(st, "USER "+c.User)
	case *instructions.StopSignalCommand:
		return nop(st, "STOPSIGNAL "+c.Signal)
	case *instructions.CmdCommand:
		return nop(st, fmt.Sprintf("CMD %q", commandLine(st, c.ShellDependantCmdLine)))
	case *instructions.EntrypointCommand:
		return nop(st, fmt.Sprintf("ENTRYPOINT %q", commandLine(st, c.ShellDependantCmdLine)))
	case *instructions.VolumeCommand:
		return nop(st, fmt.Sprintf("VOLUME %v", c.Volumes))
	case *instructions.ShellCommand:
		return nop(st, fmt.Sprintf("SHELL %v", c.Shell))
	case *instructions.HealthCheckCommand:
		h := c.Health
		// Go's %q of Docker's *HealthConfig; the count prints as a rune.
		return nop(st, fmt.Sprintf("HEALTHCHECK &{%q %q %q %q %q}", h.Test, h.Interval.String(),
			h.Timeout.String(), h.StartPeriod.String(), rune(h.Retries)))
	}
	return nop(st, sourceOf(cmd))
}

// configStep is configOnly with the history's words given.
func (b *builder) configStep(st *state, text, createdBy string, edit func(*v1.Config)) error {
	return b.configFileStep(st, text, createdBy, func(cf *v1.ConfigFile) { edit(&cf.Config) })
}

// configFileStep is configStep for a change outside the container config
// (MAINTAINER's Author). The config it makes is in its cache key: an
// instruction's text is kept as written, and ENV X=$ARG must miss when
// the argument changes.
func (b *builder) configFileStep(st *state, text, createdBy string, edit func(*v1.ConfigFile)) error {
	cf, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	edit(cf)
	made, err := json.Marshal([]any{cf.Author, cf.Config})
	if err != nil {
		return err
	}
	key := b.keyOf(st, text, string(made))
	if b.fromCache(st, key) {
		return nil
	}
	img, err := editConfig(st.img, func(cf *v1.ConfigFile) {
		edit(cf)
		cf.History = append(cf.History, v1.History{Created: v1.Time{Time: now()}, CreatedBy: createdBy, EmptyLayer: true})
	})
	if err != nil {
		return err
	}
	return b.done(st, img, key)
}

// keyOf is a step's cache key: the previous step's, this instruction (its
// variables expanded), and what else its result depends on: for COPY and
// ADD the files' content, for RUN the build arguments it sees
// (argsOf). Like Docker's classic builder, a changed build argument
// misses at the first RUN that sees it, not at its ARG.
//
//lab:06,fail a digest of everything the step's result depends on: the previous step's key, the instruction, the content
func (b *builder) keyOf(st *state, text, content string) string {
	return digestOf(st.key + "\n" + text + "\n" + content)
}

// argsOf is the stage's build arguments, sorted, one a line: part of a
// RUN's environment, so part of its cache key.
func argsOf(st *state) string {
	var args []string
	for k, v := range st.args {
		args = append(args, k+"="+v)
	}
	sort.Strings(args)
	return strings.Join(args, "\n")
}

// fromCache takes the step's image from the cache when a build before
// made it and the store still has it.
func (b *builder) fromCache(st *state, key string) bool {
	if b.o.NoCache {
		return false
	}
	id := b.cached(key)
	if id == "" {
		return false
	}
	rec, err := b.o.Store.Lookup(id)
	if err != nil {
		return false
	}
	img, err := b.o.Store.Image(rec)
	if err != nil {
		return false
	}
	st.img, st.rec, st.key = img, rec, key
	b.say(" ---> Using cache")
	b.say(" ---> %s", b.shortID(st))
	return true
}

// done makes img the stage's image after a step: stored, and cached under
// key.
func (b *builder) done(st *state, img v1.Image, key string) error {
	st.img, st.rec, st.key = img, nil, key
	rec, err := b.stored(st)
	if err != nil {
		return err
	}
	b.remember(key, rec.ID)
	b.say(" ---> %s", b.shortID(st))
	return nil
}

// stored keeps the stage's image in the store (untagged, like Docker's
// intermediate images) and returns its record.
func (b *builder) stored(st *state) (*imagestore.Record, error) {
	if st.rec == nil {
		rec, err := b.o.Store.Add(st.img, "")
		if err != nil {
			return nil, err
		}
		st.rec = rec
	}
	return st.rec, nil
}

func (b *builder) shortID(st *state) string {
	if st.rec != nil {
		return strings.TrimPrefix(st.rec.ID, "sha256:")[:12]
	}
	d, err := st.img.ConfigName()
	if err != nil {
		return "?"
	}
	return d.Hex[:12]
}

// cached and remember read and write the cache: key -> image ID, a file
// in the store changed under a lock.
func (b *builder) cached(key string) string {
	m := map[string]string{}
	if data, err := os.ReadFile(b.cache); err == nil {
		json.Unmarshal(data, &m)
	}
	return m[key]
}

func (b *builder) remember(key, id string) {
	flock.With(b.cache+".lock", func() error {
		m := map[string]string{}
		if data, err := os.ReadFile(b.cache); err == nil {
			json.Unmarshal(data, &m)
		}
		m[key] = id
		data, _ := json.Marshal(m)
		return atomicfile.WriteBytes(b.cache, data)
	})
}

func digestOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// sourceOf is the instruction as written, on one line.
func sourceOf(cmd instructions.Command) string {
	if s, ok := cmd.(interface{ String() string }); ok {
		return strings.Join(strings.Fields(s.String()), " ")
	}
	return cmd.Name()
}
