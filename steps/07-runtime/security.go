// A container's confinement, from Docker's options: the capabilities it
// keeps (--cap-add, --cap-drop), its seccomp profile and no_new_privs
// (--security-opt). Step 01 applies them (caps.go, seccomp.go); this file
// reads the options as dockerd does.

package runtime

import (
	"strconv"
	"strings"

	namespaces "mini/steps/01-namespaces"
)

// confine puts the options' confinement into the Spec, and compiles its
// seccomp filter once, so that a bad profile fails the create.
func (o *CreateOptions) confine(spec *namespaces.Spec) error {
	if !o.Privileged && (len(o.CapAdd) > 0 || len(o.CapDrop) > 0) {
		caps, err := namespaces.ResolveCapabilities(o.CapAdd, o.CapDrop)
		if err != nil {
			return invalid("%v", err)
		}
		spec.Capabilities = caps
	}
	for _, opt := range o.SecurityOpt {
		if err := securityOpt(spec, opt); err != nil {
			return err
		}
	}
	if o.Privileged {
		spec.Seccomp = namespaces.SeccompUnconfined // as in Docker
	}
	if err := namespaces.CheckSeccomp(spec); err != nil {
		return invalid("%v", err)
	}
	return nil
}

// securityOpt reads one --security-opt. AppArmor and SELinux labels mini
// does not have: only the values that ask for none are accepted.
func securityOpt(spec *namespaces.Spec, opt string) error {
	key, value, hasValue := strings.Cut(opt, "=")
	if !hasValue { // Docker's older form: no-new-privileges:true
		key, value, hasValue = strings.Cut(opt, ":")
	}
	switch {
	case key == "seccomp" && hasValue && value != "":
		spec.Seccomp = value // "unconfined", or the profile's JSON
	case key == "no-new-privileges":
		nnp, err := strconv.ParseBool(value)
		if !hasValue {
			nnp, err = true, nil
		}
		if err != nil {
			return invalid("invalid --security-opt %q: no-new-privileges takes true or false", opt)
		}
		spec.NoNewPrivileges = nnp
	case key == "apparmor" && value == "unconfined", key == "label" && value == "disable":
		// mini confines with neither: nothing to turn off.
	default:
		return invalid("invalid --security-opt %q: want seccomp=unconfined|PROFILE.json, no-new-privileges[=true|false], apparmor=unconfined or label=disable", opt)
	}
	return nil
}
