package inventory

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// Problem is a document that could not be used.
type Problem struct {
	File, Kind, Namespace, Name string
	Reason                      string
}

func (p Problem) String() string {
	obj := p.Kind
	if p.Name != "" {
		obj += " " + p.Namespace + "/" + p.Name
	}
	if obj == "" {
		return fmt.Sprintf("%s: %s", p.File, p.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, obj, p.Reason)
}

// Inventory is every object read, by kind, in the order read.
type Inventory struct {
	Namespaces          []corev1.Namespace
	Secrets             []corev1.Secret
	ConfigMaps          []corev1.ConfigMap
	Prometheuses        []*monitoringv1.Prometheus
	Alertmanagers       []*monitoringv1.Alertmanager
	ServiceMonitors     []*monitoringv1.ServiceMonitor
	PodMonitors         []*monitoringv1.PodMonitor
	Probes              []*monitoringv1.Probe
	PrometheusRules     []*monitoringv1.PrometheusRule
	AlertmanagerConfigs []*monitoringv1alpha1.AlertmanagerConfig
	ScrapeConfigs       []*monitoringv1alpha1.ScrapeConfig
	Problems            []Problem

	// sources maps kind/namespace/name to the file the object came from.
	sources map[string]string
}

// Source is the file an object was read from.
func (inv *Inventory) Source(kind, namespace, name string) string {
	return inv.sources[kind+"/"+namespace+"/"+name]
}

// kinds maps apiVersion and kind to the decoder that files the object.
var kinds = map[string]func(inv *Inventory, doc []byte, defaultNamespace string) (namespaced, error){
	"v1/Namespace": decodeInto(func(inv *Inventory, o *corev1.Namespace) { inv.Namespaces = append(inv.Namespaces, *o) }),
	"v1/Secret":    decodeInto(func(inv *Inventory, o *corev1.Secret) { inv.Secrets = append(inv.Secrets, *o) }),
	"v1/ConfigMap": decodeInto(func(inv *Inventory, o *corev1.ConfigMap) { inv.ConfigMaps = append(inv.ConfigMaps, *o) }),
	"monitoring.coreos.com/v1/Prometheus": decodeInto(func(inv *Inventory, o *monitoringv1.Prometheus) {
		inv.Prometheuses = append(inv.Prometheuses, o)
	}),
	"monitoring.coreos.com/v1/Alertmanager": decodeInto(func(inv *Inventory, o *monitoringv1.Alertmanager) {
		inv.Alertmanagers = append(inv.Alertmanagers, o)
	}),
	"monitoring.coreos.com/v1/ServiceMonitor": decodeInto(func(inv *Inventory, o *monitoringv1.ServiceMonitor) {
		inv.ServiceMonitors = append(inv.ServiceMonitors, o)
	}),
	"monitoring.coreos.com/v1/PodMonitor": decodeInto(func(inv *Inventory, o *monitoringv1.PodMonitor) {
		inv.PodMonitors = append(inv.PodMonitors, o)
	}),
	"monitoring.coreos.com/v1/Probe": decodeInto(func(inv *Inventory, o *monitoringv1.Probe) { inv.Probes = append(inv.Probes, o) }),
	"monitoring.coreos.com/v1/PrometheusRule": decodeInto(func(inv *Inventory, o *monitoringv1.PrometheusRule) {
		inv.PrometheusRules = append(inv.PrometheusRules, o)
	}),
	"monitoring.coreos.com/v1alpha1/AlertmanagerConfig": decodeInto(func(inv *Inventory, o *monitoringv1alpha1.AlertmanagerConfig) {
		inv.AlertmanagerConfigs = append(inv.AlertmanagerConfigs, o)
	}),
	"monitoring.coreos.com/v1alpha1/ScrapeConfig": decodeInto(func(inv *Inventory, o *monitoringv1alpha1.ScrapeConfig) {
		inv.ScrapeConfigs = append(inv.ScrapeConfigs, o)
	}),
}

// namespaced is the part of an object the loader sets.
type namespaced interface {
	GetNamespace() string
	SetNamespace(string)
}

func decodeInto[T any, PT interface {
	*T
	namespaced
}](file func(*Inventory, PT)) func(*Inventory, []byte, string) (namespaced, error) {
	return func(inv *Inventory, doc []byte, defaultNamespace string) (namespaced, error) {
		obj := PT(new(T))
		if err := manifest.DecodeStrict(doc, obj); err != nil {
			return nil, err
		}
		// Before filing: Secrets, ConfigMaps and Namespaces are filed as
		// copies.
		if obj.GetNamespace() == "" {
			obj.SetNamespace(defaultNamespace)
		}
		file(inv, obj)
		return obj, nil
	}
}

// Load reads every .yaml, .yml and .json file in paths (folders are walked)
// into an inventory. Objects without a namespace get defaultNamespace, as
// with kubectl. Only unreadable files are errors; bad documents are
// Problems.
func Load(paths []string, defaultNamespace string) (*Inventory, error) {
	inv := &Inventory{}
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
			inv.add(f, data, defaultNamespace)
		}
	}
	return inv, nil
}

func manifestFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json":
			if !d.IsDir() {
				files = append(files, p)
			}
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Items []json.RawMessage `json:"items"`
}

func (inv *Inventory) add(file string, data []byte, defaultNamespace string) {
	docs, err := manifest.Documents(data)
	if err != nil {
		inv.Problems = append(inv.Problems, Problem{File: file, Reason: err.Error()})
		return
	}
	for _, doc := range docs {
		inv.addDocument(file, doc, defaultNamespace)
	}
}

func (inv *Inventory) addDocument(file string, doc []byte, defaultNamespace string) {
	var h header
	if err := json.Unmarshal(doc, &h); err != nil {
		inv.Problems = append(inv.Problems, Problem{File: file, Reason: "not a Kubernetes object: " + err.Error()})
		return
	}
	if h.Kind == "List" || strings.HasSuffix(h.Kind, "List") && len(h.Items) > 0 {
		for _, item := range h.Items {
			inv.addDocument(file, item, defaultNamespace)
		}
		return
	}
	decode, ok := kinds[h.APIVersion+"/"+h.Kind]
	if !ok {
		return
	}
	if h.Kind == "Namespace" {
		defaultNamespace = "" // cluster-scoped
	}
	obj, err := decode(inv, doc, defaultNamespace)
	if err != nil {
		inv.Problems = append(inv.Problems, Problem{File: file, Kind: h.Kind, Namespace: h.Metadata.Namespace, Name: h.Metadata.Name, Reason: err.Error()})
		return
	}
	if inv.sources == nil {
		inv.sources = map[string]string{}
	}
	inv.sources[h.Kind+"/"+obj.GetNamespace()+"/"+h.Metadata.Name] = file
}

// NamespaceLabels gives every namespace the objects live in or declare its
// labels. As the API server does, each has kubernetes.io/metadata.name.
func (inv *Inventory) NamespaceLabels() selection.Namespaces {
	out := selection.Namespaces{}
	add := func(name string, labels map[string]string) {
		l := map[string]string{"kubernetes.io/metadata.name": name}
		for k, v := range out[name] {
			l[k] = v
		}
		for k, v := range labels {
			l[k] = v
		}
		out[name] = l
	}
	for _, ns := range inv.Namespaces {
		add(ns.Name, ns.Labels)
	}
	for _, ns := range inv.objectNamespaces() {
		if _, ok := out[ns]; !ok && ns != "" {
			add(ns, nil)
		}
	}
	return out
}

// objectNamespaces lists the namespace of every object read.
func (inv *Inventory) objectNamespaces() []string {
	var out []string
	for i := range inv.Secrets {
		out = append(out, inv.Secrets[i].Namespace)
	}
	for i := range inv.ConfigMaps {
		out = append(out, inv.ConfigMaps[i].Namespace)
	}
	out = appendNamespaces(out, inv.Prometheuses)
	out = appendNamespaces(out, inv.Alertmanagers)
	out = appendNamespaces(out, inv.ServiceMonitors)
	out = appendNamespaces(out, inv.PodMonitors)
	out = appendNamespaces(out, inv.Probes)
	out = appendNamespaces(out, inv.PrometheusRules)
	out = appendNamespaces(out, inv.AlertmanagerConfigs)
	return appendNamespaces(out, inv.ScrapeConfigs)
}

func appendNamespaces[T interface{ GetNamespace() string }](out []string, objs []T) []string {
	for _, o := range objs {
		out = append(out, o.GetNamespace())
	}
	return out
}
