package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// auditPolicy logs every write of the two operators, without bodies.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  users: [` + vigilUser + `, ` + poUser + `]
  verbs: [create, update, patch, delete, deletecollection]
- level: None
`

// The users the operators run as, each in system:masters: the audit log
// tells their writes apart, and neither is refused anything.
const (
	vigilUser = "vigil-operator"
	poUser    = "prometheus-operator"
)

// cluster is one API server for every run.
type cluster struct {
	env    *envtest.Environment
	admin  *rest.Config
	client client.Client
	kube   kubernetes.Interface
	meta   metadata.Interface
	audit  string // the audit log's path
	dir    string
}

// startCluster starts etcd and kube-apiserver with an audit log in dir and
// installs Vigil's CRDs, which both operators read.
func startCluster(ctx context.Context, dir string) (*cluster, error) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return nil, errors.New("KUBEBUILDER_ASSETS is not set: run `make bench-scale`, which builds etcd and kube-apiserver")
	}
	policy := filepath.Join(dir, "audit-policy.yaml")
	if err := os.WriteFile(policy, []byte(auditPolicy), 0o644); err != nil {
		return nil, err
	}
	c := &cluster{env: &envtest.Environment{}, audit: filepath.Join(dir, "audit.log"), dir: dir}
	_ = os.Remove(c.audit)
	c.env.ControlPlane.GetAPIServer().Configure().
		Set("audit-policy-file", policy).
		Set("audit-log-path", c.audit).
		Set("audit-log-format", "json").
		// Room for a ClusterIP per Service (envtest's default has 256).
		Set("service-cluster-ip-range", "10.96.0.0/12")
	cfg, err := c.env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting kube-apiserver: %w", err)
	}
	cfg.QPS, cfg.Burst = 2000, 4000
	c.admin = cfg
	if c.client, err = client.New(cfg, client.Options{Scheme: testenv.Scheme()}); err == nil {
		if c.kube, err = kubernetes.NewForConfig(cfg); err == nil {
			c.meta, err = metadata.NewForConfig(cfg)
		}
	}
	if err == nil {
		err = testenv.InstallCRDs(ctx, c.client, testenv.CRDDir())
	}
	if err != nil {
		_ = c.env.Stop()
		return nil, err
	}
	return c, nil
}

func (c *cluster) stop() { _ = c.env.Stop() }

// user adds a user in system:masters.
func (c *cluster) user(name string) (*envtest.AuthenticatedUser, error) {
	return c.env.AddUser(envtest.User{Name: name, Groups: []string{"system:masters"}}, nil)
}

// emptied are the kinds a run leaves behind, its own and the operators'.
var emptied = []schema.GroupVersionResource{
	monitoringv1.GroupVersion.WithResource("servicemonitors"),
	monitoringv1.GroupVersion.WithResource("prometheuses"),
	corev1.SchemeGroupVersion.WithResource("services"),
	corev1.SchemeGroupVersion.WithResource("secrets"),
	corev1.SchemeGroupVersion.WithResource("configmaps"),
	corev1.SchemeGroupVersion.WithResource("serviceaccounts"),
	corev1.SchemeGroupVersion.WithResource("events"),
	appsv1.SchemeGroupVersion.WithResource("statefulsets"),
	rbacv1.SchemeGroupVersion.WithResource("roles"),
	rbacv1.SchemeGroupVersion.WithResource("rolebindings"),
}

// empty deletes every object of the emptied kinds but the API server's
// own, finalizers dropped (no operator runs to remove them), so that the
// next run starts where this one did. There is no garbage collector:
// owned objects are deleted here too.
func (c *cluster) empty(ctx context.Context) error {
	for _, gvr := range emptied {
		list, err := c.meta.Resource(gvr).List(ctx, metav1.ListOptions{})
		if err != nil {
			return fmt.Errorf("listing %s: %w", gvr.Resource, err)
		}
		var (
			mu   sync.Mutex
			errs []error
			wg   sync.WaitGroup
			work = make(chan metav1.PartialObjectMetadata)
		)
		for range 16 {
			wg.Go(func() {
				for o := range work {
					if err := c.remove(ctx, gvr, o); err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}
			})
		}
		for _, o := range list.Items {
			if !apiServersOwn(o) {
				work <- o
			}
		}
		close(work)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	return nil
}

func (c *cluster) remove(ctx context.Context, gvr schema.GroupVersionResource, o metav1.PartialObjectMetadata) error {
	r := c.meta.Resource(gvr).Namespace(o.Namespace)
	if len(o.Finalizers) > 0 {
		if _, err := r.Patch(ctx, o.Name, types.MergePatchType, []byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("dropping the finalizers of %s %s/%s: %w", gvr.Resource, o.Namespace, o.Name, err)
		}
	}
	if err := r.Delete(ctx, o.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting %s %s/%s: %w", gvr.Resource, o.Namespace, o.Name, err)
	}
	return nil
}

// apiServersOwn are the objects kube-apiserver makes for itself.
func apiServersOwn(o metav1.PartialObjectMetadata) bool {
	switch o.Namespace {
	case metav1.NamespaceSystem, metav1.NamespacePublic, corev1.NamespaceNodeLease:
		return true
	}
	return o.Namespace == metav1.NamespaceDefault && o.Name == "kubernetes"
}
