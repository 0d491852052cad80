// Command example-app is an instrumented HTTP service for the samples, the
// end-to-end tests and `make dev`: it serves a little work, exposes its
// metrics through Vigil's instrumentation library, and can be told to fail
// so that its alert fires.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigil-monitoring/vigil/monitoring"
)

func main() {
	addr := flag.String("listen", ":8080", "address to serve the app and /metrics on")
	flag.Parse()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, logger); err != nil {
		logger.Error("example-app stopped", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then gives requests in flight five seconds.
func run(ctx context.Context, addr string, logger *slog.Logger) error {
	srv := &http.Server{Addr: addr, Handler: newApp(monitoring.MustNew(monitoring.Options{Namespace: "example_app"})), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("serving", "addr", addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// app is the service's state: whether it is told to fail.
type app struct {
	failing prometheus.Gauge
	work    prometheus.Counter
}

// newApp builds the handler: / and /work serve, /fail switches failing on
// and off (POST /fail?on=true|false), /healthz and /readyz answer the
// kubelet, /metrics is the library's.
func newApp(inst *monitoring.Instrumentation) http.Handler {
	a := &app{
		failing: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "example_app_failing", Help: "1 while the app is told to fail its work requests, else 0.",
		}),
		work: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "example_app_work_done_total", Help: "Work requests completed.",
		}),
	}
	inst.Registerer().MustRegister(a.failing, a.work)
	mux := inst.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "example-app: GET /work does some work; POST /fail?on=true makes it fail")
	})
	mux.HandleFunc("GET /work", a.serveWork)
	mux.HandleFunc("POST /fail", a.serveFail)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	return mux
}

func (a *app) serveWork(w http.ResponseWriter, _ *http.Request) {
	if isFailing(a.failing) {
		http.Error(w, "failing, as told", http.StatusInternalServerError)
		return
	}
	time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
	a.work.Inc()
	fmt.Fprintln(w, "done")
}

func (a *app) serveFail(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("on") {
	case "true":
		a.failing.Set(1)
	case "false":
		a.failing.Set(0)
	default:
		http.Error(w, "use ?on=true or ?on=false", http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "failing: %v\n", isFailing(a.failing))
}
