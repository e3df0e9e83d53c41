//go:build !unix

package app_test

import "os"

// peakRSS is 0 where the system does not give a child's peak memory.
func peakRSS(*os.ProcessState) int64 { return 0 }
