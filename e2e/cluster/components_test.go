package cluster

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestNodeArgs(t *testing.T) {
	g := NewWithT(t)
	got := nodeArgs(layout("/d"), NodeOptions{Name: "n1", Binary: "/bin/vigil-node", Args: []string{"--image=a=b"}})
	g.Expect(got).To(Equal([]string{
		"--kubeconfig=/d/node.kubeconfig",
		"--node-name=n1",
		"--node-ip=10.213.0.1",
		"--listen=10.213.0.1:10250",
		"--tls-cert-file=/d/pki/kubelet.crt",
		"--tls-private-key-file=/d/pki/kubelet.key",
		"--client-ca-file=/d/pki/ca.crt",
		"--apiserver-host=10.213.0.1",
		"--apiserver-port=6443",
		"--state-dir=/d/node",
		"--image=a=b",
	}))
}

func TestComponentArgsStayInDir(t *testing.T) {
	// Every path a component is given is inside Dir: nothing is written to
	// the host's default locations (/var/lib/kubelet, /usr/libexec/kubernetes).
	l := layout("/d")
	for name, args := range map[string][]string{
		Etcd:                  etcdArgs(l),
		KubeAPIServer:         apiServerArgs(l),
		KubeControllerManager: controllerManagerArgs(l),
		KubeScheduler:         schedulerArgs(l),
	} {
		g := NewWithT(t)
		g.Expect(args).To(ContainElement(MatchRegexp(`^--(cert|data)-dir=/d/`)), name)
		for _, a := range args {
			g.Expect(a).NotTo(MatchRegexp(`=/(var|usr|etc|run)/`), name)
		}
	}
	NewWithT(t).Expect(controllerManagerArgs(l)).To(ContainElement("--flex-volume-plugin-dir=/d/flexvolume"))
}

func TestChildEnvDropsProxies(t *testing.T) {
	g := NewWithT(t)
	g.Expect(childEnv([]string{"PATH=/bin", "https_proxy=http://p", "HTTP_PROXY=http://p", "no_proxy=x", "HOME=/root"})).
		To(Equal([]string{"PATH=/bin", "HOME=/root"}))
}

func TestParseLockFile(t *testing.T) {
	tests := []struct{ in, pid, dir string }{
		{"pid=12\ndir=/tmp/x\n", "12", "/tmp/x"},
		{"", "?", "?"}, // written by a Start that has not finished acquiring it
	}
	for _, tt := range tests {
		pid, dir := parseLockFile(tt.in)
		NewWithT(t).Expect([]string{pid, dir}).To(Equal([]string{tt.pid, tt.dir}))
	}
}

func TestStopOrder(t *testing.T) {
	var started []*component
	for _, name := range []string{Etcd, KubeAPIServer, KubeScheduler, VigilNode, KubeControllerManager} {
		started = append(started, &component{process: &process{name: name}})
	}
	var names []string
	for _, c := range stopOrder(started) {
		names = append(names, c.name)
	}
	NewWithT(t).Expect(names).To(Equal([]string{VigilNode, KubeScheduler, KubeControllerManager, KubeAPIServer, Etcd}))
}
