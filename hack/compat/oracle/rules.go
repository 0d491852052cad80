package oracle

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus-operator/prometheus-operator/pkg/namespacelabeler"
	"github.com/prometheus-operator/prometheus-operator/pkg/operator"
	prompkg "github.com/prometheus-operator/prometheus-operator/pkg/prometheus"
	"github.com/prometheus/prometheus/promql/parser"
	"k8s.io/apimachinery/pkg/labels"
)

// selectRules selects and renders p's PrometheusRules with Prometheus
// Operator's rule selector, set up as its Prometheus reconcile sets it up.
func selectRules(_ context.Context, c *cluster, p *monitoringv1.Prometheus, logger *slog.Logger, recorder *operator.EventRecorder) (operator.PrometheusRuleSelection, error) {
	namespaces, err := operator.SelectNamespacesFromCache(p, p.Spec.RuleNamespaceSelector, c.namespaces)
	if err != nil {
		return operator.PrometheusRuleSelection{}, err
	}
	excluded := p.Spec.ExcludedFromEnforcement
	for _, r := range p.Spec.PrometheusRulesExcludedFromEnforce {
		excluded = append(excluded, monitoringv1.ObjectReference{
			Namespace: r.RuleNamespace, Group: monitoring.GroupName,
			Resource: monitoringv1.PrometheusRuleName, Name: r.RuleName,
		})
	}
	var opts parser.Options
	for _, f := range p.Spec.EnableFeatures {
		switch f {
		case "promql-experimental-functions":
			opts.EnableExperimentalFunctions = true
		case "promql-duration-expr":
			opts.ExperimentalDurationExpr = true
		case "promql-extended-range-selectors":
			opts.EnableExtendedRangeSelectors = true
		case "promql-binop-fill-modifiers":
			opts.EnableBinopFillModifiers = true
		}
	}
	sel, err := operator.NewPrometheusRuleSelector(operator.PrometheusFormat,
		operator.StringValOrDefault(p.Spec.Version, operator.DefaultPrometheusVersion),
		p.Spec.RuleSelector, namespacelabeler.New(p.Spec.EnforcedNamespaceLabel, excluded, true),
		c.monitoring[monitoringv1.PrometheusRuleName], recorder, logger, opts)
	if err != nil {
		return operator.PrometheusRuleSelection{}, fmt.Errorf("initializing PrometheusRules failed: %w", err)
	}
	return sel.Select(namespaces)
}

// ruleConfigMaps packs the rule files into ConfigMaps as Prometheus
// Operator does and returns their names and the names rule_files lists.
func ruleConfigMaps(ctx context.Context, c *cluster, p *monitoringv1.Prometheus, logger *slog.Logger, files map[string]string) (existing, listed []string, err error) {
	syncer := operator.NewPrometheusRuleSyncer(logger, "prometheus-"+p.Name,
		c.kube.CoreV1().ConfigMaps(p.Namespace), labels.Set{prompkg.LabelPrometheusName: p.Name}, nil)
	names, err := syncer.Sync(ctx, files)
	if err != nil {
		return nil, nil, fmt.Errorf("synchronizing PrometheusRules failed: %w", err)
	}
	return names, syncer.AppendConfigMapNames(slices.Clone(names), 3), nil
}

// newRecorder keeps Prometheus Operator's events in a buffer nobody reads:
// the rejections are read from the selections. The buffer is large
// because a full one blocks the selection.
func newRecorder(related *monitoringv1.Prometheus) *operator.EventRecorder {
	return operator.NewFakeRecorder(1<<16, related)
}
