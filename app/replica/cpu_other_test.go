//go:build !unix

package replica_test

import "time"

// cpuTime is not read where there is no getrusage: the bench prints 0.
func cpuTime() time.Duration { return 0 }
