// Who the command runs as.
//
// A user name means nothing to the kernel, which only knows numbers. The
// name given with -u is looked up in the container's own /etc/passwd and
// /etc/group, never the host's: the image decides who "nobody" is. The
// lookup happens after pivot_root, so "/etc/passwd" is the container's.

package namespaces

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// User is a resolved user: the IDs to switch to and the home directory.
type User struct {
	Uid, Gid int
	Groups   []int // supplementary groups
	Home     string
}

// passwdEntry and groupEntry are one line of /etc/passwd and /etc/group.
type passwdEntry struct {
	name     string
	uid, gid int
	home     string
}

type groupEntry struct {
	name    string
	gid     int
	members []string
}

// LookupUser resolves spec ("", "name", "uid", "name:group", "uid:gid"...)
// against the passwd and group files at the given paths. A numeric uid that
// the passwd file does not list is allowed, as in Docker, with gid 0.
func LookupUser(spec, passwdPath, groupPath string) (*User, error) {
	userPart, groupPart, hasGroup := strings.Cut(spec, ":")
	if userPart == "" {
		userPart = "0"
	}
	users, err := readPasswd(passwdPath)
	if err != nil {
		return nil, err
	}
	u := &User{Home: "/"}
	entry, err := findUser(users, userPart)
	if err != nil {
		return nil, err
	}
	u.Uid, u.Gid, u.Home = entry.uid, entry.gid, entry.home

	groups, err := readGroup(groupPath)
	if err != nil {
		return nil, err
	}
	if hasGroup {
		g, err := findGroup(groups, groupPart)
		if err != nil {
			return nil, err
		}
		u.Gid = g.gid
	}
	// The kernel's ids are 32 bits, and (uid_t)-1 means "no change": a
	// larger number would wrap, 4294967296 to 0, root. Refuse what does
	// not fit a positive int32, as runc does.
	if u.Uid > maxID || u.Gid > maxID {
		return nil, fmt.Errorf("uids and gids must be in range 0-%d", maxID)
	}
	u.Groups = supplementaryGroups(groups, entry.name, u.Gid)
	return u, nil
}

// maxID is the largest uid or gid a container may be given.
const maxID = 1<<31 - 1

// findUser finds a user by name or number. An unlisted number stands for
// itself.
func findUser(users []passwdEntry, want string) (passwdEntry, error) {
	uid, numErr := strconv.Atoi(want)
	for _, e := range users {
		if e.name == want || (numErr == nil && e.uid == uid) {
			return e, nil
		}
	}
	if numErr == nil && uid >= 0 {
		return passwdEntry{uid: uid, home: "/"}, nil
	}
	return passwdEntry{}, fmt.Errorf("unable to find user %s: no matching entries in passwd file", want)
}

func findGroup(groups []groupEntry, want string) (groupEntry, error) {
	gid, numErr := strconv.Atoi(want)
	for _, g := range groups {
		if g.name == want || (numErr == nil && g.gid == gid) {
			return g, nil
		}
	}
	if numErr == nil && gid >= 0 {
		return groupEntry{gid: gid}, nil
	}
	return groupEntry{}, fmt.Errorf("unable to find group %s: no matching entries in group file", want)
}

// supplementaryGroups lists the groups that name the user as a member,
// plus the primary group, as login(1) would set them.
func supplementaryGroups(groups []groupEntry, name string, primary int) []int {
	ids := []int{primary}
	if name == "" {
		return ids
	}
	for _, g := range groups {
		for _, m := range g.members {
			if m == name && g.gid != primary {
				ids = append(ids, g.gid)
			}
		}
	}
	return ids
}

func readPasswd(path string) ([]passwdEntry, error) {
	var out []passwdEntry
	err := readColonFile(path, 7, func(f []string) {
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 == nil && err2 == nil {
			out = append(out, passwdEntry{name: f[0], uid: uid, gid: gid, home: f[5]})
		}
	})
	return out, err
}

func readGroup(path string) ([]groupEntry, error) {
	var out []groupEntry
	err := readColonFile(path, 4, func(f []string) {
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			return
		}
		var members []string
		if f[3] != "" {
			members = strings.Split(f[3], ",")
		}
		out = append(out, groupEntry{name: f[0], gid: gid, members: members})
	})
	return out, err
}

// readColonFile calls fn with the fields of each well-formed line. A missing
// file is an empty one: a minimal image may have no /etc/group.
func readColonFile(path string, nfields int, fn func([]string)) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if fields := strings.Split(line, ":"); len(fields) >= nfields {
			fn(fields)
		}
	}
	return sc.Err()
}
