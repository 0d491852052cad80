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

// capped applies an enforced limit. 0 means "no limit" to Prometheus, so
// an enforced 0 enforces nothing, and a user's 0 (unlimited) is above any
// enforced limit.
func capped(limit *uint64, enforced *int64) *uint64 {
	if enforced == nil || *enforced <= 0 {
		return limit
	}
	if limit == nil || *limit == 0 || *limit > uint64(*enforced) {
		return ptr(uint64(*enforced))
	}
	return limit
}

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
	if e == 0 {
		return string(*limit), nil
	}
	if l == 0 || l > e {
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
