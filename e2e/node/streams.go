package node

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/virtual-kubelet/virtual-kubelet/errdefs"
	"github.com/virtual-kubelet/virtual-kubelet/node/api"
	statsv1alpha1 "k8s.io/kubelet/pkg/apis/stats/v1alpha1"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// GetContainerLogs serves `kubectl logs`: the current run's output, or the
// previous run's, with tail, byte limit and follow.
func (p *Provider) GetContainerLogs(ctx context.Context, namespace, podName, containerName string, opts api.ContainerLogOpts) (io.ReadCloser, error) {
	r := p.get(namespace, podName)
	if r == nil {
		return nil, errdefs.NotFoundf("pod %s/%s is not on this node", namespace, podName)
	}
	c, err := r.container(containerName)
	if err != nil {
		return nil, errdefs.AsNotFound(err)
	}
	r.mu.Lock()
	attempt := c.attempt
	r.mu.Unlock()
	if opts.Previous {
		if attempt == 0 {
			return nil, errdefs.InvalidInputf("previous terminated container %q in pod %q not found", containerName, podName)
		}
		attempt--
	}
	data, err := os.ReadFile(c.logPath(attempt))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	read := int64(len(data)) // follow goes on from here
	data = tail(data, opts.Tail)
	if opts.LimitBytes > 0 && len(data) > opts.LimitBytes {
		data = data[:opts.LimitBytes]
	}
	if !opts.Follow || opts.Previous {
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	pr, pw := io.Pipe()
	go follow(ctx, r, c, attempt, read, data, pw)
	return pr, nil
}

// tail keeps the last n lines (all when n <= 0).
func tail(data []byte, n int) []byte {
	if n <= 0 {
		return data
	}
	end := len(data)
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	for i := end - 1; i >= 0; i-- {
		if data[i] == '\n' {
			n--
			if n == 0 {
				return data[i+1:]
			}
		}
	}
	return data
}

// follow streams what the run appends to its log after offset (what was
// already read) until the client goes away, the pod stops or the
// container is restarted.
func follow(ctx context.Context, r *podRuntime, c *container, attempt int, offset int64, first []byte, w *io.PipeWriter) {
	path := c.logPath(attempt)
	if _, err := w.Write(first); err != nil {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		w.CloseWithError(err)
		return
	}
	defer f.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := f.ReadAt(buf, offset)
		if n > 0 {
			offset += int64(n)
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			continue
		}
		if err != nil && err != io.EOF {
			w.CloseWithError(err)
			return
		}
		r.mu.Lock()
		moved := c.attempt != attempt
		r.mu.Unlock()
		if moved {
			w.Close()
			return
		}
		select {
		case <-ctx.Done():
			w.Close()
			return
		case <-r.ctx.Done():
			w.Close()
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// RunInContainer serves `kubectl exec` inside the container's namespaces.
func (p *Provider) RunInContainer(ctx context.Context, namespace, podName, containerName string, cmd []string, attach api.AttachIO) error {
	r := p.get(namespace, podName)
	if r == nil {
		return errdefs.NotFoundf("pod %s/%s is not on this node", namespace, podName)
	}
	c, err := r.container(containerName)
	if err != nil {
		return errdefs.AsNotFound(err)
	}
	r.mu.Lock()
	proc := c.proc
	r.mu.Unlock()
	if proc == nil {
		return errNotRunning
	}
	var stdout, stderr io.Writer = io.Discard, io.Discard
	if attach.Stdout() != nil {
		stdout = attach.Stdout()
		defer attach.Stdout().Close()
	}
	if attach.Stderr() != nil {
		stderr = attach.Stderr()
		defer attach.Stderr().Close()
	}
	code, err := sandbox.Exec(ctx, proc.Pid, cmd, nil, attach.Stdin(), stdout, stderr)
	if err != nil {
		return err
	}
	if code != 0 {
		return exitError(code)
	}
	return nil
}

// exitError makes `kubectl exec` exit with the command's code.
type exitError int

func (e exitError) Error() string   { return "command terminated with exit code " + strconv.Itoa(int(e)) }
func (e exitError) String() string  { return e.Error() }
func (e exitError) Exited() bool    { return true }
func (e exitError) ExitStatus() int { return int(e) }

// AttachToContainer is not offered: containers' output goes to files.
func (p *Provider) AttachToContainer(ctx context.Context, namespace, podName, containerName string, attach api.AttachIO) error {
	return errdefs.InvalidInput("attach is not supported by this node; use kubectl logs -f")
}

// GetStatsSummary answers the kubelet's /stats/summary with the node and
// its pods' names; no usage figures are measured here.
func (p *Provider) GetStatsSummary(ctx context.Context) (*statsv1alpha1.Summary, error) {
	s := &statsv1alpha1.Summary{Node: statsv1alpha1.NodeStats{NodeName: p.cfg.NodeName}}
	for _, r := range p.list() {
		pod := r.snapshot()
		s.Pods = append(s.Pods, statsv1alpha1.PodStats{PodRef: statsv1alpha1.PodReference{Name: pod.Name, Namespace: pod.Namespace, UID: string(pod.UID)}})
	}
	return s, nil
}

// GetMetricsResource has no resource metrics yet.
func (p *Provider) GetMetricsResource(ctx context.Context) ([]*dto.MetricFamily, error) {
	return nil, nil
}

// PortForward serves `kubectl port-forward` by dialling the pod's IP.
func (p *Provider) PortForward(ctx context.Context, namespace, podName string, port int32, stream io.ReadWriteCloser) error {
	r := p.get(namespace, podName)
	if r == nil {
		return errdefs.NotFoundf("pod %s/%s is not on this node", namespace, podName)
	}
	defer stream.Close()
	r.mu.Lock()
	ip := r.status.PodIP
	r.mu.Unlock()
	if ip == "" {
		return fmt.Errorf("pod %s/%s has no IP yet", namespace, podName)
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(ip, strconv.Itoa(int(port))))
	if err != nil {
		return err
	}
	defer conn.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(conn, stream); done <- struct{}{} }()
	go func() { _, _ = io.Copy(stream, bufio.NewReader(conn)); done <- struct{}{} }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}
