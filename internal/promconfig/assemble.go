package promconfig

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

const scrapeConfigsKey = "scrape_configs:\n"

// extraJobs are the Prometheus object's additionalScrapeConfigs, and what
// a reason calls them.
type extraJobs struct {
	nodes []yaml.Node
	owner string
}

// assemble writes the configuration: the base, then each accepted object's
// jobs, then the additional jobs. Every object's jobs are checked by
// Prometheus's parser together with the base (so global defaults count),
// and an object whose jobs do not load is left out. So is an object with a
// job name that an additional job or an object before it already has:
// Prometheus refuses a file with two jobs of one name. The whole file is
// then known to load (see composes), or loaded once, so that whatever the
// parts' checks missed is an error rather than a configuration Prometheus
// refuses. Encoding each object on its own keeps memory flat (one large
// YAML document makes the encoder hold every event of it), lets the
// objects be built and checked in parallel, and lets the cache skip
// unchanged objects.
func assemble(cfg *Config, ctx buildContext, tasks []task, extra extraJobs, cache *Cache) (Result, error) {
	base, err := encode(cfg)
	if err != nil {
		return Result{}, err
	}
	if err := validate(base); err != nil {
		return Result{}, fmt.Errorf("generated configuration does not load: %w", err)
	}
	extraItems, err := encode(nodes(extra.nodes))
	if err != nil {
		return Result{}, err
	}
	var extraPart *fragment
	if len(extra.nodes) > 0 {
		extraPart = &fragment{extraItems, loadJobs(base, extraItems)}
		if extraPart.err != nil {
			return Result{}, fmt.Errorf("generated configuration does not load with additionalScrapeConfigs: %w", extraPart.err)
		}
	}

	var res Result
	var items [][]byte
	var accepted []fragment
	owners := jobOwners(extra)
	frags := cache.start(base, ctx)
	parts := buildParts(ctx.g, tasks, frags)
	for _, p := range parts {
		if p.err != nil {
			res.Rejected = append(res.Rejected, reject(p.job, p.err))
			continue
		}
		if p.encodeErr != nil {
			return Result{}, p.encodeErr
		}
		if err := owners.collision(p.job); err != nil {
			res.Rejected = append(res.Rejected, reject(p.job, err))
			continue
		}
		if p.verdict.err != nil {
			// The parser may quote a value, and the message ends up in a
			// status and an Event: it does not wrap the parser's error.
			res.Rejected = append(res.Rejected, reject(p.job, rejection.Errorf(rejection.RefusedByPrometheus,
				"invalid configuration: %s", assets.Redact(p.verdict.err.Error(), p.job.secrets))))
			continue
		}
		owners.claim(p.job)
		items = append(items, p.yaml)
		accepted = append(accepted, p.fragment)
	}
	cache.finish(frags, parts)
	rejection.Sort(res.Rejected)
	res.Config = withJobs(base, append(items, extraItems)...)
	if composes(base, accepted, extraPart, !hasAlias(userNodes(cfg, extra.nodes)...)) {
		return res, nil
	}
	if err := validate(res.Config); err != nil {
		return Result{}, fmt.Errorf("the assembled configuration does not load, although each part does: %w", err)
	}
	return res, nil
}

func reject(j job, err error) Rejection {
	return rejection.New(j.kind, j.namespace, j.name, err)
}

// owners maps each job name taken so far to what has it.
type owners map[string]string

// jobOwners starts with the additional jobs, which come from the
// Prometheus object itself and so win over any selected object.
func jobOwners(extra extraJobs) owners {
	o := owners{}
	for i := range extra.nodes {
		var sc struct {
			JobName string `yaml:"job_name"`
		}
		if err := extra.nodes[i].Decode(&sc); err == nil && sc.JobName != "" {
			o[sc.JobName] = extra.owner
		}
	}
	return o
}

// collision says which of j's job names is taken, and by what, or nil.
func (o owners) collision(j job) error {
	for _, name := range j.names {
		if other, ok := o[name]; ok {
			return rejection.Errorf(rejection.JobNameConflict, "job name %q is already used by %s, and Prometheus refuses two jobs with one name", name, other)
		}
	}
	return nil
}

// claim takes j's job names.
func (o owners) claim(j job) {
	for _, name := range j.names {
		o[name] = fmt.Sprintf("%s %s/%s", j.kind, j.namespace, j.name)
	}
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
