// Command vigil-node is the local cluster's node: a virtual-kubelet whose
// pods run as processes on this machine (package e2e/node), each in its
// own network, mount and UTS namespaces (package e2e/sandbox). The local
// cluster (package e2e/cluster) starts it with the flags below.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	vklog "github.com/virtual-kubelet/virtual-kubelet/log"
	vkklog "github.com/virtual-kubelet/virtual-kubelet/log/klogv2"
	vknode "github.com/virtual-kubelet/virtual-kubelet/node"
	"github.com/virtual-kubelet/virtual-kubelet/node/nodeutil"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"

	"github.com/vigil-monitoring/vigil/e2e/node"
	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// kubeletVersion is what the node reports: the control plane's version.
const kubeletVersion = "v1.37.2"

type options struct {
	kubeconfig, name, listen, stateDir string
	nodeIP                             string
	certFile, keyFile, clientCAFile    string
	apiHost                            string
	apiPort                            int
	bridge, podCIDR                    string
	images                             node.Images
	cpu, memory                        string
}

type imageFlag struct{ images node.Images }

func (f *imageFlag) String() string { return "" }
func (f *imageFlag) Set(s string) error {
	repo, img, err := node.ParseImage(s)
	if err != nil {
		return err
	}
	f.images[repo] = img
	return nil
}

func main() {
	sandbox.Init()
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "vigil-node:", err)
		os.Exit(1)
	}
}

func parse(args []string) (options, error) {
	o := options{images: node.Images{}}
	fs := flag.NewFlagSet("vigil-node", flag.ContinueOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the node's identity (system:node:<name>)")
	fs.StringVar(&o.name, "node-name", "vigil-node", "the Node's name")
	fs.StringVar(&o.nodeIP, "node-ip", "10.213.0.1", "the node's address: the pod bridge's gateway")
	fs.StringVar(&o.listen, "listen", "10.213.0.1:10250", "address of the kubelet API (logs, exec, port-forward)")
	fs.StringVar(&o.certFile, "tls-cert-file", "", "kubelet API serving certificate")
	fs.StringVar(&o.keyFile, "tls-private-key-file", "", "kubelet API serving key")
	fs.StringVar(&o.clientCAFile, "client-ca-file", "", "CA of the clients the kubelet API accepts (the API server's)")
	fs.StringVar(&o.apiHost, "apiserver-host", "10.213.0.1", "KUBERNETES_SERVICE_HOST given to containers")
	fs.IntVar(&o.apiPort, "apiserver-port", 6443, "KUBERNETES_SERVICE_PORT given to containers")
	fs.StringVar(&o.stateDir, "state-dir", "", "where pods' volumes, logs and files live")
	fs.StringVar(&o.bridge, "bridge", "vigil0", "the pod network's bridge")
	fs.StringVar(&o.podCIDR, "pod-cidr", "10.213.0.0/16", "the pod network")
	fs.StringVar(&o.cpu, "cpu", fmt.Sprint(runtime.NumCPU()), "allocatable CPU")
	fs.StringVar(&o.memory, "memory", "8Gi", "allocatable memory")
	fs.Var(&imageFlag{o.images}, "image", "REPOSITORY=PATH[@VERSION]: the binary an image runs (repeatable)")
	klogFlags := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(klogFlags)
	klogFlags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, req := range []struct{ name, v string }{{"kubeconfig", o.kubeconfig}, {"state-dir", o.stateDir}, {"tls-cert-file", o.certFile}, {"tls-private-key-file", o.keyFile}, {"client-ca-file", o.clientCAFile}} {
		if req.v == "" {
			return o, fmt.Errorf("--%s is required", req.name)
		}
	}
	return o, nil
}

func run(args []string) error {
	o, err := parse(args)
	if err != nil {
		return err
	}
	vklog.L = vkklog.New(nil)
	ip := net.ParseIP(o.nodeIP)
	_, cidr, err := net.ParseCIDR(o.podCIDR)
	if ip == nil || err != nil {
		return fmt.Errorf("--node-ip %q / --pod-cidr %q: not an address and a network", o.nodeIP, o.podCIDR)
	}
	cpu, err := resource.ParseQuantity(o.cpu)
	if err != nil {
		return fmt.Errorf("--cpu: %w", err)
	}
	mem, err := resource.ParseQuantity(o.memory)
	if err != nil {
		return fmt.Errorf("--memory: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// What a crashed run left behind goes first.
	network := &sandbox.Network{Bridge: o.bridge, Gateway: ip, CIDR: cidr, Prefix: "vigil-"}
	if err := sandbox.Sweep(); err != nil {
		return fmt.Errorf("sweeping old containers: %w", err)
	}
	if err := network.Sweep(ctx); err != nil {
		return fmt.Errorf("sweeping old pod networks: %w", err)
	}
	if err := os.RemoveAll(filepath.Join(o.stateDir, "pods")); err != nil {
		return err
	}
	if err := network.EnsureBridge(ctx); err != nil {
		return err
	}

	cfg, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 200, 400
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}

	podCtx, stopPods := context.WithCancel(context.Background())
	defer stopPods()
	var provider *node.Provider
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	n, err := nodeutil.NewNode(o.name,
		func(pc nodeutil.ProviderConfig) (nodeutil.Provider, vknode.NodeProvider, error) {
			provider = node.New(podCtx, node.Config{
				NodeName: o.name, NodeIP: ip, StateDir: o.stateDir,
				APIServerHost: o.apiHost, APIServerPort: o.apiPort,
				Images: o.images, Network: network, Client: client,
				Secrets: pc.Secrets, ConfigMaps: pc.ConfigMaps,
				CPU: cpu, Memory: mem,
			})
			nodeSpec(pc.Node, o, ip, cpu, mem)
			return provider, nil, nil
		},
		nodeutil.WithClient(client),
		nodeutil.WithTLSConfig(nodeutil.WithKeyPairFromPath(o.certFile, o.keyFile), nodeutil.WithCAFromPath(o.clientCAFile)),
		func(c *nodeutil.NodeConfig) error {
			c.HTTPListenAddr = o.listen
			c.Handler = mux
			c.NumWorkers = 4
			c.SkipDownwardAPIResolution = true // the provider resolves env once the pod has its IP
			c.InformerResyncPeriod = 10 * time.Minute
			return nil
		},
		nodeutil.AttachProviderRoutes(mux),
	)
	if err != nil {
		return err
	}
	go provider.ProvisionVolumes(podCtx)

	vkCtx, stopVK := context.WithCancel(context.Background())
	defer stopVK()
	go func() { _ = n.Run(vkCtx) }()
	select {
	case <-ctx.Done():
	case <-n.Done():
	}
	klog.InfoS("Stopping: tearing every pod down")
	provider.Shutdown()
	stopVK()
	<-n.Done()
	if err := network.Sweep(context.Background()); err != nil {
		klog.ErrorS(err, "Sweeping pod networks")
	}
	if err := n.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// nodeSpec is the Node the node registers: addresses, capacity and the
// labels kube-prometheus and the scheduler read.
func nodeSpec(n *corev1.Node, o options, ip net.IP, cpu, mem resource.Quantity) {
	n.Labels["kubernetes.io/os"] = "linux"
	n.Labels["kubernetes.io/arch"] = runtime.GOARCH
	n.Labels["kubernetes.io/hostname"] = o.name
	n.Labels["node-role.kubernetes.io/worker"] = ""
	delete(n.Labels, "type")
	_, port, _ := net.SplitHostPort(o.listen)
	var kubeletPort int32
	fmt.Sscan(port, &kubeletPort)
	resources := corev1.ResourceList{
		corev1.ResourceCPU:              cpu,
		corev1.ResourceMemory:           mem,
		corev1.ResourcePods:             resource.MustParse("110"),
		corev1.ResourceEphemeralStorage: resource.MustParse("50Gi"),
	}
	n.Status.Capacity, n.Status.Allocatable = resources, resources.DeepCopy()
	n.Status.Addresses = []corev1.NodeAddress{
		{Type: corev1.NodeInternalIP, Address: ip.String()},
		{Type: corev1.NodeHostName, Address: o.name},
	}
	n.Status.DaemonEndpoints.KubeletEndpoint.Port = kubeletPort
	hostname, _ := os.Hostname()
	n.Status.NodeInfo = corev1.NodeSystemInfo{
		KubeletVersion:          kubeletVersion,
		OperatingSystem:         "linux",
		Architecture:            runtime.GOARCH,
		KernelVersion:           kernelVersion(),
		OSImage:                 "vigil-node (processes on " + hostname + ")",
		ContainerRuntimeVersion: "vigil-node://" + kubeletVersion,
	}
}

func kernelVersion() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
