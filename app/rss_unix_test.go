//go:build unix

package app_test

import (
	"os"
	"syscall"
)

// peakRSS is a finished child's peak resident memory in KiB.
func peakRSS(ps *os.ProcessState) int64 {
	if u, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return u.Maxrss
	}
	return 0
}
