package promconfig

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/model/relabel"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// oneOfEachKind is an input with one object of every kind, and the name
// and hash source of each job.
func oneOfEachKind() (Input, map[string]string) {
	return Input{
			ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("team-a", "api")},
			PodMonitors:     []*monitoringv1.PodMonitor{newPodMonitor("team-a", "workers")},
			Probes:          []*monitoringv1.Probe{newProbe("team-a", "sites")},
			ScrapeConfigs:   []*monitoringv1alpha1.ScrapeConfig{newScrapeConfig("team-a", "static")},
		}, map[string]string{
			"serviceMonitor/team-a/api/0": "__address__",
			"podMonitor/team-a/workers/0": "__address__",
			"probe/team-a/sites":          "__param_target",
			"scrapeConfig/team-a/static":  "__address__",
		}
}

// TestShardingRules checks the rules every job ends with: the modulus is
// the shard count, the keep regex lists the active shards, $(SHARD) is left
// for the config reloader, Probes hash on the probed target. A ScrapeConfig
// gets them only with more than one shard, as in Prometheus Operator
// (pkg/prometheus/promcfg.go:5069-5071).
func TestShardingRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		shards  *int32
		modulus uint64
		active  string
	}{
		{"unset", nil, 1, "0"},
		{"0 is one shard", ptr(int32(0)), 1, "0"},
		{"1", ptr(int32(1)), 1, "0"},
		{"3", ptr(int32(3)), 3, "0|1|2"},
		{"10", ptr(int32(10)), 10, "0|1|2|3|4|5|6|7|8|9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, jobs := oneOfEachKind()
			in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.Shards = tc.shards })
			res := mustGenerate(t, in)
			g.Expect(res.Rejected).To(BeEmpty())
			sharded := len(jobs)
			if tc.modulus == 1 {
				sharded--
			}
			// $(SHARD) appears twice per sharded job: the current shard
			// and the hash to keep.
			g.Expect(strings.Count(string(res.Config), "$(SHARD)")).To(Equal(2 * sharded))
			c, err := configLoadRaw(res.Config)
			g.Expect(err).NotTo(HaveOccurred(), "Prometheus loads the file with the placeholders left in")
			g.Expect(jobNames(c)).To(ConsistOf(keys(jobs)))
			for _, sc := range c.ScrapeConfigs {
				rules := sc.RelabelConfigs
				if tc.modulus == 1 && sc.JobName == "scrapeConfig/team-a/static" {
					g.Expect(describeRules(rules)).To(Equal([]string{"__tmp_prometheus_job_name <- job"}))
					continue
				}
				g.Expect(len(rules)).To(BeNumerically(">", 5))
				tail := rules[len(rules)-5:]
				g.Expect(tail[0].Action).To(Equal(relabel.Replace))
				g.Expect(tail[0].TargetLabel).To(Equal("__tmp_current_shard"))
				g.Expect(tail[0].Replacement).To(Equal("$(SHARD)"))
				g.Expect(tail[1].Action).To(Equal(relabel.Keep))
				g.Expect(tail[1].Regex.String()).To(Equal(tc.active))
				g.Expect(tail[2].SourceLabels[0]).To(BeEquivalentTo(jobs[sc.JobName]), sc.JobName)
				g.Expect(tail[3].Action).To(Equal(relabel.HashMod))
				g.Expect(tail[3].Modulus).To(Equal(tc.modulus))
				g.Expect(tail[4].Action).To(Equal(relabel.Keep))
				g.Expect(tail[4].Regex.String()).To(Equal("$(SHARD);|.+;.+"))
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestShardsSplitTargets runs Prometheus's relabeling for every shard, with
// $(SHARD) substituted as the config reloader does: each target is scraped
// by exactly one active shard, a retiring shard (past the count) scrapes
// nothing, and __tmp_disable_sharding makes every shard scrape a target.
func TestShardsSplitTargets(t *testing.T) {
	g := NewWithT(t)
	const shards = 3
	m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{{
			SourceLabels: []monitoringv1.LabelName{"__meta_kubernetes_service_label_everywhere"},
			Regex:        "true", TargetLabel: "__tmp_disable_sharding", Replacement: ptr("true"),
		}}
	})
	p := newProbe("team-a", "sites", func(p *monitoringv1.Probe) { p.Spec.Targets.StaticConfig.Targets = nil })
	res := mustGenerate(t, Input{
		Prometheus:      newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.Shards = ptr(int32(shards)) }),
		ServiceMonitors: []*monitoringv1.ServiceMonitor{m},
		Probes:          []*monitoringv1.Probe{p},
	})

	endpoint := func(i int, everywhere bool) map[string]string {
		meta := map[string]string{
			"__address__":                                    fmt.Sprintf("10.0.%d.%d:8080", i/250, i%250),
			"__meta_kubernetes_namespace":                    "team-a",
			"__meta_kubernetes_service_name":                 "api",
			"__meta_kubernetes_service_label_app":            "api",
			"__meta_kubernetes_service_labelpresent_app":     "true",
			"__meta_kubernetes_endpoint_port_name":           "web",
			"__meta_kubernetes_endpoint_address_target_kind": "Pod",
			"__meta_kubernetes_endpoint_address_target_name": fmt.Sprintf("api-%d", i),
			"__meta_kubernetes_pod_name":                     fmt.Sprintf("api-%d", i),
		}
		if everywhere {
			meta["__meta_kubernetes_service_label_everywhere"] = "true"
		}
		return meta
	}
	// Shard 3 is past the count: a shard being retired after scaling down.
	smJobs := make([]*configJob, shards+1)
	probeJobs := make([]*configJob, shards+1)
	for shard := range smJobs {
		c := loadShard(t, res.Config, shard)
		smJobs[shard] = scrapeJob(t, c, "serviceMonitor/team-a/api/0")
		probeJobs[shard] = scrapeJob(t, c, "probe/team-a/sites")
	}
	const targets = 300
	perShard := make([]int, shards)
	for i := 0; i < targets; i++ {
		kept := 0
		for shard := 0; shard <= shards; shard++ {
			sc := smJobs[shard]
			if _, ok := discover(t, sc, endpoint(i, false)); ok {
				g.Expect(shard).To(BeNumerically("<", shards), "retiring shard %d scrapes nothing", shard)
				perShard[shard]++
				kept++
			}
			_, ok := discover(t, sc, endpoint(i, true))
			g.Expect(ok).To(Equal(shard < shards), "with __tmp_disable_sharding every active shard scrapes it")
		}
		g.Expect(kept).To(Equal(1), "target %d is scraped by exactly one shard", i)
	}
	for shard, n := range perShard {
		g.Expect(n).To(BeNumerically(">", targets/shards/2), "shard %d gets a fair part of the targets: %v", shard, perShard)
	}

	// Probes hash on the probed URL: every target has the prober's
	// address, which would put them all on one shard.
	probeShards := map[int]int{}
	for i := 0; i < 30; i++ {
		target := fmt.Sprintf("https://site-%d.example.com", i)
		for shard := 0; shard < shards; shard++ {
			sc := probeJobs[shard]
			if labels, ok := discover(t, sc, map[string]string{"__address__": target}); ok {
				g.Expect(labels["instance"]).To(Equal(target))
				probeShards[shard]++
			}
		}
	}
	g.Expect(probeShards).To(HaveLen(shards), "probe targets spread over the shards: %v", probeShards)
}

// TestShardingRulesIfMissing: a ScrapeConfig gets the sharding rules only
// with more than one shard and no hashmod rule of its own (its actions are
// lower-cased, so HashMod counts), as in Prometheus Operator
// (pkg/prometheus/promcfg.go:5069-5071, 2278-2288, 2396-2434).
func TestShardingRulesIfMissing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		shards  int32
		user    []monitoringv1.RelabelConfig
		sharded bool
	}{
		{name: "one shard", shards: 1},
		{name: "two shards", shards: 2, sharded: true},
		{name: "own hashmod", shards: 2, user: []monitoringv1.RelabelConfig{{Action: "hashmod", SourceLabels: []monitoringv1.LabelName{"__address__"}, TargetLabel: "h", Modulus: 2}}},
		{name: "own HashMod", shards: 2, user: []monitoringv1.RelabelConfig{{Action: "HashMod", SourceLabels: []monitoringv1.LabelName{"__address__"}, TargetLabel: "h", Modulus: 2}}},
		{name: "other rules", shards: 2, user: []monitoringv1.RelabelConfig{{TargetLabel: "t", Replacement: ptr("v")}}, sharded: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			rules := userRules(tc.user, "", "")
			got := shardingRulesIfMissing(rules, tc.shards)
			if !tc.sharded {
				g.Expect(got).To(Equal(rules))
				return
			}
			g.Expect(got).To(Equal(append(rules, shardingRules(tc.shards, "__address__")...)))
		})
	}
}
