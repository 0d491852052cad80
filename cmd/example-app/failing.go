package main

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// isFailing reads the gauge back: it is the app's one piece of state, so
// that what /metrics says and what the app does cannot disagree.
func isFailing(g prometheus.Gauge) bool {
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		return false
	}
	return m.GetGauge().GetValue() == 1
}
