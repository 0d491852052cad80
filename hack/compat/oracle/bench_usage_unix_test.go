//go:build unix

package oracle

import (
	"runtime"
	"syscall"
	"time"
)

// processUsage is the CPU time the process has used so far, every thread
// counted (the garbage collector's workers too), and its peak resident set
// size in bytes.
func processUsage() (cpu time.Duration, peakRSS int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	peakRSS = int64(ru.Maxrss) * 1024 // kilobytes, except on macOS
	if runtime.GOOS == "darwin" {
		peakRSS = int64(ru.Maxrss)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), peakRSS, true
}
