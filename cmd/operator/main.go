// Command operator is Vigil's operator: the controller-runtime manager
// with the reconcilers, its metrics (controller-runtime's and Vigil's,
// vigil_*) and health probes. Its flags are Prometheus Operator's where
// they mean the same.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/vigil-monitoring/vigil/controllers"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/logging"
	"github.com/vigil-monitoring/vigil/internal/workload"
	"github.com/vigil-monitoring/vigil/monitoring"
)

type list []string

func (l *list) String() string { return strings.Join(*l, ",") }
func (l *list) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// config is what the flags say.
type config struct {
	namespaces, denyNamespaces        list
	metricsAddr, probeAddr, pprofAddr string
	leaderElection                    bool
	leaderElectionNamespace           string
	logLevel, logFormat               string
	fileReferences                    assets.FileReferencePolicy
	kubeletService                    string
	workload                          workload.Options
}

func parse(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("operator", flag.ContinueOnError)
	fs.Var(&c.namespaces, "namespaces", "namespaces to watch, comma-separated (repeatable); all when empty")
	fs.Var(&c.denyNamespaces, "deny-namespaces", "namespaces not to watch, comma-separated; only when --namespaces is empty")
	fs.StringVar(&c.metricsAddr, "metrics-bind-address", ":8080", "address of /metrics; 0 turns it off")
	fs.StringVar(&c.probeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	fs.StringVar(&c.pprofAddr, "pprof-bind-address", "", "address of Go's /debug/pprof profiles; off when empty")
	fs.BoolVar(&c.leaderElection, "leader-elect", false, "elect a leader, so that several replicas run one at a time")
	fs.StringVar(&c.leaderElectionNamespace, "leader-election-namespace", "", "namespace of the leader election lease; the pod's by default")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", "logfmt", "logfmt or json")
	fs.Var(&c.fileReferences, "file-references", "which objects may make Prometheus or Alertmanager use files of its own container: "+
		"all (as Prometheus Operator), prometheus-namespace (only objects in the owner's namespace) or none")
	fs.StringVar(&c.kubeletService, "kubelet-service", "", "NAMESPACE/NAME of a headless Service (with Endpoints and an EndpointSlice) "+
		"listing every Node's kubelet, as kube-prometheus's kubelet ServiceMonitor expects (kube-system/kubelet); off when empty")
	fs.StringVar(&c.workload.PrometheusBaseImage, "prometheus-default-base-image", workload.DefaultPrometheusBaseImage, "Prometheus image, without tag")
	fs.StringVar(&c.workload.AlertmanagerBaseImage, "alertmanager-default-base-image", workload.DefaultAlertmanagerBaseImage, "Alertmanager image, without tag")
	fs.StringVar(&c.workload.ConfigReloaderImage, "prometheus-config-reloader", "", "config-reloader image; Vigil's of this version by default")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if len(c.namespaces) > 0 && len(c.denyNamespaces) > 0 {
		return nil, errors.New("--namespaces and --deny-namespaces exclude each other")
	}
	return c, nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "operator:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	logger, err := logging.New(os.Stderr, c.logLevel, c.logFormat)
	if err != nil {
		return err
	}
	ctrl.SetLogger(logr.FromSlogHandler(logger.Handler()))

	opts := ctrl.Options{
		Metrics:                 metricsserver.Options{BindAddress: c.metricsAddr},
		HealthProbeBindAddress:  c.probeAddr,
		PprofBindAddress:        c.pprofAddr,
		LeaderElection:          c.leaderElection,
		LeaderElectionID:        "vigil-operator.monitoring.coreos.com",
		LeaderElectionNamespace: c.leaderElectionNamespace,
		Cache:                   cacheOptions(c),
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return err
	}
	mgr, err := controllers.NewManager(cfg, opts)
	if err != nil {
		return err
	}
	// Vigil's metrics and the build information, beside controller-runtime's.
	inst, err := monitoring.New(monitoring.Options{Namespace: "vigil", Registry: metrics.Registry})
	if err != nil {
		return err
	}
	r := &controllers.PrometheusReconciler{
		Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: mgr.GetEventRecorder("vigil-operator"),
		FileReferences: c.fileReferences, Metrics: controllers.NewMetrics(inst.Registerer()), Workload: c.workload,
	}
	if err := r.SetupWithManager(mgr); err != nil {
		return err
	}
	a := &controllers.AlertmanagerReconciler{
		Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: r.Recorder,
		FileReferences: c.fileReferences, Metrics: r.Metrics, Workload: c.workload,
	}
	if err := a.SetupWithManager(mgr); err != nil {
		return err
	}
	if c.kubeletService != "" {
		ns, name, ok := strings.Cut(c.kubeletService, "/")
		if !ok || ns == "" || name == "" {
			return fmt.Errorf("--kubelet-service %q: want NAMESPACE/NAME", c.kubeletService)
		}
		k := &controllers.KubeletReconciler{Client: mgr.GetClient(), Service: types.NamespacedName{Namespace: ns, Name: name}, Metrics: r.Metrics}
		if err := k.SetupWithManager(mgr); err != nil {
			return err
		}
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	logger.Info("starting", "namespaces", c.namespaces.String(), "denied", c.denyNamespaces.String())
	// SIGTERM and SIGINT stop the manager, which finishes reconciles in
	// flight and gives up the lease.
	return mgr.Start(ctrl.SetupSignalHandler())
}

// cacheOptions watch the namespaces asked for, or every namespace but the
// denied ones.
func cacheOptions(c *config) cache.Options {
	var o cache.Options
	if len(c.namespaces) > 0 {
		o.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range c.namespaces {
			o.DefaultNamespaces[ns] = cache.Config{}
		}
		return o
	}
	if len(c.denyNamespaces) > 0 {
		var sels []fields.Selector
		for _, ns := range c.denyNamespaces {
			sels = append(sels, fields.OneTermNotEqualSelector("metadata.namespace", ns))
		}
		o.DefaultFieldSelector = fields.AndSelectors(sels...)
	}
	return o
}
