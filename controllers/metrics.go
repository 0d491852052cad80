package controllers

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the operator's own, under vigil_.
type Metrics struct {
	writes   *prometheus.CounterVec
	objects  *prometheus.GaugeVec
	configSz *prometheus.GaugeVec
}

// NewMetrics registers the metrics on reg (nil: nowhere).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "vigil", Name: "writes_total",
			Help: "Generated objects the operator created, updated, or left alone as unchanged (operation skip), by kind."},
			[]string{"kind", "operation"}),
		objects: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "vigil", Name: "selected_objects",
			Help: "Objects an owner selects, by owner, kind and decision reason (Accepted or why not)."},
			[]string{"owner_kind", "owner", "kind", "reason"}),
		configSz: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "vigil", Name: "config_bytes",
			Help: "Size of the generated configuration, uncompressed, by owner."},
			[]string{"owner_kind", "owner"}),
	}
	if reg != nil {
		reg.MustRegister(m.writes, m.objects, m.configSz)
	}
	return m
}

func (m *Metrics) write(kind, op string) { m.writes.WithLabelValues(kind, op).Inc() }
