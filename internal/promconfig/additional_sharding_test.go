package promconfig

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestShardAdditional: additionalScrapeConfigs jobs get the sharding rules
// as Prometheus Operator gives them (pkg/prometheus/promcfg.go:2689-2735
// and 2278-2290): none with one shard; after the job's own rules, with
// relabel_configs moved last, unless a rule is action: hashmod as written.
func TestShardAdditional(t *testing.T) {
	sharding := func(shards int32) string {
		b, err := yaml.Marshal(shardingRules(shards, "__address__"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	indent := func(s string) string {
		return "    " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
	}
	for _, tc := range []struct {
		name   string
		shards int32
		in     string
		want   string // "" means unchanged
		err    string
	}{
		{name: "one shard: as written", shards: 1,
			in: "- job_name: a\n  static_configs: [{targets: [x:1]}]\n"},
		{name: "no relabel_configs", shards: 2,
			in:   "- job_name: a\n  static_configs: [{targets: [x:1]}]\n",
			want: "- job_name: a\n  static_configs: [{targets: [x:1]}]\n  relabel_configs:\n" + indent(sharding(2))},
		{name: "own rules first, relabel_configs last", shards: 3,
			in:   "- job_name: a\n  relabel_configs:\n    - {target_label: t, replacement: v}\n  static_configs: [{targets: [x:1]}]\n",
			want: "- job_name: a\n  static_configs: [{targets: [x:1]}]\n  relabel_configs:\n    - {target_label: t, replacement: v}\n" + indent(sharding(3))},
		{name: "own hashmod: no rules, relabel_configs still last", shards: 2,
			in:   "- job_name: a\n  relabel_configs:\n    - {source_labels: [__address__], modulus: 2, target_label: h, action: hashmod}\n  static_configs: [{targets: [x:1]}]\n",
			want: "- job_name: a\n  static_configs: [{targets: [x:1]}]\n  relabel_configs:\n    - {source_labels: [__address__], modulus: 2, target_label: h, action: hashmod}\n"},
		{name: "HashMod is not hashmod", shards: 2,
			in:   "- job_name: a\n  relabel_configs:\n    - {source_labels: [__address__], modulus: 2, target_label: h, action: HashMod}\n",
			want: "- job_name: a\n  relabel_configs:\n    - {source_labels: [__address__], modulus: 2, target_label: h, action: HashMod}\n" + indent(sharding(2))},
		{name: "a list shared through an anchor", shards: 2,
			in: "- job_name: a\n  relabel_configs: &r\n    - {target_label: t, replacement: v}\n- job_name: b\n  relabel_configs: *r\n",
			want: "- job_name: a\n  relabel_configs: &r\n    - {target_label: t, replacement: v}\n" + indent(sharding(2)) +
				"- job_name: b\n  relabel_configs:\n    - {target_label: t, replacement: v}\n" + indent(sharding(2))},
		{name: "relabel_configs not a list", shards: 2,
			in: "- job_name: a\n  relabel_configs:\n", err: "additionalScrapeConfigs[0]: relabel_configs is not a list"},
		{name: "a rule not a mapping", shards: 2,
			in: "- job_name: a\n  relabel_configs: [keep]\n", err: "additionalScrapeConfigs[0]: a relabel config is not a mapping"},
		{name: "a job not a mapping", shards: 2,
			in: "- a\n", err: "additionalScrapeConfigs[0]: a scrape config is not a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var jobs []yaml.Node
			g.Expect(yaml.Unmarshal([]byte(tc.in), &jobs)).To(Succeed())
			out, err := shardAdditional(jobs, tc.shards)
			if tc.err != "" {
				g.Expect(err).To(MatchError(tc.err))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			got, err := encode(nodes(out))
			g.Expect(err).NotTo(HaveOccurred())
			want := tc.want
			if want == "" {
				want = tc.in
			}
			var gotV, wantV any
			g.Expect(yaml.Unmarshal(got, &gotV)).To(Succeed())
			g.Expect(yaml.Unmarshal([]byte(want), &wantV)).To(Succeed())
			g.Expect(gotV).To(Equal(wantV), "got:\n%s", got)
			g.Expect(topKeys(t, got)).To(Equal(topKeys(t, []byte(want))), "key order")
		})
	}
}

// topKeys lists each job's keys in order.
func topKeys(t *testing.T, b []byte) [][]string {
	var jobs []yaml.Node
	if err := yaml.Unmarshal(b, &jobs); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, j := range jobs {
		var keys []string
		for i := 0; i < len(j.Content); i += 2 {
			keys = append(keys, j.Content[i].Value)
		}
		out = append(out, keys)
	}
	return out
}

// TestAdditionalScrapeConfigsSplitAcrossShards: with the rules in place,
// each target of an additional job is scraped by exactly one shard.
func TestAdditionalScrapeConfigsSplitAcrossShards(t *testing.T) {
	g := NewWithT(t)
	const shards = 3
	store := newMapStore().withSecret("monitoring", "extra", map[string]string{"jobs.yaml": `
- job_name: external
  static_configs: [{targets: ["10.0.0.1:9100"]}]
`})
	res := mustGenerate(t, Input{
		Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
			p.Spec.Shards = ptr(int32(shards))
			p.Spec.AdditionalScrapeConfigs = secretKey("extra", "jobs.yaml")
		}),
		Store: store,
	})
	jobs := make([]*configJob, shards)
	for shard := range jobs {
		jobs[shard] = scrapeJob(t, loadShard(t, res.Config, shard), "external")
	}
	perShard := make([]int, shards)
	for i := 0; i < 90; i++ {
		kept := 0
		for shard, sc := range jobs {
			if _, ok := discover(t, sc, map[string]string{"__address__": fmt.Sprintf("10.0.0.%d:9100", i)}); ok {
				perShard[shard]++
				kept++
			}
		}
		g.Expect(kept).To(Equal(1), "target %d is scraped by exactly one shard", i)
	}
	for shard, n := range perShard {
		g.Expect(n).To(BeNumerically(">", 0), "shard %d gets targets: %v", shard, perShard)
	}
}
