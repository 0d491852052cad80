// Package monitoring is the one way Vigil's binaries and the workloads it
// ships expose metrics, on prometheus/client_golang: a registry with the
// Go runtime, process and build information collectors, the /metrics
// handler (text, OpenMetrics and protobuf, so native histograms reach
// Prometheus), and middleware that records every request by handler,
// method and status code.
//
// A workload gets all of it in a few lines:
//
//	inst := monitoring.MustNew(monitoring.Options{Namespace: "shop"})
//	mux := inst.NewServeMux() // serves /metrics
//	mux.HandleFunc("/orders", orders)
//	http.ListenAndServe(":8080", mux)
package monitoring

import (
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options say where metrics go and how they are named.
type Options struct {
	// Namespace prefixes the request metrics: "vigil" gives
	// vigil_http_requests_total. Empty gives http_requests_total.
	Namespace string
	// Registry is where every metric is registered and gathered from. Nil
	// makes a new one, with the Go runtime and process collectors. A
	// registry given is expected to have those (controller-runtime's has;
	// the operator passes it, so that its own metrics and
	// controller-runtime's are served together).
	Registry RegistererGatherer
}

// RegistererGatherer is a registry: prometheus.Registry, or
// controller-runtime's metrics.Registry.
type RegistererGatherer interface {
	prometheus.Registerer
	prometheus.Gatherer
}

// Instrumentation is a registry with the standard collectors and the
// request metrics.
type Instrumentation struct {
	registry RegistererGatherer
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight *prometheus.GaugeVec
}

// New registers the build information collector, the request metrics
// and, on a new registry, the Go runtime and process collectors.
func New(opts Options) (*Instrumentation, error) {
	reg := opts.Registry
	standard := []prometheus.Collector{collectors.NewBuildInfoCollector()}
	if reg == nil {
		reg = prometheus.NewRegistry()
		standard = append(standard,
			collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(collectors.MetricsGC, collectors.MetricsMemory, collectors.MetricsScheduler)),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	i := &Instrumentation{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: opts.Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests served, by handler, method and status code.",
		}, []string{"handler", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: opts.Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to serve an HTTP request, from its start to the last byte written, by handler, method and status code.",
			Buckets: prometheus.DefBuckets,
			// A native histogram too, for Prometheus that scrapes with
			// protobuf: exact quantiles at a bounded cost.
			NativeHistogramBucketFactor:     1.1,
			NativeHistogramMaxBucketNumber:  100,
			NativeHistogramMinResetDuration: 1e9 * 3600,
		}, []string{"handler", "method", "code"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: opts.Namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being served, by handler.",
		}, []string{"handler"}),
	}
	for _, c := range standard {
		// Whoever registers the build information first wins: two
		// Instrumentations may share a registry.
		if err := reg.Register(c); err != nil && !errors.As(err, new(prometheus.AlreadyRegisteredError)) {
			return nil, err
		}
	}
	for _, c := range []prometheus.Collector{i.requests, i.duration, i.inFlight} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return i, nil
}

// MustNew is New for main functions: it panics on error, which only a
// second registration of the request metrics on one registry causes.
func MustNew(opts Options) *Instrumentation {
	i, err := New(opts)
	if err != nil {
		panic(err)
	}
	return i
}

// Registerer is where a program registers its own metrics.
func (i *Instrumentation) Registerer() prometheus.Registerer { return i.registry }

// Gatherer is what the /metrics handler serves.
func (i *Instrumentation) Gatherer() prometheus.Gatherer { return i.registry }

// Handler serves the registry's metrics in the format the scraper asks
// for (text, OpenMetrics with exemplars, or protobuf with native
// histograms), and counts its own scrapes and errors.
func (i *Instrumentation) Handler() http.Handler {
	return promhttp.InstrumentMetricHandler(i.registry, promhttp.HandlerFor(i.registry, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		Registry:          i.registry,
		ErrorHandling:     promhttp.ContinueOnError,
	}))
}

// Instrument wraps h so that its requests are recorded under the handler
// label name: a count and a latency histogram by method and code, and the
// requests in flight.
func (i *Instrumentation) Instrument(name string, h http.Handler) http.Handler {
	labels := prometheus.Labels{"handler": name}
	return promhttp.InstrumentHandlerInFlight(i.inFlight.With(labels),
		promhttp.InstrumentHandlerDuration(i.duration.MustCurryWith(labels),
			promhttp.InstrumentHandlerCounter(i.requests.MustCurryWith(labels), h)))
}

// ServeMux is an http.ServeMux whose handlers are instrumented, each under
// its pattern as the handler label.
type ServeMux struct {
	*http.ServeMux
	inst *Instrumentation
}

// NewServeMux returns a ServeMux that serves the metrics at /metrics.
func (i *Instrumentation) NewServeMux() *ServeMux {
	m := &ServeMux{ServeMux: http.NewServeMux(), inst: i}
	m.ServeMux.Handle("/metrics", i.Handler())
	return m
}

// Handle registers h for pattern, instrumented.
func (m *ServeMux) Handle(pattern string, h http.Handler) {
	m.ServeMux.Handle(pattern, m.inst.Instrument(pattern, h))
}

// HandleFunc registers f for pattern, instrumented.
func (m *ServeMux) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(f))
}
