package promconfig

import (
	"log/slog"
	"strings"

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

// verdict is what Prometheus's parser says of encoded jobs loaded with the
// base configuration.
type verdict struct {
	// err is the parser's error, nil when the jobs load.
	err error
	// names are the jobs' names as the parser read them.
	names []string
	// blockSequence says the jobs' YAML has the shape composes needs.
	blockSequence bool
}

// loadJobs loads the base with jobs (a YAML sequence) as its
// scrape_configs, as they are in the assembled file.
func loadJobs(base, jobs []byte) verdict {
	var doc strings.Builder
	doc.Grow(len(base) + len(scrapeConfigsKey) + len(jobs))
	doc.Write(base)
	doc.WriteString(scrapeConfigsKey)
	doc.Write(jobs)
	cfg, err := config.Load(doc.String(), discard)
	if err != nil {
		return verdict{err: err}
	}
	v := verdict{names: make([]string, len(cfg.ScrapeConfigs)), blockSequence: isBlockSequence(jobs)}
	for i, sc := range cfg.ScrapeConfigs {
		v.names[i] = sc.JobName
	}
	return v
}
