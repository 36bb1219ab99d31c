// The container's environment: Docker's defaults, then the image's, then
// --env-file, then -e, a later KEY replacing an earlier one.

package runtime

import (
	"fmt"
	"os"
	"strings"

	namespaces "mini/steps/01-namespaces"
)

// buildEnv returns the command's environment: the defaults, the image's,
// then the user's (OverrideEnv's). HOME is added by the init, which alone
// can read the container's /etc/passwd.
func buildEnv(hostname string, tty bool, imageEnv, userEnv []string) []string {
	env := []string{"PATH=" + namespaces.DefaultPath, "HOSTNAME=" + hostname}
	if tty {
		env = append(env, "TERM=xterm")
	}
	return mergeEnv(mergeEnv(env, imageEnv), userEnv)
}

// OverrideEnv applies --env-file, then -e, to env (exec's too).
func OverrideEnv(env, envFiles, envs []string) ([]string, error) {
	env = append([]string(nil), env...)
	for _, file := range envFiles {
		vars, err := readEnvFile(file)
		if err != nil {
			return nil, err
		}
		env = mergeEnv(env, vars)
	}
	vars, err := parseEnvs(envs, "-e")
	if err != nil {
		return nil, err
	}
	return mergeEnv(env, vars), nil
}

// parseEnvs reads KEY=VALUE and bare KEY entries. A bare KEY takes the
// value mini itself has, and is left out when mini has none (as Docker does).
func parseEnvs(entries []string, where string) ([]string, error) {
	var out []string
	for _, e := range entries {
		key, _, hasValue := strings.Cut(e, "=")
		if key == "" || strings.ContainsAny(key, " \t") {
			return nil, invalid("invalid environment variable %q in %s: want KEY=VALUE or KEY", e, where)
		}
		if hasValue {
			out = append(out, e)
		} else if v, ok := os.LookupEnv(key); ok {
			out = append(out, key+"="+v)
		}
	}
	return out, nil
}

// readEnvFile reads a file of KEY=VALUE lines (kvfile.go).
func readEnvFile(path string) ([]string, error) {
	lines, err := readKVFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the env file: %w", err)
	}
	return parseEnvs(lines, path)
}

// mergeEnv sets each of vars in env, replacing an entry with the same KEY.
func mergeEnv(env, vars []string) []string {
	for _, kv := range vars {
		key, _, _ := strings.Cut(kv, "=")
		replaced := false
		for i, old := range env {
			if strings.HasPrefix(old, key+"=") {
				env[i], replaced = kv, true
			}
		}
		if !replaced {
			env = append(env, kv)
		}
	}
	return env
}
