package oracle

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blang/semver/v4"
	"github.com/prometheus-operator/prometheus-operator/pkg/alertmanager"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	"github.com/prometheus-operator/prometheus-operator/pkg/operator"
	"github.com/prometheus/client_golang/prometheus"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// AlertmanagerCertsDir is where Prometheus Operator mounts the TLS assets
// in Alertmanager pods.
const AlertmanagerCertsDir = "/etc/alertmanager/certs/"

// AlertmanagerOutput is what Prometheus Operator writes for one
// Alertmanager.
type AlertmanagerOutput struct {
	// Config is alertmanager.yaml: the alertmanager.yaml.gz key of the
	// Secret alertmanager-<name>-generated, gunzipped.
	Config []byte
	// TLSAssets are the files Prometheus Operator mounts under
	// AlertmanagerCertsDir, by file name.
	TLSAssets map[string][]byte
	// Rejected are the AlertmanagerConfigs left out: the ones the API
	// server refuses to store, and the ones Prometheus Operator selected
	// and refused, with the reason from its log.
	Rejected []Rejection
}

// SyncError is Prometheus Operator refusing to configure the Alertmanager
// at all (spec.alertmanagerConfiguration naming an AlertmanagerConfig that
// does not exist, a base configuration that does not load): its reconcile
// fails before it writes alertmanager.yaml.
type SyncError struct{ Err error }

func (e *SyncError) Error() string {
	return "Prometheus Operator writes no configuration: " + e.Err.Error()
}

func (e *SyncError) Unwrap() error { return e.Err }

// oracleControllerID makes Prometheus Operator's work queue skip every
// Alertmanager (it only reconciles objects annotated with its controller
// ID), so that the one reconcile is the oracle's own call to Sync, not one
// racing with it.
const oracleControllerID = "vigil-compat-oracle"

// Alertmanager runs Prometheus Operator's Alertmanager controller on the
// API server holding objs' Namespaces, Secrets, ConfigMaps and
// AlertmanagerConfigs, and am, and returns the configuration its reconcile
// of am writes. The controller is Prometheus Operator's own (New, its
// informers synced by Run), set up as its main sets it up, and
// Sync("namespace/name") is its reconcile: selection, checks, the
// configuration Secret or spec.alertmanagerConfiguration, generation. A
// reconcile that writes no configuration is a *SyncError.
//
// Rejections: in v0.93.0 the Alertmanager controller writes no status on
// AlertmanagerConfigs (WithConfigResourceStatus changes nothing there),
// and its event recorder cannot be read from outside, so the refusals
// come from its log ("skipping alertmanagerconfig", with the error).
func (s *APIServer) Alertmanager(ctx context.Context, objs *Objects, am *monitoringv1.Alertmanager) (*AlertmanagerOutput, error) {
	if err := s.reset(ctx); err != nil {
		return nil, fmt.Errorf("emptying the API server: %w", err)
	}
	refused, err := s.put(ctx, objs, am)
	if err != nil {
		return nil, err
	}
	log := &rejectionLog{}
	op, stop, err := s.startAlertmanagerController(ctx, slog.New(log))
	if err != nil {
		return nil, err
	}
	defer stop()
	syncErr := op.Sync(ctx, am.Namespace+"/"+am.Name)

	out := &AlertmanagerOutput{Rejected: append(refused, log.get()...)}
	slices.SortFunc(out.Rejected, func(a, b Rejection) int { return strings.Compare(a.String(), b.String()) })
	out.Config, err = generatedConfig(ctx, s.kube, am)
	switch {
	case apierrors.IsNotFound(err) && syncErr != nil:
		return out, &SyncError{Err: syncErr}
	case err != nil:
		return nil, err
	case syncErr != nil:
		// The configuration is written; what failed is the rest of the
		// reconcile (StatefulSet, Services), which the oracle does not
		// compare, but which should work on an API server.
		return nil, fmt.Errorf("Prometheus Operator's reconcile wrote the configuration, then failed: %w", syncErr)
	}
	out.TLSAssets, err = tlsAssets(ctx, s.kube, am)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// startAlertmanagerController creates Prometheus Operator's Alertmanager
// controller with the configuration its main builds from default flags,
// runs it and waits until its informers have synced. stop stops it.
func (s *APIServer) startAlertmanagerController(ctx context.Context, logger *slog.Logger) (op *alertmanager.Operator, stop func(), err error) {
	version, err := s.kube.Discovery().ServerVersion()
	if err != nil {
		return nil, nil, err
	}
	cfg := operator.DefaultConfig("10m", "50Mi")
	if cfg.KubernetesVersion, err = semver.ParseTolerant(version.String()); err != nil {
		return nil, nil, err
	}
	cfg.ReloaderConfig.Image = operator.DefaultPrometheusConfigReloaderImage
	cfg.AlertmanagerDefaultBaseImage = operator.DefaultAlertmanagerBaseImage
	cfg.LocalHost = "localhost"
	cfg.ControllerID = oracleControllerID
	cfg.EventRecorderFactory = func(kubernetes.Interface, string) operator.NewEventRecorderFunc {
		return func(related runtime.Object) *operator.EventRecorder {
			// A buffer nobody reads; a full one would block the reconcile.
			return operator.NewFakeRecorder(1<<12, related)
		}
	}
	if err := cfg.Namespaces.Finalize(); err != nil {
		return nil, nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	reg := prometheus.NewRegistry()
	op, err = alertmanager.New(runCtx, s.config, cfg, logger, reg)
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("Prometheus Operator's Alertmanager controller: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- op.Run(runCtx) }()
	stop = func() { cancel(); <-done }
	if err := waitReady(runCtx, reg, done); err != nil {
		stop()
		return nil, nil, err
	}
	return op, stop, nil
}

// waitReady waits until the controller reports itself ready, which Run
// does once its informers have synced.
func waitReady(ctx context.Context, reg *prometheus.Registry, done <-chan error) error {
	err := wait.PollUntilContextTimeout(ctx, 5*time.Millisecond, time.Minute, true, func(context.Context) (bool, error) {
		select {
		case err := <-done:
			return false, fmt.Errorf("Prometheus Operator's Alertmanager controller stopped: %v", err)
		default:
		}
		families, err := reg.Gather()
		if err != nil {
			return false, err
		}
		for _, f := range families {
			if f.GetName() == "prometheus_operator_ready" {
				for _, m := range f.GetMetric() {
					if m.GetGauge().GetValue() == 1 {
						return true, nil
					}
				}
			}
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("waiting for Prometheus Operator's Alertmanager controller to sync its informers: %w", err)
	}
	return nil
}

// generatedConfig reads alertmanager.yaml from the Secret Prometheus
// Operator writes for am.
func generatedConfig(ctx context.Context, kube kubernetes.Interface, am *monitoringv1.Alertmanager) ([]byte, error) {
	name := "alertmanager-" + am.Name + "-generated"
	secret, err := kube.CoreV1().Secrets(am.Namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	gz, ok := secret.Data["alertmanager.yaml.gz"]
	if !ok {
		return nil, fmt.Errorf("Secret %s/%s has no key alertmanager.yaml.gz", am.Namespace, name)
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("Secret %s/%s: %w", am.Namespace, name, err)
	}
	return io.ReadAll(r)
}

// tlsAssets reads the files of the Secrets alertmanager-<name>-tls-assets-N.
func tlsAssets(ctx context.Context, kube kubernetes.Interface, am *monitoringv1.Alertmanager) (map[string][]byte, error) {
	list, err := kube.CoreV1().Secrets(am.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	prefix := "alertmanager-" + am.Name + "-tls-assets-"
	out := map[string][]byte{}
	for _, s := range list.Items {
		if strings.HasPrefix(s.Name, prefix) {
			for k, v := range s.Data {
				out[k] = v
			}
		}
	}
	return out, nil
}

// rejectionLog is a log handler that keeps what Prometheus Operator's
// Alertmanager controller logs when it refuses an AlertmanagerConfig and
// drops everything else.
type rejectionLog struct {
	mu       sync.Mutex
	rejected []Rejection
}

func (h *rejectionLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *rejectionLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "skipping alertmanagerconfig" {
		return nil
	}
	var key, reason string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "alertmanagerconfig":
			key = a.Value.String()
		case "error":
			reason = a.Value.String()
		}
		return true
	})
	ns, name, ok := strings.Cut(key, "/")
	if !ok {
		return errors.New("skipping alertmanagerconfig: no namespace/name in the record")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rejected = append(h.rejected, Rejection{Kind: monitoringv1alpha1.AlertmanagerConfigKind, Namespace: ns, Name: name, Reason: reason})
	return nil
}

func (h *rejectionLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *rejectionLog) WithGroup(string) slog.Handler      { return h }

func (h *rejectionLog) get() []Rejection {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.rejected)
}
