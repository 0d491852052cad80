package reloader

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the reloader's, with Prometheus Operator's config-reloader
// names, which kube-prometheus's ConfigReloaderSidecarErrors alert reads.
type Metrics struct {
	reloads, reloadFailures prometheus.Counter
	lastSuccessful          prometheus.Gauge
	lastSuccess             prometheus.Gauge
	applies, applyFailures  prometheus.Counter
	watchEvents             prometheus.Counter
}

// NewMetrics registers the metrics on reg; nil registers nowhere.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		reloads: prometheus.NewCounter(prometheus.CounterOpts{Name: "reloader_reloads_total",
			Help: "Calls of the reload URL."}),
		reloadFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "reloader_reloads_failures_total",
			Help: "Calls of the reload URL that failed."}),
		lastSuccessful: prometheus.NewGauge(prometheus.GaugeOpts{Name: "reloader_last_reload_successful",
			Help: "1 when the last call of the reload URL succeeded, else 0."}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Name: "reloader_last_reload_success_timestamp_seconds",
			Help: "When the reload URL last succeeded, in seconds since the epoch."}),
		applies: prometheus.NewCounter(prometheus.CounterOpts{Name: "reloader_config_apply_operations_total",
			Help: "Times the configuration and rules were read and written into place."}),
		applyFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "reloader_config_apply_operations_failed_total",
			Help: "Times reading or writing the configuration or rules failed."}),
		watchEvents: prometheus.NewCounter(prometheus.CounterOpts{Name: "reloader_watch_events_total",
			Help: "Changes of the watched Secret and ConfigMaps seen through the API."}),
	}
	if reg != nil {
		reg.MustRegister(m.reloads, m.reloadFailures, m.lastSuccessful, m.lastSuccess, m.applies, m.applyFailures, m.watchEvents)
	}
	return m
}
