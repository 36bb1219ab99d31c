// Package flock runs code while holding a lock on a file: how
// concurrent mini processes take turns changing shared state (names, image
// records). The kernel releases the lock when the process exits, however
// it exits, so a killed mini never leaves the state locked.
package flock

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// With runs fn holding an exclusive flock(2) on path, made if missing.
func With(path string, fn func() error) error { return hold(path, unix.LOCK_EX, fn) }

// Shared runs fn holding a shared flock(2) on path: any number of holders
// at once, none while another holds the lock exclusive (With). Writers
// that only add take it shared; whoever must see no writer midway takes
// it exclusive.
func Shared(path string, fn func() error) error { return hold(path, unix.LOCK_SH, fn) }

func hold(path string, how int, fn func() error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("open lock %s: %w", path, err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), how); err != nil {
		return fmt.Errorf("lock %s: %w", path, err)
	}
	return fn()
}
