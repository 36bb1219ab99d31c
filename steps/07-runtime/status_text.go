// How a container's state reads to a person, in Docker's words: the
// STATUS column of ps, which the Engine API's list sends already worded
// ("Up 5 minutes", "Exited (0) 3 seconds ago").

package runtime

import (
	"fmt"
	"time"

	"mini/steps/07-runtime/supervisor"
)

// StatusText is Docker's STATUS column (the API's Status, which the
// daemon words, not the client): Up 5 seconds, Up 2 minutes
// (Paused), Restarting (1) 3 seconds ago, Exited (0) 3 minutes ago.
func StatusText(st *supervisor.State) string {
	switch st.Status {
	case supervisor.StatusRunning:
		return "Up " + HumanDuration(time.Since(st.StartedAt))
	case supervisor.StatusPaused:
		return "Up " + HumanDuration(time.Since(st.StartedAt)) + " (Paused)"
	case supervisor.StatusRestarting:
		return fmt.Sprintf("Restarting (%d) %s", st.ExitCode, HumanDuration(time.Since(st.FinishedAt))+" ago")
	case supervisor.StatusExited:
		return fmt.Sprintf("Exited (%d) %s", st.ExitCode, HumanDuration(time.Since(st.FinishedAt))+" ago")
	case supervisor.StatusDead:
		return "Dead"
	}
	return "Created"
}

// HumanDuration writes a duration as Docker does ("Up 5 seconds",
// "About an hour", "3 weeks").
func HumanDuration(d time.Duration) string {
	s := int(d.Seconds())
	switch {
	case s < 1:
		return "Less than a second"
	case s == 1:
		return "1 second"
	case s < 60:
		return fmt.Sprintf("%d seconds", s)
	case d.Minutes() < 2:
		return "About a minute"
	case d.Minutes() < 60:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d.Hours() < 2:
		return "About an hour"
	case d.Hours() < 48:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d.Hours() < 24*7*2:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d.Hours() < 24*30*2:
		return fmt.Sprintf("%d weeks", int(d.Hours()/24/7))
	case d.Hours() < 24*365*2:
		return fmt.Sprintf("%d months", int(d.Hours()/24/30))
	}
	return fmt.Sprintf("%d years", int(d.Hours()/24/365))
}
