package poref

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// Why Vigil's objects differ from Prometheus Operator's for
// kube-prometheus: the rows of internal/workload's package documentation's
// table.
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

// Object is one of the objects Prometheus Operator created for
// kube-prometheus, with the differences Vigil's keeps from it.
type Object struct {
	// Kind, Namespace and Name name Prometheus Operator's object and
	// Vigil's.
	Kind, Namespace, Name string
	// file in po-reference holds it, alone or in a List.
	file       string
	allowances []allowed
}

// KubePrometheus are the objects compared: the StatefulSets of Prometheus
// k8s and Alertmanager main, and their governing Services.
var KubePrometheus = []Object{
	{"StatefulSet", "monitoring", "prometheus-k8s", "statefulset-prometheus.yaml", prometheusAllowances},
	{"StatefulSet", "monitoring", "alertmanager-main", "statefulset-alertmanager.yaml", alertmanagerAllowances},
	{"Service", "monitoring", "prometheus-operated", "services.yaml", serviceAllowances},
	{"Service", "monitoring", "alertmanager-operated", "services.yaml", serviceAllowances},
}

func (o Object) String() string { return o.Kind + " " + o.Name }

// Reference is Prometheus Operator's object as kubectl get -o json
// printed it.
func (o Object) Reference() (map[string]any, error) {
	data, err := os.ReadFile(filepath.Join(testenv.KubePrometheusDir(), "po-reference", o.file))
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", o.file, err)
	}
	items, ok := doc["items"].([]any)
	if !ok {
		return doc, nil
	}
	for _, it := range items {
		obj, _ := it.(map[string]any)
		if name, _, _ := unstructured.NestedString(obj, "metadata", "name"); name == o.Name {
			return obj, nil
		}
	}
	return nil, fmt.Errorf("%s: no %s", o.file, o)
}

// Check compares vigil, Vigil's object as ReadBack reads it, with
// Prometheus Operator's field path by field path: it fails t for every
// difference that is not one of the allowances, with its reason, and for
// every allowance no longer needed.
func (o Object) Check(t testing.TB, vigil map[string]any) {
	t.Helper()
	ref, err := o.Reference()
	if err != nil {
		t.Fatal(err)
	}
	left, unused := unexplained(differences(ref, vigil), o.allowances)
	if len(left) > 0 {
		t.Errorf("differences with Prometheus Operator's %s that are not listed:%s", o, lines(left))
	}
	for _, a := range unused {
		t.Errorf("allowed difference (%s) %q matches nothing: remove it", a.side, a.paths)
	}
}

// ReadBack is obj as the API server stores it, defaults applied, without
// what only one cluster has (as the reference files were cut).
func ReadBack(ctx context.Context, c client.Client, obj client.Object) (map[string]any, error) {
	u := &unstructured.Unstructured{}
	gvk, err := c.GroupVersionKindFor(obj)
	if err != nil {
		return nil, err
	}
	u.SetGroupVersionKind(gvk)
	if err := c.Get(ctx, client.ObjectKeyFromObject(obj), u); err != nil {
		return nil, err
	}
	for _, f := range []string{"managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"} {
		unstructured.RemoveNestedField(u.Object, "metadata", f)
	}
	unstructured.RemoveNestedField(u.Object, "status")
	return u.Object, nil
}
