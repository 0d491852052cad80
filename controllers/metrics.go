package controllers

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
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

// Writes counts the writes of the operations given (create, update,
// delete, skip) of every kind so far.
func (m *Metrics) Writes(operations ...string) float64 {
	ch := make(chan prometheus.Metric)
	go func() { m.writes.Collect(ch); close(ch) }()
	n := 0.0
	for metric := range ch {
		var d dto.Metric
		if metric.Write(&d) != nil {
			continue
		}
		for _, l := range d.GetLabel() {
			if l.GetName() == "operation" && slices.Contains(operations, l.GetValue()) {
				n += d.GetCounter().GetValue()
			}
		}
	}
	return n
}
