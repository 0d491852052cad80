package crdfields

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatUnserved(t *testing.T) {
	diffs := []Diff{{
		Version: Version{Kind: "Prometheus", Name: "v1"}, InPO: true, InVigil: true, POFields: 6, VigilFields: 3,
		Unserved: []Field{{"spec.thanos", "object"}, {"spec.thanos.image", "string"}, {"spec.sha", "string"}},
	}, {
		Version: Version{Kind: "Probe", Name: "v1"}, InPO: true, InVigil: true, POFields: 2, VigilFields: 2,
	}, {
		Version: Version{Kind: "ThanosRuler", Name: "v1"}, InPO: true, POFields: 12,
		Unserved: make([]Field, 12),
	}, {
		Version: Version{Kind: "VigilOnly", Name: "v1"}, InVigil: true, VigilFields: 1,
		Extra: []Field{{"spec", "object"}},
	}}
	want := unservedHeader + `#
# Unserved paths per version, of Prometheus Operator's:
#   Prometheus/v1      3 of     6
#   Probe/v1           0 of     2
#   ThanosRuler/v1    12 of    12  (not served)

## Prometheus/v1: 3 of 6 paths unserved, in 2 subtrees
Prometheus/v1 spec.thanos  (+1 below)
Prometheus/v1 spec.sha

## ThanosRuler/v1: not served (12 paths)
ThanosRuler/v1
`
	if diff := cmp.Diff(want, FormatUnserved(diffs)); diff != "" {
		t.Errorf("FormatUnserved() mismatch (-want +got):\n%s", diff)
	}
}
