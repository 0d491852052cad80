package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Grace periods between SIGTERM and SIGKILL, and readiness timeouts.
const (
	nodeGrace      = 30 * time.Second // the node tears its pods down
	componentGrace = 10 * time.Second
	networkTimeout = 30 * time.Second
)

// Cluster is a running local cluster.
type Cluster struct {
	// Dir is the cluster's state directory (Options.Dir, absolute).
	Dir string
	// Kubeconfig is the admin kubeconfig (system:masters).
	Kubeconfig string
	// Config is the admin client configuration, QPS 200, burst 400.
	Config *rest.Config
	// APIServer is the API server's URL, https://10.213.0.1:6443.
	APIServer string
	// NodeName is the Node's name, empty without a node.
	NodeName string

	opts     Options
	clients  kubernetes.Interface
	progress *progress
	lock     *machineLock

	mu         sync.Mutex
	components []*component // in start order
	stopped    bool
	stopErr    error
}

// Start starts a local cluster: the network, etcd, kube-apiserver, then
// kube-controller-manager, kube-scheduler and (with o.Node) vigil-node, and
// returns once each is ready. ctx bounds the start only; the processes run
// until Stop. On failure it stops what it started and returns an error that
// names the component and ends with the tail of its log.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkBinaries(o); err != nil {
		return nil, err
	}
	lock, err := acquireLock(o.Dir)
	if err != nil {
		return nil, err
	}
	l := layout(o.Dir)
	c := &Cluster{
		Dir:        o.Dir,
		Kubeconfig: l.kubeconfig("admin"),
		APIServer:  APIServerURL,
		opts:       o,
		progress:   &progress{w: o.Progress},
		lock:       lock,
	}
	if o.Node != nil {
		c.NodeName = o.Node.Name
	}
	if err := c.start(ctx); err != nil {
		if stopErr := c.Stop(); stopErr != nil {
			err = fmt.Errorf("%w\n(and stopping: %v)", err, stopErr)
		}
		return nil, fmt.Errorf("start local cluster: %w", err)
	}
	return c, nil
}

func (c *Cluster) start(ctx context.Context) error {
	if err := c.prepare(ctx); err != nil {
		return err
	}
	l := layout(c.Dir)
	etcd := c.newComponent(Etcd, etcdArgs(l), componentGrace, 30*time.Second, etcdReady)
	if err := c.startAndWait(ctx, etcd); err != nil {
		return err
	}
	api := c.newComponent(KubeAPIServer, apiServerArgs(l), componentGrace, 90*time.Second, apiServerReady(c.clients))
	if err := c.startAndWait(ctx, api); err != nil {
		return err
	}
	others := []*component{
		c.newComponent(KubeControllerManager, controllerManagerArgs(l), componentGrace, 60*time.Second, controllerManagerReady(c.clients)),
		c.newComponent(KubeScheduler, schedulerArgs(l), componentGrace, 60*time.Second, healthzReady(schedulerAddr)),
	}
	if n := c.opts.Node; n != nil {
		began := time.Now()
		if err := poll(ctx, 30*time.Second, func(ctx context.Context) error {
			return applyNodeRBAC(ctx, c.clients, n.Name)
		}); err != nil {
			return err
		}
		c.progress.step("node RBAC applied", began)
		node := c.newComponent(VigilNode, nodeArgs(l, *n), nodeGrace, 60*time.Second, nodeReady(c.clients, n.Name))
		node.path = n.Binary
		others = append(others, node)
	}
	// The rest start together: each needs only the API server. The first
	// failure cancels the others' wait.
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(others))
	var wg sync.WaitGroup
	for i, comp := range others {
		wg.Go(func() {
			if errs[i] = c.startAndWait(gctx, comp); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	return firstCauses(errs)
}

// firstCauses joins the errors that are not the cancellation caused by
// another's failure (all of them if every one is).
func firstCauses(errs []error) error {
	var causes []error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			causes = append(causes, err)
		}
	}
	if len(causes) == 0 {
		return errors.Join(errs...)
	}
	return errors.Join(causes...)
}

// prepare does what comes before the first process: cleaning up after a
// crashed run, the network, files and clients.
func (c *Cluster) prepare(ctx context.Context) error {
	began := time.Now()
	killed, err := sweepLeftovers()
	if len(killed) > 0 {
		c.progress.step("killed leftover processes: "+strings.Join(killed, ", "), began)
	}
	if err != nil {
		return err
	}
	began = time.Now()
	nctx, cancel := context.WithTimeout(ctx, networkTimeout)
	defer cancel()
	if err := c.opts.Network.Teardown(nctx); err != nil {
		return fmt.Errorf("network: remove leftovers: %w", err)
	}
	if err := c.opts.Network.Setup(nctx); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	c.progress.step("network up", began)
	if err := checkPortsFree(c.opts.Node != nil); err != nil {
		return err
	}

	began = time.Now()
	l := layout(c.Dir)
	for _, d := range []string{l.path("logs"), l.path("node"), l.path("flexvolume")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := ensurePKI(l.path("pki"), c.NodeName, time.Now()); err != nil {
		return err
	}
	if err := writeKubeconfigs(l, c.opts.Node != nil); err != nil {
		return err
	}
	// Each Start gives an empty cluster.
	if err := os.RemoveAll(l.etcdData()); err != nil {
		return fmt.Errorf("remove etcd data: %w", err)
	}
	if c.Config, err = restConfig(c.Kubeconfig); err != nil {
		return err
	}
	if c.clients, err = kubernetes.NewForConfig(c.Config); err != nil {
		return err
	}
	c.progress.step("pki and kubeconfigs ready", began)
	return nil
}

func (c *Cluster) newComponent(name string, args []string, grace, timeout time.Duration, ready func(context.Context) error) *component {
	l := layout(c.Dir)
	return &component{
		process: &process{name: name, path: c.opts.binary(name), args: args, dir: c.Dir, logPath: l.log(name), grace: grace},
		timeout: timeout,
		ready:   ready,
	}
}

// startAndWait starts comp, records it and waits until it is ready.
func (c *Cluster) startAndWait(ctx context.Context, comp *component) error {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return errors.New("cluster stopped")
	}
	began := time.Now()
	err := c.launch(comp, false)
	if err == nil {
		c.components = append(c.components, comp)
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	if err := waitReady(ctx, comp, began); err != nil {
		return err
	}
	c.progress.step(comp.name+" Ready", began)
	return nil
}

// launch starts comp's process and records it; c.mu is held.
func (c *Cluster) launch(comp *component, appendLog bool) error {
	if err := comp.start(appendLog); err != nil {
		return err
	}
	if err := recordProcess(comp.name, comp.pid()); err != nil {
		_ = comp.kill()
		return err
	}
	return nil
}

// Stop stops the node first (SIGTERM, up to 30 s for it to tear its pods
// down), then kube-scheduler, kube-controller-manager, kube-apiserver and
// etcd (SIGTERM, SIGKILL after a grace period), tears the network down and
// releases the machine lock. Dir is kept. Stop is idempotent and safe to call
// concurrently, for instance from a signal handler: later calls wait for the
// first and return its result.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return c.stopErr
	}
	c.stopped = true
	var errs []error
	for _, comp := range stopOrder(c.components) {
		began := time.Now()
		if err := comp.stop(); err != nil {
			errs = append(errs, err)
			continue
		}
		forgetProcess(comp.name)
		c.progress.step(comp.name+" stopped", began)
	}
	ctx, cancel := context.WithTimeout(context.Background(), networkTimeout)
	defer cancel()
	if err := c.opts.Network.Teardown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("network: %w", err))
	}
	c.lock.release()
	c.stopErr = errors.Join(errs...)
	return c.stopErr
}

// stopOrder returns the components in the order Stop stops them: the node
// first (its pods' teardown needs the API server), etcd last.
func stopOrder(components []*component) []*component {
	rank := map[string]int{VigilNode: 0, KubeScheduler: 1, KubeControllerManager: 2, KubeAPIServer: 3, Etcd: 4}
	sorted := slices.Clone(components)
	slices.SortStableFunc(sorted, func(a, b *component) int { return rank[a.name] - rank[b.name] })
	return sorted
}

// Kill kills a component (SIGKILL to its process group) and waits until it
// is gone. Restart starts it again.
func (c *Cluster) Kill(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	comp, err := c.component(name)
	if err != nil {
		return err
	}
	if err := comp.kill(); err != nil {
		return err
	}
	forgetProcess(name)
	return nil
}

// Restart kills a component if it runs, starts it again with the same flags
// (its log is appended to) and waits until it is ready.
func (c *Cluster) Restart(ctx context.Context, name string) error {
	c.mu.Lock()
	comp, err := c.component(name)
	if err == nil {
		err = comp.kill()
	}
	began := time.Now()
	if err == nil {
		err = c.launch(comp, true)
	}
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("restart %s: %w", name, err)
	}
	if err := waitReady(ctx, comp, began); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	c.progress.step(name+" Ready again", began)
	return nil
}

// PID returns the pid of a component's process, 0 if it has none.
func (c *Cluster) PID(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	comp, err := c.component(name)
	if err != nil || comp.exited() != nil {
		return 0
	}
	return comp.pid()
}

// Kubectl returns a kubectl command (the pinned binary) using the admin
// kubeconfig.
func (c *Cluster) Kubectl(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, c.opts.binary("kubectl"), append([]string{"--kubeconfig=" + c.Kubeconfig}, args...)...)
}

// component returns the component called name; c.mu is held.
func (c *Cluster) component(name string) (*component, error) {
	if c.stopped {
		return nil, errors.New("cluster stopped")
	}
	for _, comp := range c.components {
		if comp.name == name {
			return comp, nil
		}
	}
	return nil, fmt.Errorf("no component %q", name)
}

// checkBinaries fails at once, before anything starts, if a binary is missing.
func checkBinaries(o Options) error {
	paths := []string{o.binary(Etcd), o.binary(KubeAPIServer), o.binary(KubeControllerManager), o.binary(KubeScheduler)}
	if o.Node != nil {
		paths = append(paths, o.Node.Binary)
	}
	var missing []string
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.Mode()&0o111 == 0 {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing binaries (make envtest-assets e2e-tools builds them): %s", strings.Join(missing, ", "))
	}
	return nil
}

// checkPortsFree fails if a fixed address is taken: a stray process there
// could otherwise pass a readiness check in place of ours.
func checkPortsFree(withNode bool) error {
	addrs := map[string]string{
		"127.0.0.1:23790": Etcd, "127.0.0.1:23800": Etcd + " peer",
		fmt.Sprintf("%s:%d", HostIP, APIServerPort): KubeAPIServer,
		kcmAddr: KubeControllerManager, schedulerAddr: KubeScheduler,
	}
	if withNode {
		addrs[kubeletAddr] = VigilNode
	}
	var errs []error
	for addr, who := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s's address %s is taken by another process: %w", who, addr, err))
			continue
		}
		ln.Close()
	}
	return errors.Join(errs...)
}

// progress writes one line per step; steps may end concurrently.
type progress struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *progress) step(what string, began time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s (%.1fs)\n", what, time.Since(began).Seconds())
}
