package workload

import (
	"testing"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/workload/poref"
)

// TestKubePrometheusAgainstPrometheusOperator creates what the builders
// make of kube-prometheus on a real API server and compares it, field path
// by field path with the server's defaults, with what Prometheus Operator
// 0.93 created for the same input (po-reference). Every difference must
// be one of poref's allowances, with its reason; every allowance must
// still be needed. The controllers' tests compare what the reconcilers
// write the same way.
func TestKubePrometheusAgainstPrometheusOperator(t *testing.T) {
	g := NewWithT(t)
	ctx := t.Context()
	prom, am := kubePrometheus(t)
	ensureNamespace(t, prom.Namespace)
	// Created, as in a cluster: the builders then see the CRDs' defaults
	// and the UIDs the owner references carry.
	g.Expect(createStrict(ctx, prom)).To(Succeed())
	g.Expect(createStrict(ctx, am)).To(Succeed())

	pw, err := Prometheus(prom, Options{})
	g.Expect(err).NotTo(HaveOccurred())
	aw, err := Alertmanager(am, Options{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(pw.StatefulSets).To(HaveLen(1))
	built := map[string]client.Object{
		"StatefulSet prometheus-k8s":    pw.StatefulSets[0],
		"StatefulSet alertmanager-main": aw.StatefulSet,
		"Service prometheus-operated":   PrometheusService([]*monitoringv1.Prometheus{prom}, Options{}),
		"Service alertmanager-operated": AlertmanagerService([]*monitoringv1.Alertmanager{am}, Options{}),
	}
	g.Expect(poref.KubePrometheus).To(HaveLen(len(built)))
	for _, ref := range poref.KubePrometheus {
		t.Run(ref.String(), func(t *testing.T) {
			obj := built[ref.String()]
			if obj == nil {
				t.Fatalf("the builders make no %s", ref)
			}
			NewWithT(t).Expect(createStrict(ctx, obj)).To(Succeed())
			ref.Check(t, readBack(t, obj))
		})
	}
}
