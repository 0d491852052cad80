package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests use their own cgroup name, state dirs, bridge and prefix, and a
// /24 of the pod range, so their sweeps cannot touch a running node (which
// must not hand out 10.213.250.0/24 while they run).
var (
	testRuntime = &Runtime{Name: "vigiltest", StateDir: "/run/vigil-sandbox-test/containers"}
	testNetwork = func() *Network {
		_, cidr, _ := net.ParseCIDR("10.213.250.0/24")
		return &Network{Bridge: "vsbtest0", Gateway: net.IPv4(10, 213, 250, 1).To4(), CIDR: cidr, Prefix: "vsbt", StateDir: "/run/vigil-sandbox-test/net"}
	}
	// podserver is the container binary built from testdata/podserver.
	podserver string
)

// crashEnv makes the test binary play a node that crashes; see TestSweep.
const crashEnv = "SANDBOX_TEST_CRASH"

func TestMain(m *testing.M) {
	Init()
	if os.Getenv(crashEnv) != "" {
		os.Exit(crashingNode(os.Getenv(crashEnv)))
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Geteuid() != 0 {
		return m.Run() // every test skips
	}
	dir, err := os.MkdirTemp("", "sandbox-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	podserver = filepath.Join(dir, "podserver")
	build := exec.Command("go", "build", "-o", podserver, "./testdata/podserver")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building podserver: %v\n%s", err, out)
		return 1
	}
	code := m.Run()
	if err := testRuntime.Sweep(); err != nil {
		fmt.Fprintf(os.Stderr, "final Sweep: %v\n", err)
		code = 1
	}
	if err := removeStateDir(filepath.Dir(testRuntime.StateDir)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	return code
}

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: creates namespaces, mounts, cgroups and interfaces")
	}
}

// testSpec returns a container spec running podserver with args.
func testSpec(t *testing.T, group string, args ...string) Spec {
	t.Helper()
	name := strings.NewReplacer("/", "-", "#", "-").Replace(t.Name())
	return Spec{
		ID:     fmt.Sprintf("%s-%d", name, time.Now().UnixNano()),
		Group:  group,
		Path:   podserver,
		Args:   args,
		Env:    []string{"PATH=/usr/bin:/bin"},
		Stdout: tempFile(t, "stdout"),
		Stderr: tempFile(t, "stderr"),
	}
}

func tempFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// startTest starts spec and kills its group when the test ends.
func startTest(t *testing.T, spec Spec) *Process {
	t.Helper()
	p, err := testRuntime.Start(spec)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := testRuntime.KillGroup(spec.Group); err != nil {
			t.Errorf("KillGroup: %v", err)
		}
		p.Wait()
	})
	return p
}

// execOut runs argv in the container and returns its exit code and stdout.
func execOut(t *testing.T, p *Process, argv ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	code, err := Exec(ctx, p.Pid, argv, []string{"PATH=/usr/bin:/bin"}, nil, &out, &errOut)
	if err != nil {
		t.Fatalf("Exec %v: %v (stderr %q)", argv, err, errOut.String())
	}
	return code, out.String()
}

// eventually polls f until it returns nil or the deadline passes.
func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func httpGet(url string) (string, error) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s: %s", url, resp.Status, b.String())
	}
	return b.String(), err
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) state ..."; comm may contain spaces, so cut at the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

func mustNotExist(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil || !os.IsNotExist(err) {
			t.Errorf("%s exists on the host (or lstat failed: %v)", p, err)
		}
	}
}
