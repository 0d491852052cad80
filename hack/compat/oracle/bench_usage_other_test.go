//go:build !unix

package oracle

import "time"

// processUsage is not measured here.
func processUsage() (cpu time.Duration, peakRSS int64, ok bool) { return 0, 0, false }
