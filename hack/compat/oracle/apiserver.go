package oracle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-logr/logr"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	monitoringclient "github.com/prometheus-operator/prometheus-operator/pkg/client/versioned"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

// EnvtestAssets is the folder, under $VIGIL_BIN, where `make
// envtest-assets` links etcd and kube-apiserver (the Makefile's
// K8S_VERSION); KUBEBUILDER_ASSETS, when set, wins.
const EnvtestAssets = "envtest-v1.37.2"

// apiServerKinds are the CRDs installed: the kinds the controllers run on
// an API server read. Prometheus Operator's Alertmanager controller reads
// Alertmanagers and AlertmanagerConfigs.
var apiServerKinds = []string{monitoringv1.AlertmanagersKind, monitoringv1alpha1.AlertmanagerConfigKind}

// APIServer is etcd and kube-apiserver (controller-runtime's envtest)
// serving Prometheus Operator's CRDs, for the parts of Prometheus Operator
// that only run as its controller does, against an API server. Starting
// one takes seconds: start one per test binary and reuse it; each run
// empties it of the previous run's objects first.
type APIServer struct {
	env    *envtest.Environment
	config *rest.Config
	kube   kubernetes.Interface
	mon    monitoringclient.Interface
	meta   metadata.Interface
}

// StartAPIServer starts etcd and kube-apiserver and installs Prometheus
// Operator's CRDs (example/prometheus-operator-crd-full) of the kinds the
// oracle runs controllers for. Stop stops them.
func StartAPIServer() (*APIServer, error) {
	assets, err := envtestAssets()
	if err != nil {
		return nil, err
	}
	// The controllers' informers log through klog, a line per informer
	// per run, and envtest through controller-runtime's logger; the oracle
	// reads what it needs from the controllers' own loggers.
	klog.SetSlogLogger(slog.New(slog.DiscardHandler))
	ctrllog.SetLogger(logr.Discard())
	all, err := crds()
	if err != nil {
		return nil, err
	}
	var install []*apiextensionsv1.CustomResourceDefinition
	for _, c := range all {
		if slices.Contains(apiServerKinds, c.Spec.Names.Kind) {
			install = append(install, c.DeepCopy())
		}
	}
	env := &envtest.Environment{BinaryAssetsDirectory: assets, CRDs: install}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting kube-apiserver (envtest, %s): %w", assets, err)
	}
	cfg.QPS, cfg.Burst = 500, 1000
	s := &APIServer{env: env, config: cfg}
	if s.kube, err = kubernetes.NewForConfig(cfg); err == nil {
		if s.mon, err = monitoringclient.NewForConfig(cfg); err == nil {
			s.meta, err = metadata.NewForConfig(cfg)
		}
	}
	if err != nil {
		_ = env.Stop()
		return nil, err
	}
	return s, nil
}

// Stop stops kube-apiserver and etcd.
func (s *APIServer) Stop() error { return s.env.Stop() }

// envtestAssets is KUBEBUILDER_ASSETS, or the folder `make envtest-assets`
// fills, so that a plain `go test ./...` finds the binaries too.
func envtestAssets() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	bin := os.Getenv("VIGIL_BIN")
	if bin == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		bin = filepath.Join(cache, "vigil", "bin")
	}
	dir := filepath.Join(bin, EnvtestAssets)
	if _, err := os.Stat(filepath.Join(dir, "kube-apiserver")); err != nil {
		return "", fmt.Errorf("KUBEBUILDER_ASSETS is not set and %s has no kube-apiserver: run `make envtest-assets` "+
			"(make test-compat does) to build etcd and kube-apiserver", dir)
	}
	return dir, nil
}

// resetResources are the kinds runs create, theirs and the controllers'.
var resetResources = []schema.GroupVersionResource{
	corev1.SchemeGroupVersion.WithResource("secrets"),
	corev1.SchemeGroupVersion.WithResource("configmaps"),
	corev1.SchemeGroupVersion.WithResource("services"),
	appsv1.SchemeGroupVersion.WithResource("statefulsets"),
	monitoringv1.SchemeGroupVersion.WithResource(monitoringv1.AlertmanagerName),
	monitoringv1alpha1.SchemeGroupVersion.WithResource(monitoringv1alpha1.AlertmanagerConfigName),
}

// kept are the API server's own objects, which a reset keeps.
func kept(o metav1.PartialObjectMetadata) bool {
	switch o.Namespace {
	case metav1.NamespaceSystem, metav1.NamespacePublic, corev1.NamespaceNodeLease:
		return true
	}
	return o.Namespace == metav1.NamespaceDefault && o.Name == "kubernetes" // the API server's Service
}

// reset deletes every object of resetResources but the API server's own.
// Namespaces stay: without kube-controller-manager a deleted namespace
// never goes away; they are empty, and put sets the labels of the ones a
// run uses.
func (s *APIServer) reset(ctx context.Context) error {
	var errs []error
	for _, gvr := range resetResources {
		client := s.meta.Resource(gvr)
		list, err := client.List(ctx, metav1.ListOptions{})
		if err != nil {
			errs = append(errs, fmt.Errorf("listing %s: %w", gvr.Resource, err))
			continue
		}
		for _, o := range list.Items {
			if kept(o) {
				continue
			}
			if err := client.Namespace(o.Namespace).Delete(ctx, o.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("deleting %s %s/%s: %w", gvr.Resource, o.Namespace, o.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// put creates objs' Namespaces (or sets the labels of the ones that
// exist), Secrets, ConfigMaps and AlertmanagerConfigs, and am, as a user
// applying the manifests would. An AlertmanagerConfig the API server
// refuses (its CRD's validation) is returned as refused; any other
// refusal is an error.
func (s *APIServer) put(ctx context.Context, objs *Objects, am *monitoringv1.Alertmanager) (refused []Rejection, err error) {
	for _, ns := range objs.Namespaces {
		if err := s.putNamespace(ctx, ns.Name, ns.Labels); err != nil {
			return nil, err
		}
	}
	for _, o := range objs.Secrets {
		o = o.DeepCopy()
		clearServerFields(&o.ObjectMeta)
		if _, err := s.kube.CoreV1().Secrets(o.Namespace).Create(ctx, o, metav1.CreateOptions{}); err != nil {
			return nil, fmt.Errorf("creating Secret %s/%s: %w", o.Namespace, o.Name, err)
		}
	}
	for _, o := range objs.ConfigMaps {
		o = o.DeepCopy()
		clearServerFields(&o.ObjectMeta)
		if _, err := s.kube.CoreV1().ConfigMaps(o.Namespace).Create(ctx, o, metav1.CreateOptions{}); err != nil {
			return nil, fmt.Errorf("creating ConfigMap %s/%s: %w", o.Namespace, o.Name, err)
		}
	}
	for _, o := range objs.AlertmanagerConfigs {
		o = o.DeepCopy()
		clearServerFields(&o.ObjectMeta)
		_, err := s.mon.MonitoringV1alpha1().AlertmanagerConfigs(o.Namespace).Create(ctx, o, metav1.CreateOptions{})
		switch {
		case apierrors.IsInvalid(err) || apierrors.IsBadRequest(err):
			refused = append(refused, Rejection{Kind: monitoringv1alpha1.AlertmanagerConfigKind, Namespace: o.Namespace, Name: o.Name,
				Reason: "the API server refuses it: " + err.Error()})
		case err != nil:
			return nil, fmt.Errorf("creating AlertmanagerConfig %s/%s: %w", o.Namespace, o.Name, err)
		}
	}
	am = am.DeepCopy()
	clearServerFields(&am.ObjectMeta)
	if _, err := s.mon.MonitoringV1().Alertmanagers(am.Namespace).Create(ctx, am, metav1.CreateOptions{}); err != nil {
		return nil, fmt.Errorf("creating Alertmanager %s/%s: %w", am.Namespace, am.Name, err)
	}
	return refused, nil
}

// putNamespace creates the namespace, or gives the existing one exactly
// these labels.
func (s *APIServer) putNamespace(ctx context.Context, name string, labels map[string]string) error {
	client := s.kube.CoreV1().Namespaces()
	ns, err := client.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}, metav1.CreateOptions{})
		return err
	}
	if err != nil {
		return err
	}
	ns.Labels = labels
	_, err = client.Update(ctx, ns, metav1.UpdateOptions{})
	return err
}

func clearServerFields(m *metav1.ObjectMeta) {
	m.ResourceVersion, m.UID, m.Generation = "", "", 0
	m.CreationTimestamp = metav1.Time{}
	m.ManagedFields, m.OwnerReferences = nil, nil
}
