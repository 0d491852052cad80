package compare

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v2"
)

// rejections compares the objects each side left out. An object only
// Vigil leaves out, for a reason an Allowance names, is allowed, and
// returned so that its jobs are not compared; every other object left out
// by one side only is a difference.
func rejections(vigil, po map[string]string) (diffs []Difference, allowed map[string]bool) {
	allowed = map[string]bool{}
	for _, obj := range union(keys(vigil), keys(po)) {
		vr, inV := vigil[obj]
		pr, inP := po[obj]
		switch {
		case inV && inP:
		case inV && allowance(vr) != "":
			allowed[obj] = true
		case inV:
			diffs = append(diffs, Difference{Job: "left out: " + obj,
				Diff: fmt.Sprintf("Vigil leaves it out (%s); Prometheus Operator keeps it\n", vr)})
		default:
			diffs = append(diffs, Difference{Job: "left out: " + obj,
				Diff: fmt.Sprintf("Prometheus Operator leaves it out (%s); Vigil keeps it\n", pr)})
		}
	}
	return diffs, allowed
}

// allowance names the Allowance that accepts leaving an object out for
// reason, or "".
func allowance(reason string) string {
	for _, a := range Allowances {
		if a.leavesOut != nil && a.leavesOut.MatchString(reason) {
			return a.Name
		}
	}
	return ""
}

// jobObject names the object a generated job belongs to ("ServiceMonitor
// ns/name"), or "" for other jobs.
func jobObject(job string) string {
	parts := strings.Split(job, "/")
	if len(parts) < 3 {
		return ""
	}
	kind := map[string]string{
		"serviceMonitor": "ServiceMonitor", "podMonitor": "PodMonitor",
		"probe": "Probe", "scrapeConfig": "ScrapeConfig",
	}[parts[0]]
	if kind == "" {
		return ""
	}
	return kind + " " + parts[1] + "/" + parts[2]
}

// withoutJobsOf removes from cfg the jobs of the objects in drop.
func withoutJobsOf(cfg []byte, drop map[string]bool) ([]byte, error) {
	if len(drop) == 0 || cfg == nil {
		return cfg, nil
	}
	var doc yaml.MapSlice
	if err := yaml.Unmarshal(cfg, &doc); err != nil {
		return nil, err
	}
	for i, item := range doc {
		if item.Key != "scrape_configs" {
			continue
		}
		jobs, _ := item.Value.([]any)
		var kept []any
		for _, j := range jobs {
			if m, ok := j.(yaml.MapSlice); ok && drop[jobObject(jobName(m))] {
				continue
			}
			kept = append(kept, j)
		}
		doc[i].Value = kept
	}
	return yaml.Marshal(doc)
}

func jobName(m yaml.MapSlice) string {
	for _, it := range m {
		if it.Key == "job_name" {
			s, _ := it.Value.(string)
			return s
		}
	}
	return ""
}
