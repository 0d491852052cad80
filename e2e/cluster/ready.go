package cluster

import (
	"context"
	"fmt"
	"time"
)

const (
	pollInterval   = 100 * time.Millisecond
	attemptTimeout = 2 * time.Second
	logTailLines   = 30
)

// waitReady polls c.ready until it succeeds, the process exits, c.timeout
// has passed since since, or ctx is done. Its error names the component, the
// last failed check and the tail of the component's log.
func waitReady(ctx context.Context, c *component, since time.Time) error {
	deadline := since.Add(c.timeout)
	var last error
	for {
		if err := c.exited(); err != nil {
			return c.failure(fmt.Errorf("exited before it was ready: %w", err))
		}
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		last = c.ready(actx)
		cancel()
		if last == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return c.failure(fmt.Errorf("not ready after %s: %w", c.timeout, last))
		}
		select {
		case <-ctx.Done():
			return c.failure(fmt.Errorf("not ready: %w (last check: %v)", ctx.Err(), last))
		case <-time.After(pollInterval):
		}
	}
}

// failure wraps err with the component's name and the tail of its log.
func (c *component) failure(err error) error {
	return fmt.Errorf("%s: %w\n--- last lines of %s ---\n%s", c.name, err, c.logPath, c.logTail(logTailLines))
}

// poll calls f until it succeeds, timeout passes or ctx is done.
func poll(ctx context.Context, timeout time.Duration, f func(context.Context) error) error {
	deadline := time.Now().Add(timeout)
	for {
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		err := f(actx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %s: %w", timeout, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(pollInterval):
		}
	}
}
