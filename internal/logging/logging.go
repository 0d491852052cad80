// Package logging makes the structured logger of Vigil's binaries from
// their --log-level and --log-format flags.
package logging

import (
	"fmt"
	"io"
	"log/slog"
)

// New is a logger writing to w at level (debug, info, warn or error) in
// format (logfmt or json).
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "logfmt":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not logfmt or json", format)
}
