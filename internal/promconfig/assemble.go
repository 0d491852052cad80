package promconfig

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-monitoring/vigil/internal/rejection"
)

const scrapeConfigsKey = "scrape_configs:\n"

// assemble writes the configuration: the base, then each accepted object's
// jobs. Every object's jobs are checked by Prometheus's parser together
// with the base (so global defaults count), and an object whose jobs do not
// load is left out; job names are unique by construction, so the parts
// loading alone means the whole loads. Encoding each object on its own
// keeps memory flat (one large YAML document makes the encoder hold every
// event of it) and lets the cache skip unchanged objects.
func assemble(cfg *Config, jobs []job, extra []yaml.Node, cache *Cache) (Result, error) {
	base, err := encode(cfg)
	if err != nil {
		return Result{}, err
	}
	if err := validate(base); err != nil {
		return Result{}, fmt.Errorf("generated configuration does not load: %w", err)
	}
	extraItems, err := encode(nodes(extra))
	if err != nil {
		return Result{}, err
	}
	if len(extra) > 0 {
		if err := validate(withJobs(base, extraItems)); err != nil {
			return Result{}, fmt.Errorf("generated configuration does not load with additionalScrapeConfigs: %w", err)
		}
		if err := checkJobNames(extra, jobs); err != nil {
			return Result{}, err
		}
	}

	var res Result
	var items [][]byte
	frags := cache.start(base)
	for _, j := range jobs {
		if j.err != nil {
			res.Rejected = append(res.Rejected, reject(j, j.err.Error()))
			continue
		}
		f, err := frags.fragment(j)
		if err != nil {
			return Result{}, err
		}
		if f.err != nil {
			res.Rejected = append(res.Rejected, reject(j, "invalid configuration: "+f.err.Error()))
			continue
		}
		items = append(items, f.yaml)
	}
	cache.finish(frags)
	rejection.Sort(res.Rejected)
	res.Config = withJobs(base, append(items, extraItems)...)
	return res, nil
}

func reject(j job, reason string) Rejection {
	return Rejection{Kind: j.kind, Namespace: j.namespace, Name: j.name, Reason: reason}
}

// withJobs appends encoded sequence items under scrape_configs.
func withJobs(base []byte, items ...[]byte) []byte {
	n := len(base) + len(scrapeConfigsKey)
	for _, it := range items {
		n += len(it)
	}
	out := make([]byte, 0, n)
	out = append(out, base...)
	if n == len(base)+len(scrapeConfigsKey) {
		return out
	}
	out = append(out, scrapeConfigsKey...)
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// encode writes v with the YAML encoder; an empty list writes nothing.
func encode(v any) ([]byte, error) {
	if l, ok := v.([]any); ok && len(l) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding configuration: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func nodes(extra []yaml.Node) []any {
	out := make([]any, len(extra))
	for i := range extra {
		out[i] = &extra[i]
	}
	return out
}

// checkJobNames refuses additional scrape configs that reuse the name of a
// generated job: Prometheus would refuse the whole file.
func checkJobNames(extra []yaml.Node, jobs []job) error {
	names := map[string]bool{}
	for _, j := range jobs {
		for _, c := range j.configs {
			names[c.JobName] = true
		}
	}
	for i := range extra {
		var sc struct {
			JobName string `yaml:"job_name"`
		}
		if err := extra[i].Decode(&sc); err == nil && names[sc.JobName] {
			return fmt.Errorf("additionalScrapeConfigs: found multiple scrape configs with job name %q: a generated job has it", sc.JobName)
		}
	}
	return nil
}
