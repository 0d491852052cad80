package workload

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

func TestWebConfig(t *testing.T) {
	g := NewWithT(t)
	w := buildProm(t, prom(func(p *monitoringv1.Prometheus) {
		p.Spec.Web = &monitoringv1.PrometheusWebSpec{WebConfigFileFields: monitoringv1.WebConfigFileFields{
			TLSConfig: &monitoringv1.WebTLSConfig{
				Cert:                     &monitoringv1.SecretOrConfigMap{ConfigMap: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "web-cert"}, Key: "tls.crt"}},
				KeySecret:                &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "web-key"}, Key: "tls.key"},
				ClientCA:                 &monitoringv1.SecretOrConfigMap{Secret: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "clients"}, Key: "ca.crt"}},
				ClientAuthType:           ptr(monitoringv1.WebClientAuthType("RequireAndVerifyClientCert")),
				MinVersion:               ptr(monitoringv1.TLSVersion("TLS12")),
				MaxVersion:               ptr(monitoringv1.TLSVersion("TLS13")),
				CipherSuites:             []string{"TLS_AES_128_GCM_SHA256"},
				PreferServerCipherSuites: ptr(true),
				CurvePreferences:         []string{"X25519"},
			},
			HTTPConfig: &monitoringv1.WebHTTPConfig{HTTP2: ptr(false), Headers: &monitoringv1.WebHTTPHeaders{
				ContentSecurityPolicy: "default-src 'self'", XFrameOptions: "Deny", XContentTypeOptions: "NoSniff",
				XXSSProtection: "1; mode=block", StrictTransportSecurity: "max-age=31536000",
			}},
		}}
	}), Options{})
	g.Expect(w.WebConfig.Name).To(Equal("prometheus-main-web-config"))
	// Prometheus Operator's file for the same fields (pkg/webconfig),
	// keys in exporter-toolkit's names.
	g.Expect(string(w.WebConfig.Data["web-config.yaml"])).To(Equal(`tls_server_config:
  cert_file: /etc/prometheus/web_config/configmap/web-cert-cert/tls.crt
  key_file: /etc/prometheus/web_config/secret/web-key-key/tls.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: /etc/prometheus/web_config/secret/clients-ca/ca.crt
  min_version: TLS12
  max_version: TLS13
  cipher_suites:
    - TLS_AES_128_GCM_SHA256
  prefer_server_cipher_suites: true
  curve_preferences:
    - X25519
http_server_config:
  http2: false
  headers:
    Content-Security-Policy: default-src 'self'
    Strict-Transport-Security: max-age=31536000
    X-Content-Type-Options: nosniff
    X-Frame-Options: deny
    X-XSS-Protection: 1; mode=block
`))
	pod := &w.StatefulSets[0].Spec.Template.Spec
	c := container(t, pod, "prometheus")
	// The material's Secrets and ConfigMaps are mounted whole (not by
	// subPath), so renewed certificates arrive without a restart.
	for _, m := range []struct{ dir, prefix string }{
		{"/etc/prometheus/web_config/secret/web-key-key", "web-config-tls-secret-key-web-key-"},
		{"/etc/prometheus/web_config/configmap/web-cert-cert", "web-config-tls-configmap-cert-web-cert-"},
		{"/etc/prometheus/web_config/secret/clients-ca", "web-config-tls-secret-client-ca-clients-"},
	} {
		vm := mount(c, m.dir)
		g.Expect(vm).NotTo(BeNil(), m.dir)
		g.Expect(vm.Name).To(HavePrefix(m.prefix))
		g.Expect(vm.SubPath).To(BeEmpty())
		g.Expect(volume(pod, vm.Name)).NotTo(BeNil())
	}
	g.Expect(*mount(c, "/etc/prometheus/web_config/web-config.yaml")).To(Equal(corev1.VolumeMount{Name: "web-config", MountPath: "/etc/prometheus/web_config/web-config.yaml", SubPath: "web-config.yaml", ReadOnly: true}))

	// Files named directly are used as they are.
	w = buildProm(t, prom(func(p *monitoringv1.Prometheus) {
		p.Spec.Web = &monitoringv1.PrometheusWebSpec{WebConfigFileFields: monitoringv1.WebConfigFileFields{TLSConfig: &monitoringv1.WebTLSConfig{
			CertFile: ptr("/certs/tls.crt"), KeyFile: ptr("/certs/tls.key"), ClientCAFile: ptr("/certs/ca.crt"),
		}}}
	}), Options{})
	g.Expect(string(w.WebConfig.Data["web-config.yaml"])).To(Equal("tls_server_config:\n  cert_file: /certs/tls.crt\n  key_file: /certs/tls.key\n  client_ca_file: /certs/ca.crt\n"))

	// Nothing configured: an empty file, mounted all the same, so that
	// turning TLS on needs no new volume.
	w = buildProm(t, prom(), Options{})
	g.Expect(w.WebConfig.Data).To(Equal(map[string][]byte{"web-config.yaml": {}}))
}

func TestLongVolumeNamesStayUnique(t *testing.T) {
	g := NewWithT(t)
	long := "a-very-long-secret-name-that-goes-on-and-on-and-on-and-on-and-on-"
	a, b := uniqueVolumeName("web-config-tls-secret-key", long+"1"), uniqueVolumeName("web-config-tls-secret-key", long+"2")
	g.Expect(a).NotTo(Equal(b))
	g.Expect(len(a)).To(BeNumerically("<=", 63))
	g.Expect(volumeName("secret", "Upper_Case.Name")).To(Equal("secret-upper-case-name"))
	g.Expect(len(volumeName("configmap", long+long))).To(BeNumerically("<=", 63))
}

func TestGoverningServices(t *testing.T) {
	g := NewWithT(t)
	g.Expect(PrometheusService(nil, Options{})).To(BeNil())
	b := prom(func(p *monitoringv1.Prometheus) { p.Name, p.UID, p.Spec.PortName = "b", "uid-b", "http" })
	a := prom(func(p *monitoringv1.Prometheus) { p.Name, p.UID, p.Spec.PortName = "a", "uid-a", "web" })
	svc := PrometheusService([]*monitoringv1.Prometheus{b, a}, Options{})
	g.Expect(svc.Name).To(Equal("prometheus-operated"))
	g.Expect(svc.Namespace).To(Equal("mon"))
	g.Expect(svc.Labels).To(Equal(map[string]string{"managed-by": "prometheus-operator", "app.kubernetes.io/managed-by": "prometheus-operator", "operated-prometheus": "true"}))
	g.Expect(svc.Spec.ClusterIP).To(Equal("None"))
	g.Expect(svc.Spec.Selector).To(Equal(map[string]string{"app.kubernetes.io/name": "prometheus"}))
	g.Expect(svc.Spec.Ports).To(Equal([]corev1.ServicePort{{Name: "web", Port: 9090, TargetPort: intstr.FromString("web"), Protocol: corev1.ProtocolTCP}}))
	// Owned by every Prometheus of the namespace, none as controller, so
	// it goes with the last one.
	g.Expect(svc.OwnerReferences).To(Equal([]metav1.OwnerReference{
		{APIVersion: "monitoring.coreos.com/v1", Kind: "Prometheus", Name: "a", UID: types.UID("uid-a")},
		{APIVersion: "monitoring.coreos.com/v1", Kind: "Prometheus", Name: "b", UID: types.UID("uid-b")},
	}))

	asvc := AlertmanagerService([]*monitoringv1.Alertmanager{am()}, Options{})
	g.Expect(asvc.Name).To(Equal("alertmanager-operated"))
	g.Expect(asvc.Spec.PublishNotReadyAddresses).To(BeTrue())
	g.Expect(asvc.Labels).To(HaveKeyWithValue("operated-alertmanager", "true"))
	g.Expect(asvc.Spec.Selector).To(Equal(map[string]string{"app.kubernetes.io/name": "alertmanager"}))
	g.Expect(asvc.Spec.Ports).To(Equal([]corev1.ServicePort{
		{Name: "web", Port: 9093, TargetPort: intstr.FromString("web"), Protocol: corev1.ProtocolTCP},
		{Name: "tcp-mesh", Port: 9094, TargetPort: intstr.FromString("mesh-tcp"), Protocol: corev1.ProtocolTCP},
		{Name: "udp-mesh", Port: 9094, TargetPort: intstr.FromString("mesh-udp"), Protocol: corev1.ProtocolUDP},
	}))
}

// TestReloaderRBAC: the pods' service account may read the configuration
// Secret by name and, for Prometheus, list and watch ConfigMaps: exactly
// what the config-reloader's informers do.
func TestReloaderRBAC(t *testing.T) {
	g := NewWithT(t)
	pw := buildProm(t, prom(), Options{})
	g.Expect(pw.Role.Name).To(Equal("prometheus-main-config-reloader"))
	g.Expect(pw.Role.Namespace).To(Equal("mon"))
	g.Expect(pw.Role.Rules).To(Equal([]rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"prometheus-main"}, Verbs: []string{"get", "list", "watch"}},
		{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"list", "watch"}},
	}))
	g.Expect(pw.RoleBinding.RoleRef).To(Equal(rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "prometheus-main-config-reloader"}))
	g.Expect(pw.RoleBinding.Subjects).To(Equal([]rbacv1.Subject{{Kind: "ServiceAccount", Name: "default", Namespace: "mon"}}))
	g.Expect(pw.Role.Labels).To(HaveKeyWithValue("app.kubernetes.io/managed-by", "vigil"))
	for _, o := range []metav1.Object{pw.StatefulSets[0], pw.WebConfig, pw.Role, pw.RoleBinding} {
		g.Expect(o.GetOwnerReferences()).To(Equal([]metav1.OwnerReference{{
			APIVersion: "monitoring.coreos.com/v1", Kind: "Prometheus", Name: "main", UID: prom().UID,
			Controller: ptr(true), BlockOwnerDeletion: ptr(true),
		}}), o.GetName())
	}

	aw := buildAM(t, am(func(a *monitoringv1.Alertmanager) { a.Spec.ServiceAccountName = "alertmanager-main" }), Options{})
	g.Expect(aw.Role.Name).To(Equal("alertmanager-main-config-reloader"))
	g.Expect(aw.Role.Rules).To(Equal([]rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"alertmanager-main-generated"}, Verbs: []string{"get", "list", "watch"}},
	}))
	g.Expect(aw.RoleBinding.Subjects).To(Equal([]rbacv1.Subject{{Kind: "ServiceAccount", Name: "alertmanager-main", Namespace: "mon"}}))
}

// TestInputHash: the same input gives the same hash; any change to what is
// built changes it; the hash does not hash itself.
func TestInputHash(t *testing.T) {
	g := NewWithT(t)
	hash := func(w *PrometheusWorkload) string { return w.StatefulSets[0].Annotations[InputHashAnnotation] }
	a, b := buildProm(t, prom(), Options{}), buildProm(t, prom(), Options{})
	g.Expect(hash(a)).NotTo(BeEmpty())
	g.Expect(a).To(Equal(b))
	g.Expect(hash(buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.Replicas = ptr(int32(2)) }), Options{}))).NotTo(Equal(hash(a)))
	g.Expect(hash(buildProm(t, prom(), Options{ConfigReloaderImage: "x:y"}))).NotTo(Equal(hash(a)))

	sts := a.StatefulSets[0].DeepCopy()
	setInputHash(sts)
	g.Expect(sts.Annotations[InputHashAnnotation]).To(Equal(hash(a)))
	for _, o := range []metav1.Object{a.WebConfig, a.Role, a.RoleBinding, PrometheusService([]*monitoringv1.Prometheus{prom()}, Options{})} {
		g.Expect(o.GetAnnotations()).To(HaveKey(InputHashAnnotation), o.GetName())
	}
	// Building does not change its input.
	p := prom(func(p *monitoringv1.Prometheus) {
		p.Spec.TopologySpreadConstraints = []monitoringv1.TopologySpreadConstraint{{AdditionalLabelSelectors: ptr(monitoringv1.ResourceNameLabelSelector)}}
		p.Spec.Containers = []corev1.Container{{Name: "prometheus", Env: []corev1.EnvVar{{Name: "A", Value: "1"}}}}
	})
	before := p.DeepCopy()
	buildProm(t, p, Options{})
	g.Expect(p).To(Equal(before))
}
