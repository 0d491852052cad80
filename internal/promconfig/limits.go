package promconfig

import (
	"fmt"

	"github.com/alecthomas/units"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// limits are the object's limits, each capped by the Prometheus object's
// enforced limit: an unset or higher limit becomes the enforced one.
func (g *generator) limits(l monitoringv1.ScrapeLimits, bodySize *monitoringv1.ByteSize, h monitoringv1.NativeHistogramConfig) (Limits, error) {
	spec := &g.prom.Spec
	out := Limits{
		SampleLimit:           capped(l.SampleLimit, spec.EnforcedSampleLimit),
		TargetLimit:           capped(l.TargetLimit, spec.EnforcedTargetLimit),
		LabelLimit:            capped(l.LabelLimit, spec.EnforcedLabelLimit),
		LabelNameLengthLimit:  capped(l.LabelNameLengthLimit, spec.EnforcedLabelNameLengthLimit),
		LabelValueLengthLimit: capped(l.LabelValueLengthLimit, spec.EnforcedLabelValueLengthLimit),
		KeepDroppedTargets:    capped(l.KeepDroppedTargets, spec.EnforcedKeepDroppedTargets),

		ScrapeNativeHistograms:         h.ScrapeNativeHistograms,
		AlwaysScrapeClassicHistograms:  h.ScrapeClassicHistograms,
		ConvertClassicHistogramsToNHCB: h.ConvertClassicHistogramsToNHCB,
	}
	if h.NativeHistogramBucketLimit != nil && *h.NativeHistogramBucketLimit >= 0 {
		out.NativeHistogramBucketLimit = ptr(uint64(*h.NativeHistogramBucketLimit))
	}
	if h.NativeHistogramMinBucketFactor != nil {
		out.NativeHistogramMinBucketFactor = ptr(h.NativeHistogramMinBucketFactor.AsApproximateFloat64())
	}
	var err error
	out.BodySizeLimit, err = cappedSize(bodySize, spec.EnforcedBodySizeLimit)
	return out, err
}

// globalLimits are the enforced limits, written in the global section as
// Prometheus Operator writes them (pkg/prometheus/promcfg.go:3145-3178):
// Prometheus gives them to every job that sets no limit of its own or 0,
// additionalScrapeConfigs included. An enforced 0 (no limit) is left out,
// but an enforced body size is written as it is.
func (g *generator) globalLimits() GlobalLimits {
	spec := &g.prom.Spec
	return GlobalLimits{
		BodySizeLimit:         string(spec.EnforcedBodySizeLimit),
		SampleLimit:           positive(spec.EnforcedSampleLimit),
		TargetLimit:           positive(spec.EnforcedTargetLimit),
		LabelLimit:            positive(spec.EnforcedLabelLimit),
		LabelNameLengthLimit:  positive(spec.EnforcedLabelNameLengthLimit),
		LabelValueLengthLimit: positive(spec.EnforcedLabelValueLengthLimit),
		KeepDroppedTargets:    positive(spec.EnforcedKeepDroppedTargets),
	}
}

func positive(v *int64) *uint64 {
	if v == nil || *v <= 0 {
		return nil
	}
	return ptr(uint64(*v))
}

// capped is a job's limit under an enforced one, as Prometheus Operator
// writes it (pkg/prometheus/promcfg.go:2250-2268): a limit above the
// enforced one becomes it; an unset limit or 0 is left out, as the global
// section holds the enforced limit and Prometheus applies it to jobs that
// have none or 0; an enforced 0 enforces nothing.
func capped(limit *uint64, enforced *int64) *uint64 {
	switch {
	case enforced == nil || *enforced <= 0:
		return limit
	case limit == nil || *limit == 0:
		return nil
	case *limit > uint64(*enforced):
		return ptr(uint64(*enforced))
	}
	return limit
}

// cappedSize is a job's body size limit under the enforced one, as
// Prometheus Operator writes it (pkg/prometheus/promcfg.go:5339-5356): an
// unset limit becomes the enforced one, a larger one too; 0 is kept (and
// Prometheus then applies the global, enforced, limit). Unlike Prometheus
// Operator, an enforced 0 leaves the object's limit alone rather than
// lifting it.
func cappedSize(limit *monitoringv1.ByteSize, enforced monitoringv1.ByteSize) (string, error) {
	if enforced == "" {
		if limit == nil {
			return "", nil
		}
		return string(*limit), nil
	}
	if limit == nil || *limit == "" {
		return string(enforced), nil
	}
	l, err := units.ParseBase2Bytes(string(*limit))
	if err != nil {
		return "", fmt.Errorf("bodySizeLimit: %w", err)
	}
	e, err := units.ParseBase2Bytes(string(enforced))
	if err != nil {
		return "", fmt.Errorf("enforcedBodySizeLimit: %w", err)
	}
	if e != 0 && l > e {
		return string(enforced), nil
	}
	return string(*limit), nil
}

// scrapeProtocols converts the object's protocol preferences.
func scrapeProtocols(p []monitoringv1.ScrapeProtocol, fallback *monitoringv1.ScrapeProtocol) ([]string, string) {
	var out []string
	for _, s := range p {
		out = append(out, string(s))
	}
	if fallback == nil {
		return out, ""
	}
	return out, string(*fallback)
}
