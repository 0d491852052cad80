// Package harness brings Vigil up on the local cluster (package
// e2e/cluster) as a user would: it builds Vigil's binaries, starts the
// control plane and the process-backed node with the images mapped to
// those binaries and to the pinned Prometheus and Alertmanager builds,
// installs the CRDs and the operator with `kubectl apply` of config/, and
// offers the waits and API reads that `make dev` and the end-to-end tests
// share.
package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/vigil-monitoring/vigil/e2e/cluster"
	"github.com/vigil-monitoring/vigil/internal/workload"
)

// The Prometheus and Alertmanager builds the node runs: the operator's
// default versions, which hack/tools/install.sh pins.
const (
	PrometheusVersion   = workload.DefaultPrometheusVersion
	AlertmanagerVersion = workload.DefaultAlertmanagerVersion
)

// Options says where things are.
type Options struct {
	// Repo is the root of the Vigil checkout.
	Repo string
	// Dir holds the cluster's state and Vigil's binaries.
	Dir string
	// ToolDir is the tool cache ($VIGIL_BIN).
	ToolDir  string
	Progress io.Writer
}

// Env is Vigil running on a local cluster.
type Env struct {
	Options
	Cluster *cluster.Cluster
	Client  kubernetes.Interface
	// PrometheusURL and AlertmanagerURL are config/samples/dev's servers,
	// once DeployDev has run.
	PrometheusURL, AlertmanagerURL string
	// Timings are the steps' durations, in order, for the summary.
	Timings []Timing
}

// Timing is one measured step.
type Timing struct {
	Step string
	Took time.Duration
}

// binaries are Vigil's own programs the node runs, by image repository.
var binaries = []struct{ pkg, name, image string }{
	{"./cmd/operator", "operator", "ghcr.io/vigil-monitoring/operator"},
	{"./cmd/config-reloader", "config-reloader", "ghcr.io/vigil-monitoring/config-reloader"},
	{"./cmd/example-app", "example-app", "vigil/example-app"},
	{"./e2e/cmd/vigil-node", "vigil-node", ""},
}

// Up builds Vigil's binaries, starts the cluster and deploys the operator
// (CRDs, RBAC, Deployment and its ServiceMonitor: config/default), waiting
// until the operator is Ready.
func Up(ctx context.Context, o Options) (*Env, error) {
	e := &Env{Options: o}
	if e.Progress == nil {
		e.Progress = io.Discard
	}
	start := time.Now()
	bin := filepath.Join(o.Dir, "bin")
	if err := e.build(ctx, bin); err != nil {
		return nil, err
	}
	e.mark("Vigil built", start)

	args, err := e.imageArgs(bin)
	if err != nil {
		return nil, err
	}
	start = time.Now()
	c, err := cluster.Start(ctx, cluster.Options{
		Dir:      filepath.Join(o.Dir, "cluster"),
		BinDir:   o.ToolDir,
		Progress: e.Progress,
		Node:     &cluster.NodeOptions{Name: "vigil-node", Binary: filepath.Join(bin, "vigil-node"), Args: args},
	})
	if err != nil {
		return nil, err
	}
	e.Cluster = c
	e.mark("cluster up", start)
	if e.Client, err = kubernetes.NewForConfig(c.Config); err != nil {
		e.Down()
		return nil, err
	}

	start = time.Now()
	if err := e.deployOperator(ctx); err != nil {
		e.Down()
		return nil, err
	}
	e.mark("operator Ready", start)
	return e, nil
}

// Down stops the cluster.
func (e *Env) Down() {
	if e.Cluster != nil {
		if err := e.Cluster.Stop(); err != nil {
			fmt.Fprintf(e.Progress, "stopping the cluster: %v\n", err)
		}
	}
}

func (e *Env) mark(step string, since time.Time) {
	t := Timing{step, time.Since(since)}
	e.Timings = append(e.Timings, t)
	fmt.Fprintf(e.Progress, "%s (%s)\n", step, t.Took.Round(10*time.Millisecond))
}

func (e *Env) build(ctx context.Context, bin string) error {
	for _, b := range binaries {
		fmt.Fprintf(e.Progress, "Building %s (go build %s)\n", b.name, b.pkg)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(bin, b.name), b.pkg)
		cmd.Dir = e.Repo
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", b.pkg, err, out)
		}
	}
	return nil
}

// imageArgs are the node's --image flags: Vigil's images run the binaries
// just built, Prometheus's and Alertmanager's the pinned builds.
func (e *Env) imageArgs(bin string) ([]string, error) {
	args := []string{
		"--image=quay.io/prometheus/prometheus=" + filepath.Join(e.ToolDir, "prometheus-"+PrometheusVersion) + "@" + PrometheusVersion,
		"--image=quay.io/prometheus/alertmanager=" + filepath.Join(e.ToolDir, "alertmanager-"+AlertmanagerVersion) + "@" + AlertmanagerVersion,
	}
	for _, b := range binaries {
		if b.image != "" {
			args = append(args, "--image="+b.image+"="+filepath.Join(bin, b.name))
		}
	}
	for _, t := range []string{"prometheus-" + PrometheusVersion, "alertmanager-" + AlertmanagerVersion, "kubectl-" + cluster.KubernetesVersion} {
		if _, err := os.Stat(filepath.Join(e.ToolDir, t)); err != nil {
			return nil, fmt.Errorf("%s is not in %s: build it with make e2e-tools", t, e.ToolDir)
		}
	}
	return args, nil
}

// Kubectl runs the cluster's kubectl, from the repository.
func (e *Env) Kubectl(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := e.Cluster.Kubectl(ctx, args...)
	cmd.Dir = e.Repo
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// Apply applies a kustomization (a directory) or a manifest on stdin,
// server-side, as make deploy does.
func (e *Env) Apply(ctx context.Context, dirOrManifest string) error {
	var err error
	if strings.Contains(dirOrManifest, "\n") {
		_, err = e.Kubectl(ctx, []byte(dirOrManifest), "apply", "--server-side", "--force-conflicts", "-f", "-")
	} else {
		_, err = e.Kubectl(ctx, nil, "apply", "--server-side", "--force-conflicts", "-k", dirOrManifest)
	}
	return err
}

func (e *Env) deployOperator(ctx context.Context) error {
	fmt.Fprintln(e.Progress, "Installing the CRDs (kubectl apply --server-side -k config/crd)")
	if err := e.Apply(ctx, "config/crd"); err != nil {
		return err
	}
	if _, err := e.Kubectl(ctx, nil, "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"); err != nil {
		return err
	}
	fmt.Fprintln(e.Progress, "Deploying the operator (kubectl apply --server-side -k config/default, as make deploy)")
	if err := e.Apply(ctx, "config/default"); err != nil {
		return err
	}
	return e.WaitDeployment(ctx, "vigil-system", "vigil-operator", 2*time.Minute)
}

// WaitDeployment waits until every replica of a Deployment is available.
func (e *Env) WaitDeployment(ctx context.Context, namespace, name string, timeout time.Duration) error {
	return e.poll(ctx, timeout, fmt.Sprintf("Deployment %s/%s available", namespace, name), func(ctx context.Context) (bool, error) {
		d, err := e.Client.AppsV1().Deployments(namespace).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return deploymentAvailable(d), nil
	})
}

func deploymentAvailable(d *appsv1.Deployment) bool {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	return d.Status.ObservedGeneration >= d.Generation && d.Status.UpdatedReplicas == want && d.Status.AvailableReplicas == want
}

// WaitPod waits until a pod is Ready and returns it.
func (e *Env) WaitPod(ctx context.Context, namespace, name string, timeout time.Duration) (*corev1.Pod, error) {
	var pod *corev1.Pod
	err := e.poll(ctx, timeout, fmt.Sprintf("pod %s/%s Ready", namespace, name), func(ctx context.Context) (bool, error) {
		p, err := e.Client.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		pod = p
		return PodReady(p), nil
	})
	return pod, err
}

// PodReady says a pod is Ready and not being deleted.
func PodReady(p *corev1.Pod) bool {
	if p.DeletionTimestamp != nil {
		return false
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// poll calls check every 200 ms until it says done, fails or the timeout
// passes; the error then says what was awaited and, for pods, what the
// namespace's pods are doing.
func (e *Env) poll(ctx context.Context, timeout time.Duration, what string, check func(context.Context) (bool, error)) error {
	var last error
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		ok, err := check(ctx)
		if err != nil {
			last = err
			return false, nil
		}
		return ok, nil
	})
	if err != nil {
		if last != nil {
			return fmt.Errorf("waiting for %s: %w (last error: %v)", what, err, last)
		}
		return fmt.Errorf("waiting for %s: %w%s", what, err, e.podSummary(context.Background()))
	}
	return nil
}

// podSummary lists the pods that are not Ready with their containers'
// states, for an error message.
func (e *Env) podSummary(ctx context.Context) string {
	pods, err := e.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, p := range pods.Items {
		if PodReady(&p) {
			continue
		}
		fmt.Fprintf(&b, "\n  pod %s/%s %s", p.Namespace, p.Name, p.Status.Phase)
		for _, cs := range append(p.Status.InitContainerStatuses, p.Status.ContainerStatuses...) {
			switch {
			case cs.State.Waiting != nil:
				fmt.Fprintf(&b, "; %s waiting: %s %s", cs.Name, cs.State.Waiting.Reason, cs.State.Waiting.Message)
			case cs.State.Terminated != nil:
				fmt.Fprintf(&b, "; %s terminated: %d %s", cs.Name, cs.State.Terminated.ExitCode, cs.State.Terminated.Reason)
			default:
				fmt.Fprintf(&b, "; %s running, ready=%v, restarts=%d", cs.Name, cs.Ready, cs.RestartCount)
			}
		}
	}
	return b.String()
}

// Poll calls check every 200 ms until it returns true, for at most
// timeout; the error says what was awaited, with the last error check
// returned or the pods that are not Ready.
func (e *Env) Poll(ctx context.Context, timeout time.Duration, what string, check func(context.Context) (bool, error)) error {
	return e.poll(ctx, timeout, what, check)
}
