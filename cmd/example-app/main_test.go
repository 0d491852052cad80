package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/monitoring"
)

// scrape reads the app's metrics as Prometheus's text parser does.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return mfs
}

func status(t *testing.T, method, url string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// TestApp: the app works, fails when told, and says so in its metrics.
func TestApp(t *testing.T) {
	g := NewWithT(t)
	srv := httptest.NewServer(newApp(monitoring.MustNew(monitoring.Options{Namespace: "example_app"})))
	defer srv.Close()

	g.Expect(status(t, "GET", srv.URL+"/work")).To(Equal(200))
	g.Expect(status(t, "POST", srv.URL+"/fail?on=maybe")).To(Equal(400))
	g.Expect(status(t, "POST", srv.URL+"/fail?on=true")).To(Equal(200))
	g.Expect(status(t, "GET", srv.URL+"/work")).To(Equal(500))
	g.Expect(status(t, "GET", srv.URL+"/healthz")).To(Equal(200), "the probes keep answering while failing")
	g.Expect(status(t, "POST", srv.URL+"/fail?on=false")).To(Equal(200))
	g.Expect(status(t, "GET", srv.URL+"/work")).To(Equal(200))

	mfs := scrape(t, srv.URL)
	g.Expect(mfs["example_app_work_done_total"].GetMetric()[0].GetCounter().GetValue()).To(Equal(2.0))
	g.Expect(mfs["example_app_failing"].GetMetric()[0].GetGauge().GetValue()).To(BeZero())
	codes := map[string]float64{}
	for _, m := range mfs["example_app_http_requests_total"].GetMetric() {
		l := map[string]string{}
		for _, lp := range m.GetLabel() {
			l[lp.GetName()] = lp.GetValue()
		}
		if l["handler"] == "GET /work" {
			codes[l["code"]] = m.GetCounter().GetValue()
		}
	}
	g.Expect(codes).To(Equal(map[string]float64{"200": 2, "500": 1}))
}

// TestSamples: the app's manifests with config/samples' Prometheus, in a
// namespace labelled as that Prometheus selects, give a scrape job for the
// app and its rules; every metric the rules read is one the app exposes.
func TestSamples(t *testing.T) {
	g := NewWithT(t)
	// The namespace as the Prometheus selects it, and what the sample
	// Prometheus refers to.
	ns := filepath.Join(t.TempDir(), "cluster.yaml")
	g.Expect(os.WriteFile(ns, []byte(`apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {monitoring: enabled}}
---
apiVersion: v1
kind: Secret
metadata: {name: remote-write}
stringData: {username: vigil, password: example-password}
---
apiVersion: v1
kind: Secret
metadata: {name: additional-scrape-configs}
stringData: {prometheus-additional.yaml: "[]"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: remote-write-ca}
data:
  ca.crt: |
`+indent(assetstest.CA)), 0o644)).To(Succeed())
	inv, err := inventory.Load([]string{"../../config/samples/monitoring_v1_prometheus.yaml", "../../config/samples/example-app", ns}, "default")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(inv.Problems).To(BeEmpty())
	res, err := pipeline.Prometheus(inv.Prometheuses[0], pipeline.FromInventory(inv, ""), nil)
	g.Expect(err).NotTo(HaveOccurred())
	var decided []string
	for _, d := range res.Decisions {
		decided = append(decided, d.Kind+" "+d.Namespace+"/"+d.Name+" "+string(d.Reason))
	}
	g.Expect(decided).To(Equal([]string{"PrometheusRule default/example-app Accepted", "ServiceMonitor default/example-app Accepted"}))
	g.Expect(string(res.Config)).To(ContainSubstring("job_name: serviceMonitor/default/example-app/0"))

	srv := httptest.NewServer(newApp(monitoring.MustNew(monitoring.Options{Namespace: "example_app"})))
	defer srv.Close()
	// A request first: a family with labels shows once it has a series.
	g.Expect(status(t, "GET", srv.URL+"/work")).To(Equal(200))
	exposed := map[string]bool{"up": true} // Prometheus's own, for every target
	for name := range scrape(t, srv.URL) {
		exposed[name] = true
	}
	rules := inv.PrometheusRules[0].Spec.Groups[0].Rules
	g.Expect(rules).NotTo(BeEmpty())
	for _, r := range rules {
		expr, err := parser.NewParser(parser.Options{}).ParseExpr(r.Expr.String())
		g.Expect(err).NotTo(HaveOccurred())
		parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
			if vs, ok := node.(*parser.VectorSelector); ok {
				g.Expect(exposed).To(HaveKey(vs.Name), "rule %q reads %s", r.Alert+r.Record, vs.Name)
			}
			return nil
		})
	}
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    ") + "\n"
}
