package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/discovery/kubernetes"
	"github.com/prometheus/prometheus/model/labels"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestAlertmanagerDiscovery: alerts go to the endpoints of the named
// Service's port, in the Alertmanager's namespace (the Prometheus's when
// unset), found with the Prometheus's discovery role.
func TestAlertmanagerDiscovery(t *testing.T) {
	for _, role := range []string{"endpoints", "endpointslice"} {
		t.Run(role, func(t *testing.T) {
			g := NewWithT(t)
			p := newPrometheus(func(p *monitoringv1.Prometheus) {
				if role == "endpointslice" {
					p.Spec.ServiceDiscoveryRole = ptr(monitoringv1.EndpointSliceRole)
				}
				p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{
					{Name: "alertmanager-main", Port: *namedPort("web")},
					{Name: "alertmanager-ha", Namespace: ptr("alerting"), Port: *intPort(9093), Scheme: ptr(monitoringv1.Scheme("HTTPS")),
						APIVersion: ptr(monitoringv1.AlertmanagerAPIVersion("V2")), PathPrefix: ptr("/am"), Timeout: ptr(monitoringv1.Duration("5s"))},
				}}
			})
			res := mustGenerate(t, Input{Prometheus: p})
			c := load(t, res.Config)
			ams := c.AlertingConfig.AlertmanagerConfigs
			g.Expect(ams).To(HaveLen(2))

			meta := map[string]string{"endpoints": "__meta_kubernetes_endpoint", "endpointslice": "__meta_kubernetes_endpointslice"}[role]
			target := func(service, portName, portNumber string) labels.Labels {
				return labels.FromMap(map[string]string{
					"__address__":                                 "10.213.0.3:" + portNumber,
					"__meta_kubernetes_service_name":              service,
					meta + "_port_name":                           portName,
					"__meta_kubernetes_pod_container_port_number": portNumber,
				})
			}
			for i, tc := range []struct {
				namespace, service, port string
				number                   string
			}{
				{promNamespace, "alertmanager-main", "web", "9093"},
				{"alerting", "alertmanager-ha", "other-name", "9093"},
			} {
				sd := ams[i].ServiceDiscoveryConfigs[0].(*kubernetes.SDConfig)
				g.Expect(string(sd.Role)).To(Equal(role))
				g.Expect(sd.NamespaceDiscovery.Names).To(Equal([]string{tc.namespace}))
				_, keep := process(target(tc.service, tc.port, tc.number), ams[i].RelabelConfigs...)
				g.Expect(keep).To(BeTrue(), "alertmanager %d keeps its Service's port", i)
				_, keep = process(target("other", tc.port, tc.number), ams[i].RelabelConfigs...)
				g.Expect(keep).To(BeFalse(), "alertmanager %d drops another Service", i)
				_, keep = process(target(tc.service, "mesh", "9094"), ams[i].RelabelConfigs...)
				g.Expect(keep).To(BeFalse(), "alertmanager %d drops another port", i)
			}
			g.Expect(string(ams[0].APIVersion)).To(Equal("v2"), "v2 by default")
			g.Expect(ams[1].Scheme).To(Equal("https"))
			g.Expect(string(ams[1].APIVersion)).To(Equal("v2"))
			g.Expect(ams[1].PathPrefix).To(Equal("/am"))
			g.Expect(ams[1].Timeout.String()).To(Equal("5s"))
		})
	}
}

// TestReplicaLabelDroppedFromAlerts: the replicas' copies of an alert
// differ only by the replica label, which is dropped so Alertmanager
// deduplicates them; nothing else is dropped.
func TestReplicaLabelDroppedFromAlerts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replica *string
		label   string
	}{
		{name: "default", label: "prometheus_replica"},
		{name: "custom", replica: ptr("replica"), label: "replica"},
		{name: "empty: no replica label", replica: ptr("")},
		{name: "a name with a regex character", replica: ptr("prom.replica"), label: "prom.replica"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			p := newPrometheus(func(p *monitoringv1.Prometheus) {
				p.Spec.ReplicaExternalLabelName = tc.replica
				p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{Name: "am", Port: *namedPort("web")}}}
			})
			res := mustGenerate(t, Input{Prometheus: p})
			c := load(t, res.Config)
			alert := map[string]string{"alertname": "Down", "prometheus": "monitoring/main", "promXreplica": "kept",
				"prometheus_replicas": "kept", "replica_set": "kept"}
			if tc.label != "" {
				g.Expect(c.GlobalConfig.ExternalLabels.Get(tc.label)).To(Equal("$(POD_NAME)"))
				alert[tc.label] = "prometheus-main-0"
			} else {
				g.Expect(c.GlobalConfig.ExternalLabels.Get("prometheus_replica")).To(BeEmpty())
				g.Expect(c.AlertingConfig.AlertRelabelConfigs).To(BeEmpty())
			}
			out, keep := process(labels.FromMap(alert), c.AlertingConfig.AlertRelabelConfigs...)
			g.Expect(keep).To(BeTrue())
			delete(alert, tc.label)
			g.Expect(out.Map()).To(Equal(alert))
		})
	}
}

// TestAdditionalAlertRelabelConfigs: spec.additionalAlertRelabelConfigs
// is appended to the generated alert relabel rules.
func TestAdditionalAlertRelabelConfigs(t *testing.T) {
	g := NewWithT(t)
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.AdditionalAlertRelabelConfigs = secretKey("alert-relabel", "rules.yaml")
		p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{Name: "am", Port: *namedPort("web")}}}
	})
	store := newMapStore().withSecret(promNamespace, "alert-relabel", map[string]string{
		"rules.yaml": "- action: drop\n  source_labels: [severity]\n  regex: none\n",
	})
	res := mustGenerate(t, Input{Prometheus: p, Store: store})
	c := load(t, res.Config)
	g.Expect(describeRules(c.AlertingConfig.AlertRelabelConfigs)).To(Equal([]string{
		"labeldrop  <- ", "drop(severity)",
	}))
}

// TestAdditionalAlertManagerConfigs: spec.additionalAlertManagerConfigs is
// appended to the generated Alertmanagers.
func TestAdditionalAlertManagerConfigs(t *testing.T) {
	g := NewWithT(t)
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.AdditionalAlertManagerConfigs = secretKey("extra-am", "am.yaml")
	})
	store := newMapStore().withSecret(promNamespace, "extra-am", map[string]string{
		"am.yaml": "- static_configs:\n  - targets: [alertmanager.example.com:9093]\n",
	})
	res := mustGenerate(t, Input{Prometheus: p, Store: store})
	c := load(t, res.Config)
	g.Expect(c.AlertingConfig.AlertmanagerConfigs).To(HaveLen(1))
}

// TestAlertmanagerSigv4: alertmanagers[].sigv4 signs the requests.
func TestAlertmanagerSigv4(t *testing.T) {
	g := NewWithT(t)
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{
			Name: "am", Port: *namedPort("web"), Sigv4: &monitoringv1.Sigv4{Region: "eu-west-1"},
		}}}
	})
	res := mustGenerate(t, Input{Prometheus: p})
	c := load(t, res.Config)
	g.Expect(c.AlertingConfig.AlertmanagerConfigs[0].SigV4Config).NotTo(BeNil())
}
