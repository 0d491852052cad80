package promconfig

import (
	"fmt"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// benchInput is n realistic ServiceMonitors spread over 50 namespaces, each
// with two endpoints (a named port, an interval, a relabeling and a metric
// relabeling), a two-label selector and a namespaceSelector, and a
// Prometheus that selects them all.
func benchInput(n int) Input {
	in := Input{Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.ExternalLabels = map[string]string{"cluster": "bench"}
	})}
	for i := range n {
		ns := fmt.Sprintf("team-%02d", i%50)
		name := fmt.Sprintf("app-%05d", i)
		endpoint := func(port, interval string) monitoringv1.Endpoint {
			return monitoringv1.Endpoint{
				Port: port, Interval: monitoringv1.Duration(interval), Path: "/metrics",
				RelabelConfigs: []monitoringv1.RelabelConfig{{
					SourceLabels: []monitoringv1.LabelName{"__meta_kubernetes_pod_node_name"}, TargetLabel: "node",
				}},
				MetricRelabelConfigs: []monitoringv1.RelabelConfig{{
					SourceLabels: []monitoringv1.LabelName{"__name__"}, Regex: "go_gc_.*", Action: "drop",
				}},
			}
		}
		in.ServiceMonitors = append(in.ServiceMonitors, &monitoringv1.ServiceMonitor{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{"release": "prod"}},
			Spec: monitoringv1.ServiceMonitorSpec{
				Selector:          metav1.LabelSelector{MatchLabels: map[string]string{"app": name, "tier": "backend"}},
				NamespaceSelector: monitoringv1.NamespaceSelector{MatchNames: []string{ns}},
				Endpoints:         []monitoringv1.Endpoint{endpoint("web", "30s"), endpoint("admin", "1m")},
			},
		})
	}
	return in
}

func benchmarkGenerate(b *testing.B, in Input) {
	var size int
	b.ReportAllocs()
	for b.Loop() {
		res, err := Generate(in)
		if err != nil {
			b.Fatal(err)
		}
		size = len(res.Config)
	}
	b.ReportMetric(float64(size), "bytes/config")
}

func BenchmarkGenerate1kServiceMonitors(b *testing.B) { benchmarkGenerate(b, benchInput(1000)) }

func BenchmarkGenerate10kServiceMonitors(b *testing.B) { benchmarkGenerate(b, benchInput(10000)) }

// BenchmarkGenerate1kServiceMonitorsOneBadRegex measures the slow path:
// one monitor whose regex only Prometheus's parser refuses makes Generate
// load every object's jobs alone to find it.
func BenchmarkGenerate1kServiceMonitorsOneBadRegex(b *testing.B) {
	in := benchInput(1000)
	in.ServiceMonitors[500].Spec.Endpoints[0].RelabelConfigs[0].Regex = "(unclosed"
	benchmarkGenerate(b, in)
}

// benchmarkOneChanged measures what the operator does after one monitor is
// edited: Generate with the cache of the previous call, where one
// ServiceMonitor's interval differs each time.
func benchmarkOneChanged(b *testing.B, n int) {
	in := benchInput(n)
	in.Cache = NewCache()
	if _, err := Generate(in); err != nil {
		b.Fatal(err)
	}
	edited := in.ServiceMonitors[n/2]
	intervals := []monitoringv1.Duration{"15s", "45s"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		edited.Spec.Endpoints[0].Interval = intervals[i%2]
		i++
		if _, err := Generate(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerate1kServiceMonitorsOneChanged(b *testing.B) { benchmarkOneChanged(b, 1000) }

func BenchmarkGenerate10kServiceMonitorsOneChanged(b *testing.B) { benchmarkOneChanged(b, 10000) }
