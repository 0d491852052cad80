package v1alpha1_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/yaml"

	"github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
)

// TestTestdataDecodesStrictly decodes each manifest in testdata into Vigil's
// types, refusing unknown fields, and encodes it back: every field a
// Prometheus Operator user wrote must have a home in the types and survive
// the round trip unchanged.
func TestTestdataDecodesStrictly(t *testing.T) {
	for _, tc := range []struct {
		file  string
		check func(g Gomega, obj any)
	}{{
		file: "alertmanagerconfig-routing.yaml",
		check: func(g Gomega, obj any) {
			amc := obj.(*v1alpha1.AlertmanagerConfig)
			g.Expect(amc.Spec.Receivers).To(HaveLen(4))
			g.Expect(amc.Spec.InhibitRules).To(HaveLen(2))
			g.Expect(amc.Spec.MuteTimeIntervals).To(HaveLen(3))
			g.Expect(routeDepth(g, *amc.Spec.Route)).To(Equal(3))
		},
	}, {
		file: "alertmanagerconfig-receivers.yaml",
		check: func(g Gomega, obj any) {
			amc := obj.(*v1alpha1.AlertmanagerConfig)
			r := amc.Spec.Receivers
			g.Expect(r).To(HaveLen(4))
			g.Expect(r[0].EmailConfigs).To(HaveLen(1))
			g.Expect(r[1].OpsGenieConfigs[0].Responders).To(HaveLen(2))
			g.Expect(r[2].MSTeamsV2Configs).To(HaveLen(1))
			g.Expect(r[3].TelegramConfigs[0].ChatID).To(Equal(int64(-1001234567890)))
			g.Expect(*r[3].TelegramConfigs[0].HTTPConfig.ProxyURLOverride).To(Equal("http://egress-proxy.infra.svc:3128"))
			g.Expect(routeDepth(g, *amc.Spec.Route)).To(Equal(2))
		},
	}, {
		file: "scrapeconfig-blackbox.yaml",
		check: func(g Gomega, obj any) {
			sc := obj.(*v1alpha1.ScrapeConfig)
			g.Expect(sc.Spec.StaticConfigs).To(HaveLen(2))
			g.Expect(sc.Spec.Relabelings).To(HaveLen(3))
			g.Expect(*sc.Spec.SampleLimit).To(Equal(uint64(1000)))
		},
	}, {
		file: "scrapeconfig-sources.yaml",
		check: func(g Gomega, obj any) {
			s := obj.(*v1alpha1.ScrapeConfig).Spec
			g.Expect(s.StaticConfigs).To(HaveLen(1))
			g.Expect(s.FileSDConfigs).To(HaveLen(1))
			g.Expect(s.HTTPSDConfigs).To(HaveLen(1))
			g.Expect(s.KubernetesSDConfigs).To(HaveLen(2))
			g.Expect(s.DNSSDConfigs).To(HaveLen(2))
			g.Expect(s.KubernetesSDConfigs[0].Selectors[0].Role).To(Equal(v1alpha1.KubernetesRolePod))
		},
	}} {
		t.Run(tc.file, func(t *testing.T) {
			g := NewWithT(t)
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			g.Expect(err).NotTo(HaveOccurred())

			obj, err := decodeStrict(data)
			g.Expect(err).NotTo(HaveOccurred())
			tc.check(g, obj)

			var want, got map[string]any
			g.Expect(yaml.Unmarshal(data, &want)).To(Succeed())
			encoded, err := json.Marshal(obj)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(json.Unmarshal(encoded, &got)).To(Succeed())
			g.Expect(cmp.Diff(want, got)).To(BeEmpty(), "fields changed on the way through the types (-manifest +encoded)")
		})
	}
}

// TestUnknownFieldsAreRefused proves the decoding above is strict, down to
// child routes, which the types hold as raw JSON.
func TestUnknownFieldsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, manifest, wantErr string
	}{{
		name: "misspelt receiver field",
		manifest: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: typo}
spec:
  route: {receiver: hook}
  receivers:
  - name: hook
    webhookConfigs: [{url: 'https://hooks.example.com', sendResolve: true}]`,
		wantErr: `unknown field "spec.receivers[0].webhookConfigs[0].sendResolve"`,
	}, {
		name: "receiver kind Vigil does not support",
		manifest: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: discord}
spec:
  route: {receiver: chat}
  receivers:
  - name: chat
    discordConfigs: [{apiURL: {name: discord, key: url}}]`,
		wantErr: `unknown field "spec.receivers[0].discordConfigs"`,
	}, {
		name: "misspelt child route field",
		manifest: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: child-typo}
spec:
  route:
    receiver: hook
    routes:
    - receiver: hook
      routes: [{recevier: hook}]
  receivers: [{name: hook}]`,
		wantErr: `unknown field "recevier"`,
	}, {
		name: "enableHttp2 spelt as on receivers",
		manifest: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata: {name: http2}
spec:
  staticConfigs: [{targets: ['db:9187']}]
  enableHttp2: false`,
		wantErr: `unknown field "spec.enableHttp2"`,
	}, {
		name: "service discovery kind Vigil does not support",
		manifest: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata: {name: consul}
spec:
  consulSDConfigs: [{server: 'consul:8500'}]`,
		wantErr: `unknown field "spec.consulSDConfigs"`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			obj, err := decodeStrict([]byte(tc.manifest))
			if err == nil {
				if amc, ok := obj.(*v1alpha1.AlertmanagerConfig); ok {
					_, err = routeTree(*amc.Spec.Route)
				}
			}
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
		})
	}
}

// decodeStrict decodes a manifest into the type its kind names, as the API
// server does with strict field validation: duplicate keys, unknown fields
// and fields spelt with another case (encoding/json would accept
// enableHttp2 for enableHTTP2) are errors.
func decodeStrict(data []byte) (any, error) {
	docs, err := manifest.Documents(data)
	if err != nil {
		return nil, err
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("want one document, got %d", len(docs))
	}
	js := docs[0]
	var meta struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(js, &meta); err != nil {
		return nil, err
	}
	var obj any
	switch meta.Kind {
	case "AlertmanagerConfig":
		obj = &v1alpha1.AlertmanagerConfig{}
	case "ScrapeConfig":
		obj = &v1alpha1.ScrapeConfig{}
	default:
		return nil, errors.New("unknown kind " + meta.Kind)
	}
	return obj, manifest.DecodeStrict(js, obj)
}

// routeTree decodes every child route below r and returns them all.
func routeTree(r v1alpha1.Route) ([]v1alpha1.Route, error) {
	children, err := r.ChildRoutes()
	if err != nil {
		return nil, err
	}
	all := children
	for _, c := range children {
		below, err := routeTree(c)
		if err != nil {
			return nil, err
		}
		all = append(all, below...)
	}
	return all, nil
}

// routeDepth is the number of levels of the routing tree below and
// including r, decoding child routes strictly.
func routeDepth(g Gomega, r v1alpha1.Route) int {
	children, err := r.ChildRoutes()
	g.Expect(err).NotTo(HaveOccurred())
	deepest := 0
	for _, c := range children {
		deepest = max(deepest, routeDepth(g, c))
	}
	return deepest + 1
}
