package compare

import (
	"fmt"
	"slices"

	"github.com/pmezard/go-difflib/difflib"
	commoncfg "github.com/prometheus/common/config"
	"github.com/prometheus/prometheus/config"
	"go.yaml.in/yaml/v2"

	// Every service discovery Prometheus knows, as Prometheus registers them.
	_ "github.com/prometheus/prometheus/discovery/install"
)

func init() {
	// Compare secret values, not "<secret>".
	commoncfg.MarshalSecretValue = true
}

// Input is one side of the comparison.
type Input struct {
	// Config is prometheus.yaml.
	Config []byte
	// Files are the files the configuration refers to by absolute path
	// (Prometheus Operator's TLS assets), by path.
	Files map[string][]byte
	// RuleConfigMaps are the rule ConfigMaps that exist; nil leaves
	// rule_files as written.
	RuleConfigMaps []string
	// Rejected are the objects left out, "Kind namespace/name", with the
	// reason.
	Rejected map[string]string
}

// Difference is one job or section that differs.
type Difference struct {
	// Job is the job name, or the top-level section.
	Job string
	// Diff is a unified diff, Prometheus Operator's side first.
	Diff string
}

func (d Difference) String() string { return d.Job + ":\n" + d.Diff }

// Prometheus compares Vigil's configuration with Prometheus Operator's.
func Prometheus(vigil, po Input) ([]Difference, error) {
	diffs, allowed := rejections(vigil.Rejected, po.Rejected)
	vc, err := load("Vigil", vigil)
	if err != nil {
		return nil, err
	}
	// Prometheus Operator's jobs of the objects Vigil leaves out on
	// purpose are not compared; when Prometheus cannot load its file,
	// they are usually why.
	po.Config, err = withoutJobsOf(po.Config, allowed)
	if err != nil {
		return nil, err
	}
	pc, err := load("Prometheus Operator", po)
	if err != nil {
		return nil, err
	}
	vj, pj := jobsByName(vc), jobsByName(pc)
	for _, name := range union(keys(vj), keys(pj)) {
		v, inV := vj[name]
		p, inP := pj[name]
		switch {
		case !inV:
			diffs = append(diffs, Difference{Job: name, Diff: "only in Prometheus Operator's configuration\n"})
		case !inP:
			diffs = append(diffs, Difference{Job: name, Diff: "only in Vigil's configuration\n"})
		default:
			if d := diffYAML(p, v); d != "" {
				diffs = append(diffs, Difference{Job: name, Diff: d})
			}
		}
	}
	vc.ScrapeConfigs, pc.ScrapeConfigs = nil, nil
	for _, s := range sections(pc, vc) {
		if d := diffYAML(s.po, s.vigil); d != "" {
			diffs = append(diffs, Difference{Job: s.name, Diff: d})
		}
	}
	return diffs, nil
}

// load loads cfg with Prometheus's loader and applies the normalisations
// that make equal settings compare equal.
func load(side string, in Input) (*config.Config, error) {
	c, err := config.Load(string(in.Config), nil)
	if err != nil {
		return nil, fmt.Errorf("%s's configuration does not load: %w", side, err)
	}
	for _, a := range Allowances {
		if a.normalize != nil {
			if err := a.normalize(c, in); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", side, a.Name, err)
			}
		}
	}
	return c, nil
}

func jobsByName(c *config.Config) map[string]*config.ScrapeConfig {
	out := map[string]*config.ScrapeConfig{}
	for _, j := range c.ScrapeConfigs {
		out[j.JobName] = j
	}
	return out
}

type section struct {
	name      string
	po, vigil any
}

func sections(po, vigil *config.Config) []section {
	return []section{
		{"global", po.GlobalConfig, vigil.GlobalConfig},
		{"alerting", po.AlertingConfig, vigil.AlertingConfig},
		{"rule_files", po.RuleFiles, vigil.RuleFiles},
		{"remote_write", po.RemoteWriteConfigs, vigil.RemoteWriteConfigs},
		{"remote_read", po.RemoteReadConfigs, vigil.RemoteReadConfigs},
		{"storage", po.StorageConfig, vigil.StorageConfig},
		{"tracing", po.TracingConfig, vigil.TracingConfig},
		{"otlp", po.OTLPConfig, vigil.OTLPConfig},
		{"runtime", po.Runtime, vigil.Runtime},
	}
}

// diffYAML marshals both values as Prometheus writes them and returns a
// unified diff, or "" when they are equal.
func diffYAML(po, vigil any) string {
	a, errA := yaml.Marshal(po)
	b, errB := yaml.Marshal(vigil)
	if errA != nil || errB != nil {
		return fmt.Sprintf("cannot marshal: %v %v\n", errA, errB)
	}
	if string(a) == string(b) {
		return ""
	}
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(a)), B: difflib.SplitLines(string(b)),
		FromFile: "Prometheus Operator", ToFile: "Vigil", Context: 3,
	})
	return d
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
