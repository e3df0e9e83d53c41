//go:build unix

package replica_test

import (
	"syscall"
	"time"
)

// cpuTime is the user and system time the process has had.
func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
