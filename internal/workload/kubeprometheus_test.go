package workload

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// Why Vigil's objects differ from Prometheus Operator's for
// kube-prometheus: the rows of the package documentation's table.
const (
	whyHash           = "the input hash annotation is Vigil's: vigil.dev/input-hash, a hash of the object built"
	whyUID            = "owner references carry the UID of the owner in this cluster"
	whyImage          = "the config-reloader is Vigil's, run by its image's entrypoint"
	whyAPI            = "the config-reloader reads the configuration Secret and the rule ConfigMaps through the API, not from mounted volumes"
	whyLoopback       = "the reload URL is 127.0.0.1, which Prometheus and Alertmanager listen on also with listenLocal; localhost may resolve to ::1 first"
	whyInit           = "the init container is the sidecar's command line with --init; it serves nothing, so it declares no port"
	whyNamespace      = "POD_NAMESPACE: the namespace the config-reloader reads the Secret and ConfigMaps in"
	whyToken          = "the config-reloader's service account token is projected into its containers only, so it reads the API when automountServiceAccountToken is off (kube-prometheus's Alertmanager) without giving the token to Alertmanager"
	whyTLSAssets      = "TLS material is written inline into the configuration, so there is no tls-assets Secret"
	whyRules          = "the rule ConfigMaps are written by the config-reloader into one emptyDir, rules"
	whyClusterTLS     = "Vigil's API has no spec.clusterTLS, so there is no cluster TLS configuration Secret"
	whyReloaderWebCfg = "Vigil's config-reloader has no --web-config-file: its own metrics endpoint serves plain HTTP"
	whyAMConfig       = "config-volume is the user's configuration Secret, optional, mounted for its other keys (notification templates); the generated configuration comes through the API"
)

const podSpecPath = `spec\.template\.spec\.`

// reloaders matches both config-reloader containers.
const reloaders = podSpecPath + `(containers\[config-reloader\]|initContainers\[init-config-reloader\])`

// args matches the arguments given, each a literal, of the containers
// matched by containers.
func args(containers string, literal ...string) string {
	q := make([]string, len(literal))
	for i, l := range literal {
		q[i] = quote(l)
	}
	return containers + `\.args\[(` + strings.Join(q, "|") + `)\]`
}

// reloaderAllowances are the differences of both workloads'
// config-reloader containers and volumes.
func reloaderAllowances(owner string) []allowed {
	return []allowed{
		{onlyPO, `metadata\.annotations\.prometheus-operator-input-hash`, whyHash},
		{onlyVigil, `metadata\.annotations\.vigil\.dev/input-hash`, whyHash},
		{differs, `metadata\.ownerReferences\[` + owner + `\]\.uid`, whyUID},
		{differs, reloaders + `\.image`, whyImage},
		{onlyPO, reloaders + `\.command\[0\]`, whyImage},
		{onlyPO, podSpecPath + `initContainers\[init-config-reloader\]\.ports\[reloader-init\]\..*`, whyInit},
		{onlyPO, args(podSpecPath+`initContainers\[init-config-reloader\]`, "--watch-interval=0", "--listen-address=:8081"), whyInit},
		{onlyVigil, args(podSpecPath+`initContainers\[init-config-reloader\]`, "--init", "--listen-address=:8080"), whyInit},
		{onlyVigil, reloaders + `\.env\[POD_NAMESPACE\]\..*`, whyNamespace},
		{onlyVigil, podSpecPath + `volumes\[reloader-api-access\]\..*`, whyToken},
		{onlyVigil, reloaders + `\.volumeMounts\[/var/run/secrets/kubernetes\.io/serviceaccount\]\..*`, whyToken},
		{onlyPO, podSpecPath + `volumes\[tls-assets\]\..*`, whyTLSAssets},
		{onlyPO, podSpecPath + `containers\[(prometheus|alertmanager)\]\.volumeMounts\[/etc/(prometheus|alertmanager)/certs\]\..*`, whyTLSAssets},
	}
}

var prometheusAllowances = append(reloaderAllowances("k8s"),
	allowed{onlyPO, args(reloaders, "--config-file=/etc/prometheus/config/prometheus.yaml.gz", "--watched-dir=/etc/prometheus/config",
		"--watched-dir=/etc/prometheus/rules/prometheus-k8s-rulefiles-0", "--watched-dir=/etc/prometheus/rules/prometheus-k8s-rulefiles-1",
		"--watched-dir=/etc/prometheus/rules/prometheus-k8s-rulefiles-2"), whyAPI},
	allowed{onlyVigil, args(reloaders, "--config-secret=prometheus-k8s", "--config-secret-key=prometheus.yaml.gz",
		"--rules-configmap-selector=prometheus-name=k8s,app.kubernetes.io/managed-by=vigil", "--rules-dir=/etc/prometheus/rules"), whyAPI},
	allowed{onlyPO, podSpecPath + `volumes\[config\]\..*`, whyAPI},
	allowed{onlyPO, reloaders + `\.volumeMounts\[/etc/prometheus/config\]\..*`, whyAPI},
	allowed{onlyPO, args(podSpecPath+`containers\[config-reloader\]`, "--reload-url=http://localhost:9090/-/reload"), whyLoopback},
	allowed{onlyVigil, args(reloaders, "--reload-url=http://127.0.0.1:9090/-/reload"), whyLoopback},
	allowed{onlyPO, podSpecPath + `volumes\[prometheus-k8s-rulefiles-[0-2]\]\..*`, whyRules},
	allowed{onlyPO, podSpecPath + `[a-zA-Z]+\[[-a-z]+\]\.volumeMounts\[/etc/prometheus/rules/prometheus-k8s-rulefiles-[0-2]\]\..*`, whyRules},
	allowed{onlyVigil, podSpecPath + `volumes\[rules\]\..*`, whyRules},
	allowed{onlyVigil, podSpecPath + `[a-zA-Z]+\[[-a-z]+\]\.volumeMounts\[/etc/prometheus/rules\]\..*`, whyRules},
)

var alertmanagerAllowances = append(reloaderAllowances("main"),
	allowed{onlyPO, args(reloaders, "--config-file=/etc/alertmanager/config/alertmanager.yaml.gz"), whyAPI},
	allowed{onlyVigil, args(reloaders, "--config-secret=alertmanager-main-generated", "--config-secret-key=alertmanager.yaml.gz"), whyAPI},
	allowed{differs, podSpecPath + `volumes\[config-volume\]\.secret\.secretName`, whyAMConfig},
	allowed{onlyVigil, podSpecPath + `volumes\[config-volume\]\.secret\.optional`, whyAMConfig},
	allowed{onlyPO, args(podSpecPath+`containers\[config-reloader\]`, "--reload-url=http://localhost:9093/-/reload"), whyLoopback},
	allowed{onlyVigil, args(reloaders, "--reload-url=http://127.0.0.1:9093/-/reload"), whyLoopback},
	allowed{onlyPO, podSpecPath + `volumes\[cluster-tls-config\]\..*`, whyClusterTLS},
	allowed{onlyPO, podSpecPath + `containers\[alertmanager\]\.volumeMounts\[/etc/alertmanager/cluster_tls_config/cluster-tls-config\.yaml\]\..*`, whyClusterTLS},
	allowed{onlyPO, args(podSpecPath+`containers\[config-reloader\]`, "--web-config-file=/etc/alertmanager/web_config/web-config.yaml"), whyReloaderWebCfg},
	allowed{onlyPO, reloaders + `\.volumeMounts\[/etc/alertmanager/web_config/web-config\.yaml\]\..*`, whyReloaderWebCfg},
)

var serviceAllowances = []allowed{
	{differs, `metadata\.ownerReferences\[(k8s|main)\]\.uid`, whyUID},
	{onlyVigil, `metadata\.annotations\.vigil\.dev/input-hash`, whyHash},
}

// TestKubePrometheusAgainstPrometheusOperator creates what the builders
// make of kube-prometheus on a real API server and compares it, field path
// by field path with the server's defaults, with what Prometheus Operator
// 0.93 created for the same input (po-reference). Every difference must
// be one of the allowances above, with its reason; every allowance must
// still be needed.
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
	services := poReference(t, "services.yaml")["items"].([]any)

	for _, c := range []struct {
		name       string
		reference  map[string]any
		obj        client.Object
		allowances []allowed
	}{
		{"StatefulSet prometheus-k8s", poReference(t, "statefulset-prometheus.yaml"), pw.StatefulSets[0], prometheusAllowances},
		{"StatefulSet alertmanager-main", poReference(t, "statefulset-alertmanager.yaml"), aw.StatefulSet, alertmanagerAllowances},
		{"Service prometheus-operated", services[0].(map[string]any), PrometheusService([]*monitoringv1.Prometheus{prom}, Options{}), serviceAllowances},
		{"Service alertmanager-operated", services[1].(map[string]any), AlertmanagerService([]*monitoringv1.Alertmanager{am}, Options{}), serviceAllowances},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(createStrict(ctx, c.obj)).To(Succeed())
			left, unused := unexplained(differences(c.reference, readBack(t, c.obj)), c.allowances)
			if len(left) > 0 {
				t.Errorf("differences with Prometheus Operator's %s that are not listed:%s", c.name, lines(left))
			}
			for _, a := range unused {
				t.Errorf("allowed difference (%s) %q matches nothing: remove it", a.side, a.paths)
			}
		})
	}
}
