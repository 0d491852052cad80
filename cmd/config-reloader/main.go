// Command config-reloader is the sidecar and init container of Vigil's
// Prometheus and Alertmanager pods: it keeps the generated configuration
// and rule files in place and tells the server to reload them (see
// internal/reloader). Its flags keep Prometheus Operator's
// prometheus-config-reloader names where they mean the same.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/vigil-monitoring/vigil/internal/logging"
	"github.com/vigil-monitoring/vigil/internal/reloader"
	"github.com/vigil-monitoring/vigil/monitoring"
)

// serviceAccountNamespace is where the kubelet puts the pod's namespace.
const serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "config-reloader:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("config-reloader", flag.ContinueOnError)
	var (
		o            reloader.Options
		watched      stringList
		configSecret = fs.String("config-secret", "", "NAME or NAMESPACE/NAME of the Secret holding the configuration, read through the API")
		secretKey    = fs.String("config-secret-key", "prometheus.yaml.gz", "key of --config-secret")
		rulesSel     = fs.String("rules-configmap-selector", "", "label selector of the rule ConfigMaps, read through the API (in --namespace)")
		namespace    = fs.String("namespace", "", "namespace of --config-secret and the rule ConfigMaps; default: the pod's")
		kubeconfig   = fs.String("kubeconfig", "", "kubeconfig file; default: the pod's service account")
		listen       = fs.String("listen-address", ":8080", "address serving /metrics and /healthz; empty serves nothing")
		logFormat    = fs.String("log-format", "logfmt", "logfmt or json")
		logLevel     = fs.String("log-level", "info", "debug, info, warn or error")
	)
	fs.StringVar(&o.ConfigFile, "config-file", "", "configuration file to watch (a mounted Secret); .gz is decompressed")
	fs.StringVar(&o.ConfigOutput, "config-envsubst-file", "", "where the configuration is written, with $(VAR) replaced")
	fs.StringVar(&o.RulesDir, "rules-dir", "", "where rule ConfigMaps are written, one folder each")
	fs.Var(&watched, "watched-dir", "folder whose changes call for a reload (repeatable)")
	fs.StringVar(&o.ReloadURL, "reload-url", "http://127.0.0.1:9090/-/reload", "URL called with POST after a change")
	fs.DurationVar(&o.WatchInterval, "watch-interval", 30*time.Second, "how often files and folders are read again")
	fs.DurationVar(&o.RetryInterval, "retry-interval", 5*time.Second, "first wait before a failed reload is retried (doubled each time)")
	fs.DurationVar(&o.ReloadTimeout, "reload-timeout", 30*time.Second, "how long one reload call may take")
	fs.BoolVar(&o.Once, "init", false, "write the configuration and rules once, without reloading, and exit (init container)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.WatchedDirs = watched
	logger, err := logging.New(os.Stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	o.Logger = logger

	if *configSecret != "" || *rulesSel != "" {
		ns, err := podNamespace(*namespace)
		if err != nil {
			return err
		}
		if o.Client, err = client(*kubeconfig); err != nil {
			return err
		}
		if *configSecret != "" {
			secretNS, name, found := strings.Cut(*configSecret, "/")
			if !found {
				secretNS, name = ns, *configSecret
			}
			o.ConfigSecret = &reloader.SecretKey{Namespace: secretNS, Name: name, Key: *secretKey}
		}
		if *rulesSel != "" {
			sel, err := labels.Parse(*rulesSel)
			if err != nil {
				return fmt.Errorf("--rules-configmap-selector: %w", err)
			}
			o.RuleConfigMaps = &reloader.ConfigMaps{Namespace: ns, Selector: sel}
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	inst := monitoring.MustNew(monitoring.Options{})
	o.Metrics = reloader.NewMetrics(inst.Registerer())
	if *listen != "" && !o.Once {
		mux := inst.NewServeMux()
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
		srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("serving metrics", "err", err)
				stop()
			}
		}()
		defer srv.Close()
	}
	return reloader.Run(ctx, o)
}

func podNamespace(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns, nil
	}
	b, err := os.ReadFile(serviceAccountNamespace)
	if err != nil {
		return "", fmt.Errorf("no --namespace, no POD_NAMESPACE and no service account namespace: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

func client(kubeconfig string) (kubernetes.Interface, error) {
	var cfg *rest.Config
	var err error
	if kubeconfig != "" {
		cfg, err = clientcmd.BuildConfigFromFlags("", kubeconfig)
	} else {
		cfg, err = rest.InClusterConfig()
	}
	if err != nil {
		return nil, err
	}
	cfg.UserAgent = "vigil-config-reloader"
	return kubernetes.NewForConfig(cfg)
}
