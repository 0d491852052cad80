package monitoring_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/vigil-monitoring/vigil/monitoring"
)

// scrape fetches /metrics as Prometheus does, in the format accept names,
// and decodes it with Prometheus's own decoder.
func scrape(t *testing.T, url, accept string) map[string]*dto.MetricFamily {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	dec := expfmt.NewDecoder(resp.Body, expfmt.ResponseFormat(resp.Header))
	out := map[string]*dto.MetricFamily{}
	for {
		mf := &dto.MetricFamily{}
		if err := dec.Decode(mf); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		out[mf.GetName()] = mf
	}
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

const (
	acceptText     = "text/plain;version=0.0.4"
	acceptProtobuf = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
)

// TestWorkload: a workload's few lines give the runtime, process and build
// metrics and its requests by handler, method and code, in text and, with
// native histograms, in protobuf.
func TestWorkload(t *testing.T) {
	g := NewWithT(t)
	inst := monitoring.MustNew(monitoring.Options{Namespace: "shop"})
	mux := inst.NewServeMux()
	mux.HandleFunc("/orders", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			http.Error(w, "no", http.StatusTeapot)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for range 3 {
		resp, err := http.Get(srv.URL + "/orders")
		g.Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
	}
	resp, err := http.Post(srv.URL+"/orders", "text/plain", strings.NewReader("x"))
	g.Expect(err).NotTo(HaveOccurred())
	resp.Body.Close()

	text := scrape(t, srv.URL, acceptText)
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes", "go_build_info"} {
		g.Expect(text).To(HaveKey(name))
	}
	requests := map[string]float64{}
	for _, m := range text["shop_http_requests_total"].GetMetric() {
		l := labels(m)
		requests[l["handler"]+" "+l["method"]+" "+l["code"]] = m.GetCounter().GetValue()
	}
	g.Expect(requests).To(Equal(map[string]float64{"/orders get 200": 3, "/orders post 418": 1}))
	g.Expect(text["shop_http_request_duration_seconds"].GetType()).To(Equal(dto.MetricType_HISTOGRAM))
	for _, m := range text["shop_http_requests_in_flight"].GetMetric() {
		g.Expect(m.GetGauge().GetValue()).To(BeZero(), "no request is left in flight")
	}
	g.Expect(text).To(HaveKey("promhttp_metric_handler_requests_total"), "the handler counts its own scrapes")

	proto := scrape(t, srv.URL, acceptProtobuf)
	for _, m := range proto["shop_http_request_duration_seconds"].GetMetric() {
		h := m.GetHistogram()
		g.Expect(h.Schema).NotTo(BeNil(), "a native histogram: %v", labels(m))
		g.Expect(h.GetBucket()).NotTo(BeEmpty(), "with its classic buckets too")
	}
	for name := range proto {
		g.Expect(model.IsValidLegacyMetricName(name)).To(BeTrue(), name)
	}
}

// TestOnAGivenRegistry: the operator passes controller-runtime's registry,
// which already has the Go and process collectors; New adds only what is
// missing, and two instrumentations can share it.
func TestOnAGivenRegistry(t *testing.T) {
	g := NewWithT(t)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(collectors.MetricsAll)),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a, err := monitoring.New(monitoring.Options{Namespace: "vigil", Registry: reg})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = monitoring.New(monitoring.Options{Namespace: "other", Registry: reg})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = monitoring.New(monitoring.Options{Namespace: "vigil", Registry: reg})
	g.Expect(err).To(HaveOccurred(), "the same request metrics twice on one registry")

	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	mfs := scrape(t, strings.TrimSuffix(srv.URL, "/metrics"), acceptText)
	g.Expect(mfs).To(HaveKey("go_build_info"))
	g.Expect(mfs).To(HaveKey("go_sched_gomaxprocs_threads"), "the registry's own Go collector, with all runtime metrics")
}
