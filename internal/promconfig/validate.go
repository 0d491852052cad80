package promconfig

import (
	"log/slog"

	"github.com/prometheus/prometheus/config"
	// Register the service discovery kinds Vigil writes with the parser.
	_ "github.com/prometheus/prometheus/discovery/dns"
	_ "github.com/prometheus/prometheus/discovery/file"
	_ "github.com/prometheus/prometheus/discovery/http"
	_ "github.com/prometheus/prometheus/discovery/kubernetes"
)

// discard drops the parser's log lines; its errors are what count.
var discard = slog.New(slog.DiscardHandler)

// validate loads a configuration with Prometheus's own parser, which
// checks everything Prometheus checks at start: durations, regexes, relabel
// actions, label names, timeouts against intervals, unique job names.
func validate(cfg []byte) error {
	_, err := config.Load(string(cfg), discard)
	return err
}
