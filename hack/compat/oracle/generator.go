package oracle

import (
	"context"
	"log/slog"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus-operator/prometheus-operator/pkg/assets"
	"github.com/prometheus-operator/prometheus-operator/pkg/operator"
	prompkg "github.com/prometheus-operator/prometheus-operator/pkg/prometheus"
	"github.com/prometheus/client_golang/prometheus"
)

// ServiceMonitorGenerator is Prometheus Operator's ServiceMonitor selection
// and configuration generator for one Prometheus, over informers started
// and synced once, so that a benchmark can time what Prometheus Operator
// does with ServiceMonitors on each reconcile, apart from setting up.
type ServiceMonitorGenerator struct {
	c     *cluster
	p     *monitoringv1.Prometheus
	store *assets.StoreBuilder
	rs    *prompkg.ResourceSelector
	cg    *prompkg.ConfigGenerator
}

// NewServiceMonitorGenerator serves objs as a cluster and sets up p's
// resource selector, asset store and configuration generator, all as the
// function Prometheus sets them up. Close stops the informers.
func NewServiceMonitorGenerator(objs *Objects, p *monitoringv1.Prometheus) (*ServiceMonitorGenerator, error) {
	c, err := newCluster(objs)
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.DiscardHandler)
	g := &ServiceMonitorGenerator{c: c, p: p, store: assets.NewStoreBuilder(c.kube.CoreV1(), c.kube.CoreV1())}
	g.rs, err = prompkg.NewResourceSelector(logger, p, g.store, c.namespaces, operator.NewMetrics(prometheus.NewRegistry()), newRecorder(p))
	if err == nil {
		g.cg, err = newConfigGenerator(logger, p)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return g, nil
}

// Generate selects p's ServiceMonitors and generates prometheus.yaml from
// the valid ones. Selection (ResourceSelector.SelectServiceMonitors) lists
// them from the informers' cache, deep-copies and checks each, and adds
// the Secrets they reference to the store; generation is
// ConfigGenerator.GenerateServerConfiguration. PodMonitors, Probes,
// ScrapeConfigs, rules, additional configs and the Prometheus object's own
// assets are left out, as if there were none.
func (g *ServiceMonitorGenerator) Generate(ctx context.Context) ([]byte, []Rejection, error) {
	smons, err := g.rs.SelectServiceMonitors(ctx, g.c.monitoring[monitoringv1.ServiceMonitorName].ListAllByNamespace)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := g.cg.GenerateServerConfiguration(g.p, smons.ValidResources(), nil, nil, nil, g.store, nil, nil, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return cfg, rejected(monitoringv1.ServiceMonitorsKind, smons), nil
}

// Close stops the informers.
func (g *ServiceMonitorGenerator) Close() { g.c.Close() }
