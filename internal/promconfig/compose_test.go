package promconfig

import (
	"fmt"
	"math/rand/v2"
	"testing"

	. "github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"
)

// TestComposesAgreesWithLoad builds random files the way assemble does (a
// base, objects' jobs encoded on their own, additional jobs from the
// user's YAML) and compares composes, which judges the file from its
// parts' loads, with config.Load of the whole file: whenever composes says
// the file loads, it does; and when every part loads and the file has no
// alias, composes says it loads exactly when it does. The files mix valid
// and invalid jobs (regexes, timeouts over the global or own interval,
// unknown fields in the user's YAML), job names shared within and across
// parts, and strings that end parts in literal block scalars (|, |-, |+),
// comments and anchors.
func TestComposesAgreesWithLoad(t *testing.T) {
	g := NewWithT(t)
	r := rand.New(rand.NewPCG(3, 4))
	var vouched, loaded, refused int
	for i := range 1000 {
		f := randomFile(r)
		whole := withJobs(f.base, append(f.items(), f.extraYAML)...)
		err := validate(whole)
		got := composes(f.base, f.parts, f.extra, f.aliasFree)
		if got {
			vouched++
			g.Expect(err).NotTo(HaveOccurred(), "case %d: composes vouches for a file config.Load refuses:\n%s", i, whole)
		}
		if err == nil {
			loaded++
		} else {
			refused++
		}
		if f.partsLoad() && f.aliasFree {
			g.Expect(got).To(Equal(err == nil), "case %d: every part loads, composes %v, config.Load: %v\n%s", i, got, err, whole)
		}
	}
	t.Logf("%d files: %d load, %d refused, composes vouched for %d", loaded+refused, loaded, refused, vouched)
	g.Expect(vouched).To(BeNumerically(">", 300))
	g.Expect(refused).To(BeNumerically(">", 300))
}

type randomParts struct {
	base      []byte
	parts     []fragment
	extra     *fragment
	extraYAML []byte
	aliasFree bool
}

func (f randomParts) items() [][]byte {
	out := make([][]byte, len(f.parts))
	for i, p := range f.parts {
		out[i] = p.yaml
	}
	return out
}

func (f randomParts) partsLoad() bool {
	for _, p := range f.parts {
		if p.err != nil {
			return false
		}
	}
	return f.extra == nil || f.extra.err == nil
}

// extraSnippets are additional scrape configs as users write them.
var extraSnippets = []string{
	"- job_name: extra\n  static_configs:\n    - targets: [a:1]\n",
	"# mine\n- job_name: extra # trailing\n  metrics_path: /m\n\n  # before a key\n  scheme: https\n",
	"- job_name: extra\n  params: &p\n    x: [\"1\"]\n- job_name: extra2\n  params: *p\n",
	"- job_name: job-1\n",
	"- job_name: extra\n  scrape_timeout: 2m\n",
	"- job_name: extra\n  unknown_field: 1\n",
	"- job_name: extra\n  basic_auth:\n    username: u\n    password: |+\n      p\n\n",
	"- &a\n  job_name: extra\n",
}

func randomFile(r *rand.Rand) randomParts {
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	cfg := &Config{Global: GlobalConfig{ScrapeInterval: pick("30s", "10s", "1m"), ScrapeTimeout: pick("", "5s", "20s")}}
	if r.IntN(4) == 0 {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(pick("- &r {action: drop, source_labels: [x]}\n", "- {action: keep, regex: a}\n", "- &r {action: drop, source_labels: [x]}\n- *r\n")), &n); err != nil {
			panic(err)
		}
		cfg.Alerting = &AlertingConfig{Alertmanagers: []any{&AlertmanagerConfig{KubernetesSDConfigs: []*KubernetesSD{{Role: "endpoints"}}}}}
		for _, c := range n.Content[0].Content {
			cfg.Alerting.AlertRelabelConfigs = append(cfg.Alerting.AlertRelabelConfigs, c)
		}
	}
	base, err := encode(cfg)
	if err != nil {
		panic(err)
	}
	f := randomParts{base: base}
	var user []yaml.Node
	for range 1 + r.IntN(5) {
		configs := make([]*ScrapeConfig, 1+r.IntN(3))
		for i := range configs {
			c := &ScrapeConfig{
				JobName:        fmt.Sprintf("job-%d", r.IntN(60)),
				StaticConfigs:  []*StaticConfig{{Targets: []string{pick("a:80", "b:9090")}}},
				RelabelConfigs: []*RelabelConfig{{SourceLabels: []string{"a"}, TargetLabel: "b", Regex: pick("(.+)", "x|y", "a*", "")}},
			}
			switch r.IntN(40) {
			case 0:
				c.RelabelConfigs[0].Regex = "(unclosed"
			case 1:
				c.ScrapeInterval, c.ScrapeTimeout = "15s", "20s"
			case 2:
				c.ScrapeTimeout = "45s" // over the global interval but 1m
			case 3:
				c.JobName = pick("job 1", "-x", "job-1 ", "")
			case 4, 5, 6:
				c.ScrapeInterval, c.ScrapeTimeout = pick("15s", "1m"), pick("", "10s")
			}
			if r.IntN(3) == 0 {
				c.BasicAuth = &BasicAuth{Username: "u", Password: pick("p\n", "p\n\n", "p", "\n", "p\n\n\n", "- p\n---\n...\n")}
			}
			configs[i] = c
		}
		var e emitter
		out, err := e.encodeJobs(configs)
		if err != nil {
			panic(err)
		}
		f.parts = append(f.parts, fragment{out, loadJobs(base, out)})
	}
	if r.IntN(2) == 0 {
		var nodes []yaml.Node
		if err := yaml.Unmarshal([]byte(pick(extraSnippets...)), &nodes); err != nil {
			panic(fmt.Sprint(err))
		}
		user = nodes
		extra, err := encode(nodesOf(nodes))
		if err != nil {
			panic(err)
		}
		f.extraYAML = extra
		f.extra = &fragment{extra, loadJobs(base, extra)}
	}
	f.aliasFree = !hasAlias(userNodes(cfg, user)...)
	return f
}

func nodesOf(n []yaml.Node) []any { return nodes(n) }
