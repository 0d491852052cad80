package cluster

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// component is a process and how to tell that it is ready.
type component struct {
	*process
	timeout time.Duration // for readiness, from the start
	ready   func(ctx context.Context) error
}

func etcdArgs(l layout) []string {
	return []string{
		"--name=vigil",
		"--data-dir=" + l.etcdData(),
		"--listen-client-urls=" + etcdClientURL,
		"--advertise-client-urls=" + etcdClientURL,
		"--listen-peer-urls=" + etcdPeerURL,
		"--initial-advertise-peer-urls=" + etcdPeerURL,
		"--initial-cluster=vigil=" + etcdPeerURL,
		"--initial-cluster-state=new",
		"--unsafe-no-fsync=true", // test data: durability does not matter
		"--log-level=warn",
	}
}

func apiServerArgs(l layout) []string {
	return []string{
		"--etcd-servers=" + etcdClientURL,
		"--bind-address=" + HostIP,
		"--advertise-address=" + HostIP,
		fmt.Sprintf("--secure-port=%d", APIServerPort),
		"--tls-cert-file=" + l.pki(pkiAPIServer+".crt"),
		"--tls-private-key-file=" + l.pki(pkiAPIServer+".key"),
		"--client-ca-file=" + l.pki(pkiCA+".crt"),
		"--authorization-mode=Node,RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + l.pki(pkiServiceAccountPub),
		"--service-account-signing-key-file=" + l.pki(pkiServiceAccountKey),
		"--service-cluster-ip-range=" + ServiceCIDR,
		"--kubelet-client-certificate=" + l.pki(pkiAPIServerKubeletCli+".crt"),
		"--kubelet-client-key=" + l.pki(pkiAPIServerKubeletCli+".key"),
		"--kubelet-certificate-authority=" + l.pki(pkiCA+".crt"),
		"--kubelet-preferred-address-types=InternalIP",
		"--allow-privileged=true",
		"--cert-dir=" + l.certDir(KubeAPIServer),
	}
}

// componentAuthArgs are the kube-controller-manager's and kube-scheduler's
// common flags: one kubeconfig for everything, health on a fixed local port.
func componentAuthArgs(l layout, component, user, addr string) []string {
	host, port, _ := net.SplitHostPort(addr)
	kubeconfig := l.kubeconfig(user)
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--leader-elect=false",
		"--bind-address=" + host,
		"--secure-port=" + port,
		"--cert-dir=" + l.certDir(component),
	}
}

func controllerManagerArgs(l layout) []string {
	return append(componentAuthArgs(l, KubeControllerManager, "controller-manager", kcmAddr),
		"--service-account-private-key-file="+l.pki(pkiServiceAccountKey),
		"--root-ca-file="+l.pki(pkiCA+".crt"),
		"--cluster-signing-cert-file="+l.pki(pkiCA+".crt"),
		"--cluster-signing-key-file="+l.pki(pkiCA+".key"),
		"--use-service-account-credentials=true",
		"--controllers=*",
		// Else it creates /usr/libexec/kubernetes on the host.
		"--flex-volume-plugin-dir="+l.path("flexvolume"),
	)
}

func schedulerArgs(l layout) []string {
	return componentAuthArgs(l, KubeScheduler, "scheduler", schedulerAddr)
}

// nodeArgs are vigil-node's flags: the ones Start owns, then n.Args.
func nodeArgs(l layout, n NodeOptions) []string {
	host, port, _ := net.SplitHostPort(APIServerURL[len("https://"):])
	return append([]string{
		"--kubeconfig=" + l.kubeconfig("node"),
		"--node-name=" + n.Name,
		"--node-ip=" + HostIP,
		"--listen=" + kubeletAddr,
		"--tls-cert-file=" + l.pki(pkiKubelet+".crt"),
		"--tls-private-key-file=" + l.pki(pkiKubelet+".key"),
		"--client-ca-file=" + l.pki(pkiCA+".crt"),
		"--apiserver-host=" + host,
		"--apiserver-port=" + port,
		"--state-dir=" + l.path("node"),
	}, n.Args...)
}

// Health checks. Each is one attempt; waitReady repeats it.

var (
	plainHTTP = &http.Client{Transport: &http.Transport{Proxy: nil}}
	// kube-controller-manager and kube-scheduler serve /healthz with a
	// self-signed certificate of their own; it is not what is being tested.
	insecureHTTP = &http.Client{Transport: &http.Transport{
		Proxy:           nil,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // health check of a local self-signed endpoint
	}}
)

func httpGet(ctx context.Context, c *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}

func etcdReady(ctx context.Context) error {
	body, err := httpGet(ctx, plainHTTP, etcdClientURL+"/health")
	if err != nil {
		return err
	}
	var h struct {
		Health string `json:"health"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(body, &h); err != nil {
		return fmt.Errorf("etcd /health: %w", err)
	}
	if h.Health != "true" {
		return fmt.Errorf("etcd /health: %s", body)
	}
	return nil
}

func apiServerReady(cs kubernetes.Interface) func(context.Context) error {
	return func(ctx context.Context) error {
		body, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err != nil {
			return fmt.Errorf("/readyz: %w: %s", err, body)
		}
		return nil
	}
}

func healthzReady(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := httpGet(ctx, insecureHTTP, "https://"+addr+"/healthz")
		return err
	}
}

// controllerManagerReady checks /healthz, then that the controllers a pod
// needs have run: a Pod is refused until its namespace has the "default"
// ServiceAccount, and its projected token volume needs kube-root-ca.crt.
// /healthz answers seconds before the controllers start.
func controllerManagerReady(cs kubernetes.Interface) func(context.Context) error {
	healthz := healthzReady(kcmAddr)
	return func(ctx context.Context) error {
		if err := healthz(ctx); err != nil {
			return err
		}
		if _, err := cs.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(ctx, "default", metav1.GetOptions{}); err != nil {
			return fmt.Errorf("ServiceAccount default/default: %w", err)
		}
		if _, err := cs.CoreV1().ConfigMaps(metav1.NamespaceDefault).Get(ctx, "kube-root-ca.crt", metav1.GetOptions{}); err != nil {
			return fmt.Errorf("ConfigMap default/kube-root-ca.crt: %w", err)
		}
		return nil
	}
}

// nodeReady checks that the Node is Ready and that the kubelet port answers:
// after a restart, the Node stays Ready for a while whether or not the new
// process is up.
func nodeReady(cs kubernetes.Interface, name string) func(context.Context) error {
	return func(ctx context.Context) error {
		node, err := cs.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		ready := false
		for _, c := range node.Status.Conditions {
			ready = ready || c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue
		}
		if !ready {
			return fmt.Errorf("node %s is not Ready", name)
		}
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", kubeletAddr)
		if err != nil {
			return fmt.Errorf("kubelet port: %w", err)
		}
		return conn.Close()
	}
}
