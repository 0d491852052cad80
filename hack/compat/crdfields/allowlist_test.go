package crdfields

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAllowlist(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []string // pattern=reason
		wantErr string
	}{{
		name: "comments, blanks and entries",
		text: "# heading\n\n*/v1 spec.*.grpc.mode  # Kubernetes 1.37\n  Prometheus/v1   spec.x # why # and more\n",
		want: []string{"*/v1 spec.*.grpc.mode=Kubernetes 1.37", "Prometheus/v1 spec.x=why # and more"},
	}, {
		name:    "no reason",
		text:    "Prometheus/v1 spec.x\n",
		wantErr: "line 1",
	}, {
		name:    "twice",
		text:    "Prometheus/v1 spec.x # a\nPrometheus/v1  spec.x # b\n",
		wantErr: "line 2",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow, err := ParseAllowlist(strings.NewReader(tt.text))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseAllowlist() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAllowlist() error: %v", err)
			}
			var got []string
			for _, e := range allow {
				got = append(got, e.Pattern+"="+e.Reason)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseAllowlist() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAllowlistCheck(t *testing.T) {
	prom := Version{Kind: "Prometheus", Name: "v1"}
	diffs := []Diff{{
		Version: prom, InPO: true, InVigil: true,
		Extra:      []Field{{"spec.a[].grpc.mode", "string"}, {"spec.b", "object"}, {"spec.b.c", "string"}},
		Mismatches: []Mismatch{{Path: "spec.port", PO: "int-or-string", Vigil: "string"}},
	}, {
		Version: Version{Kind: "Prometheus", Name: "v2"}, InVigil: true,
	}}
	tests := []struct {
		name         string
		allow        string
		wantProblems []string
		wantStale    []string
	}{{
		name: "empty allowlist",
		wantProblems: []string{
			"Prometheus/v1 spec.a[].grpc.mode: Vigil has it, Prometheus Operator does not",
			"Prometheus/v1 spec.b: Vigil has it and 1 paths below, Prometheus Operator does not",
			"Prometheus/v1 spec.port: int-or-string in Prometheus Operator, string in Vigil",
			"Prometheus/v2: Prometheus Operator has no such version",
		},
	}, {
		name: "globs, literal brackets, subtree tops and stale entries",
		allow: `*/v1 spec.*.grpc.mode # k8s
Prometheus/v1 spec.b # top of a subtree
Prometheus/v1 spec.port # on purpose
Prometheus/v2 # on purpose
Prometheus/v1 spec.b.c # below a top: never checked alone
*/v1 spec.a[]x # brackets are literal`,
		wantStale: []string{"Prometheus/v1 spec.b.c", "*/v1 spec.a[]x"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow, err := ParseAllowlist(strings.NewReader(tt.allow))
			if err != nil {
				t.Fatalf("ParseAllowlist() error: %v", err)
			}
			problems, stale := allow.Check(diffs)
			if diff := cmp.Diff(tt.wantProblems, problems); diff != "" {
				t.Errorf("Check() problems mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantStale, stale); diff != "" {
				t.Errorf("Check() stale mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
