package oracle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Objects are the manifests' objects of the kinds Prometheus Operator reads.
type Objects struct {
	Namespaces          []*corev1.Namespace
	Secrets             []*corev1.Secret
	ConfigMaps          []*corev1.ConfigMap
	Prometheuses        []*monitoringv1.Prometheus
	Alertmanagers       []*monitoringv1.Alertmanager
	ServiceMonitors     []*monitoringv1.ServiceMonitor
	PodMonitors         []*monitoringv1.PodMonitor
	Probes              []*monitoringv1.Probe
	PrometheusRules     []*monitoringv1.PrometheusRule
	AlertmanagerConfigs []*monitoringv1alpha1.AlertmanagerConfig
	ScrapeConfigs       []*monitoringv1alpha1.ScrapeConfig
}

// Load reads files and folders (recursively, *.yaml, *.yml and *.json) of
// multi-document YAML, as vigilctl does: objects without a namespace get
// defaultNamespace, other kinds are skipped, and every namespace an object
// is in exists, as it does on a cluster.
func Load(paths []string, defaultNamespace string) (*Objects, error) {
	objs := &Objects{}
	for _, p := range paths {
		files, err := manifestFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if err := objs.add(data, defaultNamespace); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
		}
	}
	objs.addMissingNamespaces()
	return objs, nil
}

func manifestFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json":
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func (o *Objects) add(data []byte, defaultNamespace string) error {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		if err := o.addDocument(doc, defaultNamespace); err != nil {
			return err
		}
	}
}

// addDocument decodes one YAML or JSON document. It is turned into JSON
// first and decoded as a client decodes the API server's answer: decoding
// with sigs.k8s.io/yaml walks the target type and allocates, through
// embedded structs, fields the document does not set (a Probe's
// oauth2.tlsConfig gave it an empty spec.tlsConfig, which Prometheus
// Operator then refused).
func (o *Objects) addDocument(doc []byte, defaultNamespace string) error {
	doc, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	var head struct {
		metav1.TypeMeta `json:",inline"`
		Items           []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return err
	}
	if head.Kind == "List" || strings.HasSuffix(head.Kind, "List") {
		for _, item := range head.Items {
			if err := o.addDocument(item, defaultNamespace); err != nil {
				return err
			}
		}
		return nil
	}
	switch head.Kind {
	case "Namespace":
		return decode(doc, "", &o.Namespaces)
	case "Secret":
		if err := decode(doc, defaultNamespace, &o.Secrets); err != nil {
			return err
		}
		// The API server stores stringData in data.
		s := o.Secrets[len(o.Secrets)-1]
		for k, v := range s.StringData {
			if s.Data == nil {
				s.Data = map[string][]byte{}
			}
			s.Data[k] = []byte(v)
		}
		s.StringData = nil
		return nil
	case "ConfigMap":
		return decode(doc, defaultNamespace, &o.ConfigMaps)
	}
	if gv, err := schema.ParseGroupVersion(head.APIVersion); err == nil && gv.Group == "monitoring.coreos.com" {
		defaulted, err := withDefaults(doc, head.Kind, gv.Version)
		if err != nil {
			return err
		}
		doc = defaulted
	}
	switch head.Kind {
	case monitoringv1.PrometheusesKind:
		return decode(doc, defaultNamespace, &o.Prometheuses)
	case monitoringv1.AlertmanagersKind:
		return decode(doc, defaultNamespace, &o.Alertmanagers)
	case monitoringv1.ServiceMonitorsKind:
		return decode(doc, defaultNamespace, &o.ServiceMonitors)
	case monitoringv1.PodMonitorsKind:
		return decode(doc, defaultNamespace, &o.PodMonitors)
	case monitoringv1.ProbesKind:
		return decode(doc, defaultNamespace, &o.Probes)
	case monitoringv1.PrometheusRuleKind:
		return decode(doc, defaultNamespace, &o.PrometheusRules)
	case monitoringv1alpha1.AlertmanagerConfigKind:
		return decode(doc, defaultNamespace, &o.AlertmanagerConfigs)
	case monitoringv1alpha1.ScrapeConfigsKind:
		return decode(doc, defaultNamespace, &o.ScrapeConfigs)
	}
	return nil
}

// decode appends the JSON document, decoded as *T, to list.
func decode[T any, PT interface {
	*T
	metav1.Object
}](doc []byte, defaultNamespace string, list *[]PT) error {
	obj := PT(new(T))
	if err := json.Unmarshal(doc, obj); err != nil {
		return err
	}
	if obj.GetNamespace() == "" {
		obj.SetNamespace(defaultNamespace)
	}
	*list = append(*list, obj)
	return nil
}

func (o *Objects) addMissingNamespaces() {
	have := map[string]bool{}
	for _, ns := range o.Namespaces {
		have[ns.Name] = true
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels["kubernetes.io/metadata.name"] = ns.Name
	}
	for _, ns := range o.namespacesInUse() {
		if ns != "" && !have[ns] {
			have[ns] = true
			o.Namespaces = append(o.Namespaces, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
				Name: ns, Labels: map[string]string{"kubernetes.io/metadata.name": ns},
			}})
		}
	}
}

func (o *Objects) namespacesInUse() []string {
	var out []string
	for _, obj := range o.all() {
		out = append(out, obj.GetNamespace())
	}
	return out
}

// all lists every namespaced object.
func (o *Objects) all() []metav1.Object {
	var out []metav1.Object
	out = appendObjects(out, o.Secrets)
	out = appendObjects(out, o.ConfigMaps)
	out = appendObjects(out, o.Prometheuses)
	out = appendObjects(out, o.Alertmanagers)
	out = appendObjects(out, o.ServiceMonitors)
	out = appendObjects(out, o.PodMonitors)
	out = appendObjects(out, o.Probes)
	out = appendObjects(out, o.PrometheusRules)
	out = appendObjects(out, o.AlertmanagerConfigs)
	return appendObjects(out, o.ScrapeConfigs)
}

func appendObjects[T metav1.Object](out []metav1.Object, objs []T) []metav1.Object {
	for _, o := range objs {
		out = append(out, o)
	}
	return out
}

// Pick chooses the object name names (NS/NAME or NAME), or the only one.
func Pick[T metav1.Object](objs []T, name, defaultNamespace string) (T, error) {
	var zero T
	if name == "" {
		if len(objs) == 1 {
			return objs[0], nil
		}
		return zero, fmt.Errorf("the input has %d objects of the kind: choose one with --name", len(objs))
	}
	ns, n, found := strings.Cut(name, "/")
	if !found {
		ns, n = defaultNamespace, name
	}
	for _, o := range objs {
		if o.GetNamespace() == ns && o.GetName() == n {
			return o, nil
		}
	}
	return zero, fmt.Errorf("%s/%s is not in the input", ns, n)
}

// DeepCopy is a copy of objs that shares nothing with it.
func (o *Objects) DeepCopy() *Objects {
	return &Objects{
		Namespaces:          deepCopies(o.Namespaces),
		Secrets:             deepCopies(o.Secrets),
		ConfigMaps:          deepCopies(o.ConfigMaps),
		Prometheuses:        deepCopies(o.Prometheuses),
		Alertmanagers:       deepCopies(o.Alertmanagers),
		ServiceMonitors:     deepCopies(o.ServiceMonitors),
		PodMonitors:         deepCopies(o.PodMonitors),
		Probes:              deepCopies(o.Probes),
		PrometheusRules:     deepCopies(o.PrometheusRules),
		AlertmanagerConfigs: deepCopies(o.AlertmanagerConfigs),
		ScrapeConfigs:       deepCopies(o.ScrapeConfigs),
	}
}

func deepCopies[T interface{ DeepCopy() T }](in []T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, o := range in {
		out[i] = o.DeepCopy()
	}
	return out
}
