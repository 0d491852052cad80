package node

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// probe runs the container's startup probe until it succeeds, then its
// readiness and liveness probes, until ctx ends (the process exited or the
// pod stops). A failed startup or liveness probe restarts the container.
func (c *container) probe(ctx context.Context, proc *sandbox.Process) {
	if p := c.spec.StartupProbe; p != nil {
		if !c.runProbe(ctx, proc, p, true, func(bool) {}) {
			if ctx.Err() == nil {
				c.kill()
			}
			return
		}
		c.pod.update(func() {
			c.status.Started = ptr.To(true)
			c.status.Ready = c.spec.ReadinessProbe == nil
		})
	}
	if p := c.spec.ReadinessProbe; p != nil {
		go c.runProbe(ctx, proc, p, false, func(ok bool) {
			c.pod.update(func() {
				if c.proc == proc {
					c.status.Ready = ok
				}
			})
		})
	}
	if p := c.spec.LivenessProbe; p != nil {
		go c.runProbe(ctx, proc, p, false, func(ok bool) {
			if !ok && ctx.Err() == nil {
				logf(c.pod, "Container %s failed its liveness probe, restarting it", c.spec.Name)
				c.kill()
			}
		})
	}
}

// runProbe runs p every period and calls changed whenever the result
// crosses its success or failure threshold. With untilSettled it returns
// at the first settled result: true for success.
func (c *container) runProbe(ctx context.Context, proc *sandbox.Process, p *corev1.Probe, untilSettled bool, changed func(bool)) bool {
	period := seconds(p.PeriodSeconds, 10)
	timeout := seconds(p.TimeoutSeconds, 1)
	success, failure := max(p.SuccessThreshold, 1), max(p.FailureThreshold, 1)
	if !wait(ctx, seconds(p.InitialDelaySeconds, 0)) {
		return false
	}
	var oks, fails int32
	state := -1 // unknown, then 0 failing, 1 passing
	for {
		pctx, cancel := context.WithTimeout(ctx, timeout)
		err := c.check(pctx, proc, p)
		cancel()
		if ctx.Err() != nil {
			return false
		}
		if err == nil {
			oks, fails = oks+1, 0
		} else {
			oks, fails = 0, fails+1
		}
		switch {
		case oks >= success && state != 1:
			state = 1
			changed(true)
			if untilSettled {
				return true
			}
		case fails >= failure && state != 0:
			state = 0
			changed(false)
			if untilSettled {
				return false
			}
		}
		if !wait(ctx, period) {
			return false
		}
	}
}

func seconds(s int32, def int32) time.Duration {
	if s <= 0 {
		s = def
	}
	return time.Duration(s) * time.Second
}

func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// check runs one probe: nil when it passed.
func (c *container) check(ctx context.Context, proc *sandbox.Process, p *corev1.Probe) error {
	c.pod.mu.Lock()
	ip := c.pod.net.IP.String()
	c.pod.mu.Unlock()
	switch {
	case p.HTTPGet != nil:
		return c.checkHTTP(ctx, ip, p.HTTPGet)
	case p.TCPSocket != nil:
		return c.checkTCP(ctx, hostOr(p.TCPSocket.Host, ip), p.TCPSocket.Port)
	case p.GRPC != nil:
		// No gRPC health client here: a listening port stands for it.
		return c.checkTCP(ctx, ip, intstr.FromInt32(p.GRPC.Port))
	case p.Exec != nil:
		code, err := sandbox.Exec(ctx, proc.Pid, p.Exec.Command, nil, nil, io.Discard, io.Discard)
		if err != nil {
			return err
		}
		if code != 0 {
			return fmt.Errorf("exit code %d", code)
		}
		return nil
	}
	return nil
}

func hostOr(host, ip string) string {
	if host != "" {
		return host
	}
	return ip
}

// port finds a probe's port, by number or by the container's port name.
func (c *container) port(p intstr.IntOrString) (int, error) {
	if p.Type == intstr.Int {
		return p.IntValue(), nil
	}
	for _, cp := range c.spec.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort), nil
		}
	}
	if n, err := strconv.Atoi(p.StrVal); err == nil {
		return n, nil
	}
	return 0, fmt.Errorf("container %s has no port named %q", c.spec.Name, p.StrVal)
}

var probeTransport = &http.Transport{
	TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // a kubelet does not verify probe certificates either
	DisableKeepAlives: true,
}

func (c *container) checkHTTP(ctx context.Context, ip string, g *corev1.HTTPGetAction) error {
	port, err := c.port(g.Port)
	if err != nil {
		return err
	}
	scheme := "http"
	if g.Scheme == corev1.URISchemeHTTPS {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(hostOr(g.Host, ip), strconv.Itoa(port)), Path: g.Path}
	if u.Path == "" {
		u.Path = "/"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "kube-probe/1.37")
	for _, h := range g.HTTPHeaders {
		req.Header.Set(h.Name, h.Value)
	}
	resp, err := (&http.Client{Transport: probeTransport}).Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 10<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return fmt.Errorf("HTTP probe failed with statuscode: %d", resp.StatusCode)
	}
	return nil
}

func (c *container) checkTCP(ctx context.Context, host string, p intstr.IntOrString) error {
	port, err := c.port(p)
	if err != nil {
		return err
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return conn.Close()
}
