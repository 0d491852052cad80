// Command fakenode stands in for vigil-node in the cluster package's e2e
// tests: it takes the same flags, registers a Ready Node, serves TLS on the
// kubelet address and, on SIGTERM, makes one last API call (to show that the
// API server still runs when the node is stopped) and exits.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/retry"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "")
	name := flag.String("node-name", "", "")
	nodeIP := flag.String("node-ip", "", "")
	listen := flag.String("listen", "", "")
	certFile := flag.String("tls-cert-file", "", "")
	keyFile := flag.String("tls-private-key-file", "", "")
	flag.String("client-ca-file", "", "")
	flag.String("apiserver-host", "", "")
	flag.String("apiserver-port", "", "")
	stateDir := flag.String("state-dir", "", "")
	flag.Parse()
	if err := run(*kubeconfig, *name, *nodeIP, *listen, *certFile, *keyFile, *stateDir); err != nil {
		log.Fatal(err)
	}
}

func run(kubeconfig, name, nodeIP, listen, certFile, keyFile, stateDir string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	// The informers virtual-kubelet starts need the extra RBAC.
	if _, err := cs.CoreV1().Secrets("").List(ctx, metav1.ListOptions{Limit: 1}); err != nil {
		return fmt.Errorf("list secrets: %w", err)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	ln, err := tls.Listen("tcp", listen, &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		return err
	}
	go http.Serve(ln, http.NotFoundHandler()) //nolint:errcheck // ends with the process
	_, port, _ := net.SplitHostPort(listen)
	if err := register(ctx, cs, name, nodeIP, port); err != nil {
		return err
	}
	log.Printf("Node %s registered, state in %s", name, stateDir)
	for {
		select {
		case <-ctx.Done():
			// The API server must still be up while the node stops.
			_, err := cs.CoreV1().Nodes().Get(context.Background(), name, metav1.GetOptions{})
			log.Printf("Received SIGTERM; API server reachable at shutdown: %v", err == nil)
			return nil
		case <-time.After(5 * time.Second):
			if err := register(ctx, cs, name, nodeIP, port); err != nil && ctx.Err() == nil {
				log.Printf("Heartbeat: %v", err)
			}
		}
	}
}

// register creates the Node if needed and reports it Ready, again on a
// conflict: the controller manager's node lifecycle controller writes the
// Node too (its taints).
func register(ctx context.Context, cs kubernetes.Interface, name, nodeIP, port string) error {
	return retry.RetryOnConflict(retry.DefaultBackoff, func() error {
		return registerOnce(ctx, cs, name, nodeIP, port)
	})
}

func registerOnce(ctx context.Context, cs kubernetes.Interface, name, nodeIP, port string) error {
	nodes := cs.CoreV1().Nodes()
	node, err := nodes.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		node, err = nodes.Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name,
			Labels: map[string]string{"kubernetes.io/os": "linux"}}}, metav1.CreateOptions{})
	}
	if err != nil {
		return err
	}
	p, _ := strconv.Atoi(port)
	now := metav1.Now()
	node.Status = corev1.NodeStatus{
		Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue,
			Reason: "FakeNodeReady", LastHeartbeatTime: now, LastTransitionTime: now}},
		Addresses:       []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: nodeIP}},
		DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: int32(p)}},
		Capacity:        corev1.ResourceList{corev1.ResourcePods: resource.MustParse("10")},
		Allocatable:     corev1.ResourceList{corev1.ResourcePods: resource.MustParse("10")},
	}
	_, err = nodes.UpdateStatus(ctx, node, metav1.UpdateOptions{})
	return err
}
