package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/scheme"
)

// FieldOwner is the field manager Vigil's tests apply objects with.
const FieldOwner = client.FieldOwner("vigil-test")

// Env is a running control plane with Vigil's CRDs installed.
type Env struct {
	Config *rest.Config
	Client client.Client
	env    *envtest.Environment
}

// Start starts etcd and kube-apiserver and installs every CRD in
// config/crd/bases. Stop must be called when the tests are done.
func Start(ctx context.Context) (*Env, error) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return nil, errors.New("KUBEBUILDER_ASSETS is not set: run the tests with `make test`, which builds etcd and kube-apiserver and points KUBEBUILDER_ASSETS at them")
	}
	te := &envtest.Environment{}
	cfg, err := te.Start()
	if err != nil {
		return nil, fmt.Errorf("starting control plane: %w", err)
	}
	cfg.QPS, cfg.Burst = 200, 400
	c, err := client.New(cfg, client.Options{Scheme: Scheme()})
	if err != nil {
		_ = te.Stop()
		return nil, fmt.Errorf("creating client: %w", err)
	}
	e := &Env{Config: cfg, Client: c, env: te}
	if err := InstallCRDs(ctx, c, CRDDir()); err != nil {
		_ = te.Stop()
		return nil, err
	}
	return e, nil
}

// Stop stops the control plane.
func (e *Env) Stop() error { return e.env.Stop() }

// Scheme knows the built-in kinds, CRDs and Vigil's API.
func Scheme() *runtime.Scheme {
	return scheme.New(apiextensionsv1.AddToScheme)
}

// RepoRoot is the root of the Vigil repository this package was built from.
func RepoRoot() string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// KubePrometheusDir holds kube-prometheus's manifests, which the team shares
// beside the repository (../shared).
func KubePrometheusDir() string {
	return filepath.Join(RepoRoot(), "..", "shared", "testdata", "kube-prometheus")
}

// CRDDir is where the generated CRDs live.
func CRDDir() string { return filepath.Join(RepoRoot(), "config", "crd", "bases") }

// InstallCRDs applies every CRD in dir server-side and waits until each is
// Established. Server-side apply, because Vigil's CRDs are larger than the
// last-applied annotation that client-side apply writes may be.
func InstallCRDs(ctx context.Context, c client.Client, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no CRDs in %s: run make manifests", dir)
	}
	var names []string
	for _, f := range files {
		objs, err := manifest.ReadFile(f)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if err := Apply(ctx, c, o); err != nil {
				return fmt.Errorf("applying CRD from %s: %w", f, err)
			}
			names = append(names, o.GetName())
		}
	}
	for _, name := range names {
		if err := waitEstablished(ctx, c, name); err != nil {
			return err
		}
	}
	return nil
}

// Apply applies obj server-side, taking
// ownership of every field it sets.
func Apply(ctx context.Context, c client.Client, obj *unstructured.Unstructured) error {
	return c.Apply(ctx, client.ApplyConfigurationFromUnstructured(obj), FieldOwner, client.ForceOwnership)
}

func waitEstablished(ctx context.Context, c client.Client, name string) error {
	return wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		var crd apiextensionsv1.CustomResourceDefinition
		if err := c.Get(ctx, client.ObjectKey{Name: name}, &crd); err != nil {
			return false, client.IgnoreNotFound(err)
		}
		for _, cond := range crd.Status.Conditions {
			if cond.Type == apiextensionsv1.Established && cond.Status == apiextensionsv1.ConditionTrue {
				return true, nil
			}
		}
		return false, nil
	})
}

// Run is a test package's TestMain body: it starts the control plane,
// hands it to setup (which may be nil), runs the tests and stops it,
// returning the exit code.
func Run(m *testing.M, setup func(*Env) error) int {
	env, err := Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping control plane:", err)
		}
	}()
	if setup != nil {
		if err := setup(env); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return m.Run()
}
