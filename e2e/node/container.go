package node

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// Restart back-off: a kubelet's doubles from 10 s to 5 min; the node's is
// shorter so that a test sees a restart in seconds.
const (
	backoffStart = time.Second
	backoffMax   = 20 * time.Second
	// A container that ran this long resets the back-off.
	backoffReset = 10 * time.Second
)

// container is one container of a pod: its process, restarts, probes and
// status. Its fields are guarded by the pod's lock.
type container struct {
	pod  *podRuntime
	spec *corev1.Container
	init bool
	img  Image
	note string // the image's tag differs from the binary's version

	status  corev1.ContainerStatus
	proc    *sandbox.Process
	exited  chan struct{} // closed when proc has been waited for
	attempt int
}

func newContainer(r *podRuntime, spec *corev1.Container, init bool) *container {
	return &container{
		pod: r, spec: spec, init: init,
		status: corev1.ContainerStatus{
			Name:  spec.Name,
			Image: spec.Image,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}},
		},
	}
}

func (c *container) sidecar() bool {
	return c.init && c.spec.RestartPolicy != nil && *c.spec.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

func (c *container) resolveImage() error {
	img, note, err := c.pod.p.cfg.Images.resolve(c.spec.Image)
	if err != nil {
		return err
	}
	c.img, c.note = img, note
	c.status.ImageID = "file://" + img.Path
	return nil
}

// waiting sets the waiting state; the caller holds the pod's lock.
func (c *container) waiting(reason, message string) {
	c.status.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}}
	c.status.Ready = false
}

// start starts the container's process.
func (c *container) start() (*sandbox.Process, error) {
	r := c.pod
	r.mu.Lock()
	pod := r.pod.DeepCopy()
	vols := r.vols
	attempt := c.attempt
	r.mu.Unlock()

	env, vars, err := r.p.env.containerEnv(pod, c.spec)
	if err != nil {
		return nil, err
	}
	var args []string
	if len(c.spec.Command) > 0 {
		// The image's entrypoint is the mapped binary; a command names it
		// (or a wrapper it stands for) first.
		args = append(args, c.spec.Command[1:]...)
	}
	args = append(args, c.spec.Args...)
	for i := range args {
		args[i] = expand(args[i], vars.lookup)
	}
	mounts, err := vols.mounts(c.spec)
	if err != nil {
		return nil, err
	}
	logPath := c.logPath(attempt)
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return nil, err
	}
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	return sandbox.Start(sandbox.Spec{
		ID:         fmt.Sprintf("%s-%s-%d", pod.UID, c.spec.Name, attempt),
		Group:      string(pod.UID),
		Path:       c.img.Path,
		Args:       args,
		Env:        env,
		Dir:        c.spec.WorkingDir,
		Hostname:   podHostname(pod),
		NetNS:      r.net.NetNS,
		Mounts:     mounts,
		Hosts:      r.hostsPath(),
		ResolvConf: r.resolvPath(),
		Stdout:     log,
		Stderr:     log,
	})
}

func (c *container) logPath(attempt int) string {
	return filepath.Join(c.pod.dir, "logs", c.spec.Name, strconv.Itoa(attempt)+".log")
}

// runOnce starts the process and waits for it, probing it meanwhile. It
// returns the exit code, or -1 when it could not start.
func (c *container) runOnce() int {
	r := c.pod
	proc, err := c.start()
	if err != nil {
		r.update(func() { c.waiting("RunContainerError", err.Error()) })
		return -1
	}
	exited := make(chan struct{})
	started := metav1.Now()
	r.update(func() {
		c.proc, c.exited = proc, exited
		c.status.ContainerID = fmt.Sprintf("vigil://%s-%s-%d", r.pod.UID, c.spec.Name, c.attempt)
		c.status.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}}
		c.status.Started = ptr.To(c.spec.StartupProbe == nil)
		c.status.Ready = c.spec.ReadinessProbe == nil && c.spec.StartupProbe == nil && !c.init
		if c.sidecar() {
			c.status.Ready = c.spec.ReadinessProbe == nil
		}
	})
	probeCtx, stopProbes := context.WithCancel(r.ctx)
	if !c.init || c.sidecar() {
		go c.probe(probeCtx, proc)
	}
	code, werr := proc.Wait()
	stopProbes()
	close(exited)
	reason := "Completed"
	if code != 0 {
		reason = "Error"
	}
	message := ""
	if werr != nil {
		message = werr.Error()
	}
	r.update(func() {
		c.proc = nil
		c.status.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: int32(code), Reason: reason, Message: message,
			StartedAt: started, FinishedAt: metav1.Now(), ContainerID: c.status.ContainerID,
		}}
		c.status.Ready = false
		c.status.Started = ptr.To(false)
	})
	return code
}

// supervise runs the container, restarting it as the pod's restartPolicy
// says, until the pod stops.
func (c *container) supervise() {
	backoff := backoffStart
	for {
		began := time.Now()
		code := c.runOnce()
		if c.pod.ctx.Err() != nil || !c.restarts(code) {
			return
		}
		if time.Since(began) > backoffReset {
			backoff = backoffStart
		}
		if !c.backOff(backoff) {
			return
		}
		backoff = min(2*backoff, backoffMax)
	}
}

// runToCompletion runs an init container until it succeeds; false when
// the pod will not get further (it failed under restartPolicy Never, or
// the pod stopped).
func (c *container) runToCompletion() bool {
	backoff := backoffStart
	for {
		code := c.runOnce()
		if c.pod.ctx.Err() != nil {
			return false
		}
		if code == 0 {
			return true
		}
		if c.pod.pod.Spec.RestartPolicy == corev1.RestartPolicyNever {
			c.pod.update(func() { c.pod.status.Phase = corev1.PodFailed })
			return false
		}
		if !c.backOff(backoff) {
			return false
		}
		backoff = min(2*backoff, backoffMax)
	}
}

// restarts says whether an exit with this code is followed by a restart.
func (c *container) restarts(code int) bool {
	if c.sidecar() {
		return true
	}
	switch c.pod.pod.Spec.RestartPolicy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return code != 0
	}
	return true
}

// backOff waits before a restart, showing CrashLoopBackOff meanwhile.
func (c *container) backOff(d time.Duration) bool {
	r := c.pod
	r.update(func() {
		last := c.status.State
		c.status.LastTerminationState = last
		c.status.RestartCount++
		c.attempt++
		c.status.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason:  "CrashLoopBackOff",
			Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)", d, c.spec.Name, r.name, r.namespace, r.pod.UID),
		}}
	})
	select {
	case <-r.ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// signal sends sig to the running process, if any.
func (c *container) signal(sig syscall.Signal) {
	c.pod.mu.Lock()
	proc := c.proc
	c.pod.mu.Unlock()
	if proc != nil {
		_ = proc.Signal(sig)
	}
}

// awaitStop waits up to d for the running process to exit, then kills it.
func (c *container) awaitStop(d time.Duration) {
	c.pod.mu.Lock()
	exited := c.exited
	running := c.proc != nil
	c.pod.mu.Unlock()
	if !running || exited == nil {
		return
	}
	select {
	case <-exited:
	case <-time.After(d):
		c.signal(syscall.SIGKILL)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
		}
	}
}

// kill restarts a container whose liveness or startup probe failed: SIGTERM,
// then SIGKILL after the grace period; supervise starts it again.
func (c *container) kill() {
	c.signal(syscall.SIGTERM)
	c.pod.mu.Lock()
	grace := c.pod.grace
	if c.spec.LivenessProbe != nil && c.spec.LivenessProbe.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(*c.spec.LivenessProbe.TerminationGracePeriodSeconds) * time.Second
	}
	c.pod.mu.Unlock()
	c.awaitStop(grace)
}

// terminatedIfRunning marks a container that never got to exit (it was
// killed with the pod) as terminated; the caller holds the pod's lock.
func (c *container) terminatedIfRunning() {
	if c.status.State.Terminated != nil {
		return
	}
	started := metav1.Time{}
	if c.status.State.Running != nil {
		started = c.status.State.Running.StartedAt
	}
	c.status.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		ExitCode: 137, Reason: "Error", Message: "the pod was stopped",
		StartedAt: started, FinishedAt: metav1.Now(),
	}}
	c.status.Ready = false
}
