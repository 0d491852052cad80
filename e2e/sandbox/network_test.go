package sandbox

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNextFreeIP(t *testing.T) {
	_, wide, _ := net.ParseCIDR("10.213.0.0/16")
	_, narrow, _ := net.ParseCIDR("10.213.250.0/24")
	_, tiny, _ := net.ParseCIDR("10.213.250.0/30")
	gw16, gw24 := net.ParseIP("10.213.0.1"), net.ParseIP("10.213.250.1")
	tests := []struct {
		name string
		cidr *net.IPNet
		gw   net.IP
		used []string
		want string
	}{
		{name: "a /16 skips its first /24", cidr: wide, gw: gw16, want: "10.213.1.1"},
		{name: "next after used", cidr: wide, gw: gw16, used: []string{"10.213.1.1", "10.213.1.2"}, want: "10.213.1.3"},
		{name: "fills gaps", cidr: wide, gw: gw16, used: []string{"10.213.1.1", "10.213.1.3"}, want: "10.213.1.2"},
		{name: "skips .255 and .0", cidr: wide, gw: gw16, used: seq("10.213.1.", 1, 254), want: "10.213.2.1"},
		{name: "a /24 skips the gateway", cidr: narrow, gw: gw24, want: "10.213.250.2"},
		{name: "full", cidr: tiny, gw: gw24, used: []string{"10.213.250.2"}, want: "<nil>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			used := map[string]string{}
			for _, u := range tt.used {
				used[u] = "x"
			}
			if got := nextFreeIP(tt.cidr, tt.gw, used).String(); got != tt.want {
				t.Errorf("nextFreeIP = %s, want %s", got, tt.want)
			}
		})
	}
}

func seq(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, prefix+strconv.Itoa(i))
	}
	return out
}

func TestNetworkValidate(t *testing.T) {
	_, outside, _ := net.ParseCIDR("10.0.0.0/8")
	_, wider, _ := net.ParseCIDR("10.212.0.0/15")
	tests := []struct {
		name   string
		modify func(*Network)
		want   string
	}{
		{name: "valid", modify: func(*Network) {}},
		{name: "CIDR outside 10.213.0.0/16", modify: func(n *Network) { n.CIDR = outside }, want: "outside"},
		{name: "CIDR wider than 10.213.0.0/16", modify: func(n *Network) { n.CIDR = wider }, want: "outside"},
		{name: "gateway outside CIDR", modify: func(n *Network) { n.Gateway = net.ParseIP("10.213.1.1") }, want: "not in"},
		{name: "long prefix", modify: func(n *Network) {
			n.Prefix = "toolong"
		}, want: "prefix"},
		{name: "short prefix", modify: func(n *Network) {
			n.Prefix = "v"
		}, want: "prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := testNetwork()
			tt.modify(n)
			err := n.validate()
			if got := fmt.Sprint(err); (tt.want == "" && err != nil) || !strings.Contains(got, tt.want) {
				t.Errorf("validate = %v, want %q", err, tt.want)
			}
		})
	}
}

// setupNetwork creates the test bridge and removes it with every pod when the test ends.
func setupNetwork(t *testing.T) *Network {
	t.Helper()
	ctx := context.Background()
	n := testNetwork()
	if err := n.Sweep(ctx); err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	for range 2 { // idempotent
		if err := n.EnsureBridge(ctx); err != nil {
			t.Fatalf("EnsureBridge: %v", err)
		}
	}
	t.Cleanup(func() {
		if err := n.Sweep(ctx); err != nil {
			t.Errorf("Sweep: %v", err)
		}
		if err := n.DeleteBridge(ctx); err != nil {
			t.Errorf("DeleteBridge: %v", err)
		}
	})
	return n
}

func TestPodsReachEachOtherAndTheGateway(t *testing.T) {
	requireRoot(t)
	ctx := context.Background()
	n := setupNetwork(t)

	// Concurrent AddPod calls must get distinct addresses.
	ids := []string{"pod-a", "pod-b", "pod-c", "pod-d", "pod-e"}
	pods := make([]PodNet, len(ids))
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Go(func() { pods[i], errs[i] = n.AddPod(ctx, id) })
	}
	wg.Wait()
	seen := map[string]string{}
	for i, pn := range pods {
		if errs[i] != nil {
			t.Fatalf("AddPod %s: %v", ids[i], errs[i])
		}
		if !n.CIDR.Contains(pn.IP) || pn.IP.Equal(n.Gateway) {
			t.Errorf("pod %s got %s", ids[i], pn.IP)
		}
		if other, dup := seen[pn.IP.String()]; dup {
			t.Errorf("pods %s and %s share %s", ids[i], other, pn.IP)
		}
		seen[pn.IP.String()] = ids[i]
	}
	again, err := n.AddPod(ctx, "pod-a")
	if err != nil || !again.IP.Equal(pods[0].IP) || again.NetNS != pods[0].NetNS {
		t.Errorf("second AddPod(pod-a) = %+v, %v; want %+v", again, err, pods[0])
	}

	// An HTTP server on the gateway address, reached from a pod.
	ln, err := net.Listen("tcp", net.JoinHostPort(n.Gateway.String(), "0"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "gateway") })}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	var procs []*Process
	for i, name := range []string{"pod-a", "pod-b"} {
		spec := testSpec(t, name, "serve", ":8080")
		spec.Hostname, spec.NetNS = name, pods[i].NetNS
		procs = append(procs, startTest(t, spec))
	}
	urlOf := func(i int, path string) string { return fmt.Sprintf("http://%s:8080%s", pods[i].IP, path) }
	eventually(t, "pod-a serves", func() error { _, err := httpGet(urlOf(0, "/hostname")); return err })
	eventually(t, "pod-b serves", func() error { _, err := httpGet(urlOf(1, "/hostname")); return err })

	checks := []struct{ name, url, want string }{
		{"host to pod-a", urlOf(0, "/hostname"), "pod-a"},
		{"pod-a to pod-b", urlOf(0, "/get?url="+urlOf(1, "/hostname")), "pod-b"},
		{"pod-b to pod-a", urlOf(1, "/get?url="+urlOf(0, "/hostname")), "pod-a"},
		{"pod-a to the gateway", urlOf(0, "/get?url=http://"+ln.Addr().String()+"/"), "gateway"},
		{"pod-b to its own lo", urlOf(1, "/get?url=http://127.0.0.1:8080/hostname"), "pod-b"},
	}
	for _, c := range checks {
		if got, err := httpGet(c.url); err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}

	// Exec enters the pod's network and UTS namespaces.
	if code, out := execOut(t, procs[0], podserver, "get", urlOf(1, "/hostname")); code != 0 || out != "pod-b" {
		t.Errorf("Exec in pod-a: get pod-b = %d %q", code, out)
	}
	if code, out := execOut(t, procs[0], podserver, "get", "http://127.0.0.1:8080/hostname"); code != 0 || out != "pod-a" {
		t.Errorf("Exec in pod-a: get its own lo = %d %q", code, out)
	}

	// No address outside 10.213.0.0/16 and loopback: no IPv6 link-local either.
	checkAddrs := func(where string, addrs []string) {
		for _, a := range addrs {
			ip, _, _ := net.ParseCIDR(a)
			if ip == nil || !(ip.IsLoopback() || allowedNet.Contains(ip)) {
				t.Errorf("%s has address %s", where, a)
			}
		}
	}
	checkAddrs(n.Bridge, interfaceAddrs(t, n.Bridge))
	checkAddrs("host veth", interfaceAddrs(t, n.vethName("pod-a")))
	for i := range 2 {
		checkAddrs(ids[i], podAddrs(t, pods[i].NetNS))
	}

	for i, id := range ids {
		for range 2 { // idempotent
			if err := n.RemovePod(ctx, id); err != nil {
				t.Fatalf("RemovePod %s: %v", id, err)
			}
		}
		mustNotExist(t, pods[i].NetNS, filepath.Join(n.StateDir, pods[i].IP.String()))
		if linkExists(n.vethName(id)) {
			t.Errorf("veth of %s left after RemovePod", id)
		}
	}
}

// crashingNode runs in a child test binary: it creates a pod network and a
// container whose children stay behind, then exits without cleaning up.
func crashingNode(out string) int {
	ctx := context.Background()
	n := testNetwork()
	pn, err := n.AddPod(ctx, "crashed")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, err = testRuntime.Start(Spec{
		ID: "crashed-c", Group: "crashed", Path: os.Getenv("SANDBOX_TEST_PODSERVER"), Args: []string{"fork", "2"},
		NetNS: pn.NetNS, Stdout: f, Mounts: []Mount{{Source: os.TempDir(), Target: "/vigil-crashed"}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(out); len(strings.Fields(string(b))) == 2 {
			return 0 // "crash": leave everything behind
		}
	}
	fmt.Fprintln(os.Stderr, "children did not start")
	return 1
}

func TestSweepAfterCrash(t *testing.T) {
	requireRoot(t)
	ctx := context.Background()
	n := setupNetwork(t)
	out := filepath.Join(t.TempDir(), "pids")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+out, "SANDBOX_TEST_PODSERVER="+podserver)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("crashing node: %v\n%s", err, b)
	}
	b, _ := os.ReadFile(out)
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		pid, _ := strconv.Atoi(f)
		pids = append(pids, pid)
	}
	hs, _ := cgroupHierarchies()
	cgDir := filepath.Join(hs[0], testRuntime.Name, "crashed")
	left := []string{"/run/netns/vsbtcrashed", cgDir, filepath.Join(n.StateDir)}
	for _, p := range left {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("the crash left no %s: %v", p, err)
		}
	}
	if !linkExists(n.vethName("crashed")) || !alive(pids[0]) {
		t.Fatal("the crash left no veth or no process")
	}

	for range 2 { // idempotent
		if err := testRuntime.Sweep(); err != nil {
			t.Fatalf("Sweep: %v", err)
		}
		if err := n.Sweep(ctx); err != nil {
			t.Fatalf("Network.Sweep: %v", err)
		}
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("pid %d survived Sweep", pid)
		}
	}
	mustNotExist(t, append(left, testRuntime.StateDir, filepath.Join(hs[0], testRuntime.Name))...)
	if linkExists(n.vethName("crashed")) {
		t.Error("veth left after Sweep")
	}
	infos, _ := readMountInfo()
	for _, mi := range infos {
		if strings.HasPrefix(mi.point, filepath.Dir(testRuntime.StateDir)) || strings.HasPrefix(mi.point, "/run/netns/vsbt") {
			t.Errorf("mount %s left after Sweep", mi.point)
		}
	}
	mustNotExist(t, "/vigil-crashed")
}

func interfaceAddrs(t *testing.T, name string) []string {
	t.Helper()
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := ifc.Addrs()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out
}

// podAddrs lists every address in a network namespace, as ip prints them.
func podAddrs(t *testing.T, netns string) []string {
	t.Helper()
	b, err := exec.Command("nsenter", "--net="+netns, "ip", "-o", "addr", "show").Output()
	if err != nil {
		t.Fatalf("listing addresses in %s: %v", netns, err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		// "2: eth0    inet 10.213.250.2/24 brd ... scope global eth0"
		f := strings.Fields(line)
		if len(f) >= 4 {
			out = append(out, f[3])
		}
	}
	if len(out) < 2 {
		t.Errorf("addresses in %s: %q, want lo and eth0", netns, out)
	}
	return out
}
