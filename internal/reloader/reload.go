package reloader

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// reload calls the reload URL until it succeeds, waiting longer after each
// failure, and says whether it succeeded (false only when ctx ends first).
// Prometheus answers 200 once the new configuration is loaded; an error
// says it refused it, and the next attempt reads the files again.
func (r *run) reload(ctx context.Context) bool {
	if r.o.ReloadURL == "" {
		return true
	}
	wait := r.o.RetryInterval
	for {
		err := r.callReload(ctx)
		r.o.Metrics.reloads.Inc()
		if err == nil {
			r.o.Metrics.lastSuccessful.Set(1)
			r.o.Metrics.lastSuccess.SetToCurrentTime()
			r.o.Logger.Info("reloaded", "url", r.o.ReloadURL)
			return true
		}
		r.o.Metrics.reloadFailures.Inc()
		r.o.Metrics.lastSuccessful.Set(0)
		r.o.Logger.Error("reload failed; retrying", "url", r.o.ReloadURL, "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait = min(2*wait, r.o.MaxRetryInterval)
	}
}

func (r *run) callReload(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, r.o.ReloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.o.ReloadURL, nil)
	if err != nil {
		return err
	}
	resp, err := reloadClient(req.URL).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s", resp.Status, body)
	}
	return nil
}

// loopbackTLS calls a server on the same pod over HTTPS without checking
// its certificate: Prometheus's and Alertmanager's web TLS certificate
// names the Service, not 127.0.0.1, and the call never leaves the pod's
// network namespace. As Prometheus Operator's reloader does.
var loopbackTLS = &http.Client{Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback only, see above
}}

// reloadClient is the client for the reload URL u: certificates are
// checked except for a loopback address.
func reloadClient(u *url.URL) *http.Client {
	if u.Scheme == "https" {
		if ip, err := netip.ParseAddr(u.Hostname()); (err == nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
			return loopbackTLS
		}
	}
	return http.DefaultClient
}
