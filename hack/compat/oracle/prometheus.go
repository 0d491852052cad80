package oracle

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	"github.com/prometheus-operator/prometheus-operator/pkg/assets"
	"github.com/prometheus-operator/prometheus-operator/pkg/k8s"
	"github.com/prometheus-operator/prometheus-operator/pkg/operator"
	prompkg "github.com/prometheus-operator/prometheus-operator/pkg/prometheus"
	"github.com/prometheus/client_golang/prometheus"
)

// Rejection is an object Prometheus Operator selected and refused.
type Rejection struct {
	Kind, Namespace, Name, Reason string
}

func (r Rejection) String() string {
	return fmt.Sprintf("%s %s/%s: %s", r.Kind, r.Namespace, r.Name, r.Reason)
}

// PrometheusOutput is what Prometheus Operator writes for one Prometheus.
type PrometheusOutput struct {
	// Config is prometheus.yaml. Nil when Prometheus Operator leaves the
	// configuration to the user (no monitor selector is set).
	Config []byte
	// TLSAssets are the files Prometheus Operator mounts under
	// /etc/prometheus/certs, by file name.
	TLSAssets map[string][]byte
	// RuleFiles are the rule files, by file name.
	RuleFiles map[string]string
	// RuleConfigMaps are the names of the rule ConfigMaps, as listed in
	// rule_files.
	RuleConfigMaps []string
	// ExistingRuleConfigMaps are the rule ConfigMaps written; RuleConfigMaps
	// also names ones that do not exist.
	ExistingRuleConfigMaps []string
	Rejected               []Rejection
}

// CertsDir is where Prometheus Operator mounts TLS assets in Prometheus pods.
const CertsDir = "/etc/prometheus/certs/"

// Prometheus runs Prometheus Operator's reconcile of p's configuration on
// the objects: selection and checks, rule files, then the generator.
func Prometheus(objs *Objects, p *monitoringv1.Prometheus) (*PrometheusOutput, error) {
	c, err := newCluster(objs)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	recorder := newRecorder(p)
	store := assets.NewStoreBuilder(c.kube.CoreV1(), c.kube.CoreV1())
	out := &PrometheusOutput{}

	rs, err := prompkg.NewResourceSelector(logger, p, store, c.namespaces, operator.NewMetrics(prometheus.NewRegistry()), recorder)
	if err != nil {
		return nil, err
	}
	smons, err := rs.SelectServiceMonitors(ctx, c.monitoring[monitoringv1.ServiceMonitorName].ListAllByNamespace)
	if err != nil {
		return nil, err
	}
	pmons, err := rs.SelectPodMonitors(ctx, c.monitoring[monitoringv1.PodMonitorName].ListAllByNamespace)
	if err != nil {
		return nil, err
	}
	probes, err := rs.SelectProbes(ctx, c.monitoring[monitoringv1.ProbeName].ListAllByNamespace)
	if err != nil {
		return nil, err
	}
	scs, err := rs.SelectScrapeConfigs(ctx, c.monitoring[monitoringv1alpha1.ScrapeConfigName].ListAllByNamespace)
	if err != nil {
		return nil, err
	}
	out.Rejected = append(out.Rejected, rejected(monitoringv1.ServiceMonitorsKind, smons)...)
	out.Rejected = append(out.Rejected, rejected(monitoringv1.PodMonitorsKind, pmons)...)
	out.Rejected = append(out.Rejected, rejected(monitoringv1.ProbesKind, probes)...)
	out.Rejected = append(out.Rejected, rejected(monitoringv1alpha1.ScrapeConfigsKind, scs)...)

	rules, err := selectRules(ctx, c, p, logger, recorder)
	if err != nil {
		return nil, err
	}
	out.RuleFiles = rules.RuleFiles()
	out.Rejected = append(out.Rejected, rejected(monitoringv1.PrometheusRuleKind, rules.Selected())...)
	out.ExistingRuleConfigMaps, out.RuleConfigMaps, err = ruleConfigMaps(ctx, c, p, logger, out.RuleFiles)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Rejected, func(a, b Rejection) int { return strings.Compare(a.String(), b.String()) })

	if p.Spec.ServiceMonitorSelector == nil && p.Spec.PodMonitorSelector == nil &&
		p.Spec.ProbeSelector == nil && p.Spec.ScrapeConfigSelector == nil {
		return out, nil
	}
	if err := addServerAssets(ctx, store, p); err != nil {
		return nil, err
	}
	secrets := c.kube.CoreV1().Secrets(p.Namespace)
	additionalScrape, err := k8s.LoadSecretRef(ctx, logger, secrets, p.Spec.AdditionalScrapeConfigs)
	if err != nil {
		return nil, fmt.Errorf("loading additional scrape configs from Secret failed: %w", err)
	}
	additionalRelabel, err := k8s.LoadSecretRef(ctx, logger, secrets, p.Spec.AdditionalAlertRelabelConfigs)
	if err != nil {
		return nil, fmt.Errorf("loading additional alert relabel configs from Secret failed: %w", err)
	}
	additionalAM, err := k8s.LoadSecretRef(ctx, logger, secrets, p.Spec.AdditionalAlertManagerConfigs)
	if err != nil {
		return nil, fmt.Errorf("loading additional alert manager configs from Secret failed: %w", err)
	}

	cg, err := newConfigGenerator(logger, p)
	if err != nil {
		return nil, err
	}
	out.Config, err = cg.GenerateServerConfiguration(p,
		smons.ValidResources(), pmons.ValidResources(), probes.ValidResources(), scs.ValidResources(),
		store, additionalScrape, additionalRelabel, additionalAM, out.RuleConfigMaps)
	if err != nil {
		return nil, fmt.Errorf("generating config failed: %w", err)
	}
	out.TLSAssets = store.TLSAssets()
	return out, nil
}

// newConfigGenerator is Prometheus Operator's generator for p with the
// options its main sets on a Kubernetes 1.37 cluster (EndpointSlices from
// 1.21, pod topology labels from 1.35) with its default feature gates
// (PrometheusShardRetentionPolicy and PrometheusTopologySharding are on by
// default in v0.93.0).
func newConfigGenerator(logger *slog.Logger, p *monitoringv1.Prometheus) (*prompkg.ConfigGenerator, error) {
	return prompkg.NewConfigGenerator(logger, p,
		prompkg.WithEndpointSliceSupport(), prompkg.WithPodTopologyLabelsSupport(),
		prompkg.WithPrometheusRetentionPolicies(), prompkg.WithPrometheusTopologySharding())
}

// addServerAssets puts the Secrets and ConfigMaps that the Prometheus
// object's own settings reference into the store, as Prometheus
// Operator's reconcile does before it generates.
func addServerAssets(ctx context.Context, store *assets.StoreBuilder, p *monitoringv1.Prometheus) error {
	ns := p.Namespace
	if err := prompkg.AddRemoteReadsToStore(ctx, store, ns, p.Spec.RemoteRead); err != nil {
		return err
	}
	cg, err := prompkg.NewConfigGenerator(nil, p)
	if err != nil {
		return err
	}
	if err := cg.AddRemoteWriteToStore(ctx, store, ns, p.Spec.RemoteWrite); err != nil {
		return err
	}
	if err := prompkg.AddAPIServerConfigToStore(ctx, store, ns, p.Spec.APIServerConfig); err != nil {
		return err
	}
	if p.Spec.Alerting != nil {
		for i, am := range p.Spec.Alerting.Alertmanagers {
			for _, add := range []func() error{
				func() error { return store.AddBasicAuth(ctx, ns, am.BasicAuth) },
				func() error { return store.AddSafeAuthorizationCredentials(ctx, ns, am.Authorization) },
				func() error { return store.AddSigV4(ctx, ns, am.Sigv4) },
				func() error { return store.AddTLSConfig(ctx, ns, am.TLSConfig) },
				func() error { return store.AddProxyConfig(ctx, ns, am.ProxyConfig) },
			} {
				if err := add(); err != nil {
					return fmt.Errorf("alertmanager %d: %w", i, err)
				}
			}
		}
	}
	if err := prompkg.AddScrapeClassesToStore(ctx, store, ns, p.Spec.ScrapeClasses); err != nil {
		return fmt.Errorf("failed to process scrape classes: %w", err)
	}
	return nil
}

// rejected lists the selected objects that Prometheus Operator refused.
func rejected[T operator.ConfigurationResource](kind string, sel operator.TypedResourcesSelection[T]) []Rejection {
	var out []Rejection
	for key, r := range sel {
		for _, cond := range r.Conditions() {
			if cond.Status == monitoringv1.ConditionFalse {
				ns, name, _ := strings.Cut(key, "/")
				out = append(out, Rejection{Kind: kind, Namespace: ns, Name: name, Reason: cond.Message})
			}
		}
	}
	return out
}
