package cli

import "testing"

func TestRemoteHost(t *testing.T) {
	t.Setenv("MINI_HOST", "")
	t.Setenv("DOCKER_HOST", "")
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"ps"}, nil, ""},
		{[]string{"-H", "unix:///a.sock", "ps"}, nil, "unix:///a.sock"},
		{[]string{"--host=tcp://127.0.0.1:1", "ps"}, nil, "tcp://127.0.0.1:1"},
		{[]string{"--root", "/x", "-H=unix:///b", "run", "-H", "not-a-host"}, nil, "unix:///b"}, // run's own -h is its
		{[]string{"ps"}, map[string]string{"DOCKER_HOST": "unix:///d"}, "unix:///d"},
		{[]string{"ps"}, map[string]string{"DOCKER_HOST": "unix:///d", "MINI_HOST": "unix:///m"}, "unix:///m"},
		{[]string{"-H", "unix:///a", "ps"}, map[string]string{"MINI_HOST": "unix:///m"}, "unix:///a"},
		// The daemon, mini's own roles and completion are never a client's.
		{[]string{"daemon", "-H", "unix:///x"}, map[string]string{"DOCKER_HOST": "unix:///d"}, ""},
		{[]string{"shim"}, map[string]string{"DOCKER_HOST": "unix:///d"}, ""},
		{[]string{"__complete", "ps", ""}, map[string]string{"MINI_HOST": "unix:///m"}, ""},
	} {
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		if got := RemoteHost(c.args); got != c.want {
			t.Errorf("RemoteHost(%q) with %v = %q, want %q", c.args, c.env, got, c.want)
		}
		for k := range c.env {
			t.Setenv(k, "")
		}
	}
}
