//go:build e2e

package cluster

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const crashHelperEnv = "VIGIL_CLUSTER_CRASH_HELPER_DIR"

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: it creates the bridge vigil0 and writes under /run")
	}
}

// testDir returns a state directory kept if the test fails or
// VIGIL_E2E_KEEP is set, for its logs.
func testDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "vigil-cluster-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("VIGIL_E2E_KEEP") != "" {
			t.Logf("Kept %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func startCluster(t *testing.T, dir string) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := Start(ctx, Options{Dir: dir, Progress: logWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

func TestControlPlane(t *testing.T) {
	requireRoot(t)
	g := NewWithT(t)
	dir := testDir(t)
	ctx := context.Background()

	c := startCluster(t, dir)
	cs := kubernetes.NewForConfigOrDie(c.Config)

	t.Run("serves its version", func(t *testing.T) {
		v, err := cs.Discovery().ServerVersion()
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		NewWithT(t).Expect(v.GitVersion).To(Equal(KubernetesVersion))
	})
	t.Run("controller manager publishes the root CA and service accounts", func(t *testing.T) {
		g := NewWithT(t)
		ca, err := os.ReadFile(filepath.Join(dir, "pki", "ca.crt"))
		g.Expect(err).NotTo(HaveOccurred())
		g.Eventually(func(g Gomega) {
			cm, err := cs.CoreV1().ConfigMaps("default").Get(ctx, "kube-root-ca.crt", metav1.GetOptions{})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(cm.Data["ca.crt"]).To(Equal(string(ca)))
		}).WithTimeout(30 * time.Second).WithPolling(100 * time.Millisecond).Should(Succeed())
		// The "default" ServiceAccount is the controller manager's work.
		var token string
		g.Eventually(func(g Gomega) {
			tr, err := cs.CoreV1().ServiceAccounts("default").CreateToken(ctx, "default",
				&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{}}, metav1.CreateOptions{})
			g.Expect(err).NotTo(HaveOccurred())
			token = tr.Status.Token
		}).WithTimeout(30 * time.Second).WithPolling(100 * time.Millisecond).Should(Succeed())
		// The token authenticates: the service-account key pair is wired up.
		sa := rest.AnonymousClientConfig(c.Config)
		sa.BearerToken = token
		review, err := kubernetes.NewForConfigOrDie(sa).AuthenticationV1().SelfSubjectReviews().
			Create(ctx, &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(review.Status.UserInfo.Username).To(Equal("system:serviceaccount:default:default"))
	})
	t.Run("scheduler and controller manager are healthy", func(t *testing.T) {
		g := NewWithT(t)
		for _, addr := range []string{schedulerAddr, kcmAddr} {
			body, err := httpGet(ctx, insecureHTTP, "https://"+addr+"/healthz")
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(body)).To(Equal("ok"))
		}
	})
	t.Run("kubectl uses the admin kubeconfig", func(t *testing.T) {
		out, err := c.Kubectl(ctx, "get", "namespace", "default", "-o", "name").CombinedOutput()
		NewWithT(t).Expect(err).NotTo(HaveOccurred(), string(out))
		NewWithT(t).Expect(string(out)).To(Equal("namespace/default\n"))
	})
	t.Run("a second Start fails at once", func(t *testing.T) {
		g := NewWithT(t)
		began := time.Now()
		_, err := Start(ctx, Options{Dir: t.TempDir()})
		g.Expect(err).To(MatchError(fmt.Sprintf("another local cluster is running (pid %d, dir %s)", os.Getpid(), dir)))
		g.Expect(time.Since(began)).To(BeNumerically("<", time.Second))
	})

	t.Run("Restart the API server", func(t *testing.T) {
		g := NewWithT(t)
		old := c.PID(KubeAPIServer)
		g.Expect(c.Restart(ctx, KubeAPIServer)).To(Succeed())
		g.Expect(c.PID(KubeAPIServer)).NotTo(BeElementOf(0, old))
		_, err := cs.Discovery().ServerVersion()
		g.Expect(err).NotTo(HaveOccurred())
	})

	pids := componentPIDs(c)
	pkiBefore := readPKI(t, dir)
	g.Expect(c.Stop()).To(Succeed())
	g.Expect(c.Stop()).To(Succeed(), "Stop is idempotent")
	t.Run("Stop leaves no process and no bridge", func(t *testing.T) {
		expectGone(NewWithT(t), pids)
	})

	t.Run("Start again on the same Dir reuses the PKI", func(t *testing.T) {
		g := NewWithT(t)
		c := startCluster(t, dir)
		g.Expect(readPKI(t, dir)).To(Equal(pkiBefore))
		v, err := kubernetes.NewForConfigOrDie(c.Config).Discovery().ServerVersion()
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(v.GitVersion).To(Equal(KubernetesVersion))
		g.Expect(c.Stop()).To(Succeed())
	})
}

// TestStartFailure checks that a component that fails to start is named,
// with its log, and that Start cleans up after itself.
func TestStartFailure(t *testing.T) {
	requireRoot(t)
	g := NewWithT(t)
	dir := testDir(t)
	node := filepath.Join(t.TempDir(), "broken-node")
	g.Expect(os.WriteFile(node, []byte("#!/bin/sh\necho 'cannot start: boom' >&2\nexit 3\n"), 0o755)).To(Succeed())

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, err := Start(ctx, Options{Dir: dir, Progress: logWriter{t}, Node: &NodeOptions{Binary: node}})
	g.Expect(err).To(MatchError(And(
		ContainSubstring("vigil-node: exited before it was ready: exit status 3"),
		ContainSubstring("cannot start: boom"))))
	t.Log(err)
	expectGone(g, nil)
	lock, err := acquireLock(dir)
	g.Expect(err).NotTo(HaveOccurred(), "the lock is free")
	lock.release()
}

// TestStartAfterCrash runs a cluster in a child test process, kills that
// process with SIGKILL and starts a cluster again.
func TestStartAfterCrash(t *testing.T) {
	requireRoot(t)
	g := NewWithT(t)
	dir := testDir(t)

	helper := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
	helper.Env = append(os.Environ(), crashHelperEnv+"="+dir)
	helper.Stderr = os.Stderr
	stdout, err := helper.StdoutPipe()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(helper.Start()).To(Succeed())
	t.Cleanup(func() { _ = helper.Process.Kill(); _ = helper.Wait() })
	lines := bufio.NewScanner(stdout)
	ready := false
	for !ready && lines.Scan() {
		ready = lines.Text() == "READY"
	}
	g.Expect(ready).To(BeTrue(), "the helper started a cluster")

	pids := recordedPIDs(t)
	g.Expect(pids).To(HaveLen(4))
	g.Expect(helper.Process.Signal(syscall.SIGKILL)).To(Succeed())
	_ = helper.Wait()
	g.Expect(bridgeExists(context.Background())).To(BeTrue(), "the crashed run left its bridge")

	c := startCluster(t, dir)
	expectGoneProcesses(g, pids)
	v, err := kubernetes.NewForConfigOrDie(c.Config).Discovery().ServerVersion()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(v.GitVersion).To(Equal(KubernetesVersion))
	g.Expect(c.Stop()).To(Succeed())
	expectGone(g, componentPIDs(c))
}

// TestCrashHelper is TestStartAfterCrash's child process.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashHelperEnv)
	if dir == "" {
		t.Skip("run by TestStartAfterCrash")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := Start(ctx, Options{Dir: dir, Progress: os.Stderr}); err != nil {
		t.Fatal(err)
	}
	fmt.Println("READY")
	<-ctx.Done()
}

// TestSweepKillsLeftovers checks that a recorded process that survived its
// cluster (its Pdeathsig did not fire) is killed, with its process group.
func TestSweepKillsLeftovers(t *testing.T) {
	requireRoot(t)
	g := NewWithT(t)
	lock, err := acquireLock(t.TempDir())
	g.Expect(err).NotTo(HaveOccurred())
	defer lock.release()

	leftover := exec.Command("sh", "-c", "sleep 600 & wait")
	leftover.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	g.Expect(leftover.Start()).To(Succeed())
	defer func() { _ = leftover.Process.Kill() }()
	waited := make(chan struct{})
	go func() { _ = leftover.Wait(); close(waited) }()
	g.Expect(recordProcess("leftover", leftover.Process.Pid)).To(Succeed())

	killed, err := sweepLeftovers()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(killed).To(ConsistOf(fmt.Sprintf("leftover (pid %d)", leftover.Process.Pid)))
	g.Eventually(waited).WithTimeout(5 * time.Second).Should(BeClosed())
	// The sleep is a zombie until its new parent reaps it.
	g.Eventually(func() error { return syscall.Kill(-leftover.Process.Pid, 0) }).
		WithTimeout(5*time.Second).WithPolling(20*time.Millisecond).Should(MatchError(syscall.ESRCH), "the whole group is gone")
	g.Expect(filepath.Join(recordDir, "leftover.pid")).NotTo(BeAnExistingFile())
}

type procID struct {
	pid   int
	start uint64
}

func componentPIDs(c *Cluster) map[string]procID {
	m := map[string]procID{}
	for _, comp := range c.components {
		pid := comp.pid()
		start, _ := procStartTime(pid)
		m[comp.name] = procID{pid, start}
	}
	return m
}

func recordedPIDs(t *testing.T) map[string]procID {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(recordDir, "*.pid"))
	m := map[string]procID{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var id procID
		if _, err := fmt.Sscan(string(data), &id.pid, &id.start); err != nil {
			t.Fatal(err)
		}
		m[strings.TrimSuffix(filepath.Base(f), ".pid")] = id
	}
	return m
}

func expectGoneProcesses(g Gomega, pids map[string]procID) {
	for name, id := range pids {
		g.Expect(alive(id.pid, id.start)).To(BeFalse(), "%s (pid %d) still runs", name, id.pid)
	}
}

// expectGone checks that the processes, the record, and the bridge are gone,
// and that no process runs a binary from the cluster's bin dir.
func expectGone(g Gomega, pids map[string]procID) {
	expectGoneProcesses(g, pids)
	g.Expect(bridgeExists(context.Background())).To(BeFalse(), "bridge %s left", BridgeName)
	files, _ := filepath.Glob(filepath.Join(recordDir, "*.pid"))
	g.Expect(files).To(BeEmpty())
	exes, _ := filepath.Glob("/proc/[0-9]*/exe")
	bin := DefaultBinDir()
	for _, exe := range exes {
		if target, err := os.Readlink(exe); err == nil && strings.HasPrefix(target, bin+"/") {
			g.Expect(target).To(BeEmpty(), "%s still runs", exe)
		}
	}
}

func readPKI(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "pki", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no PKI in %s: %v", dir, err)
	}
	m := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(f)] = string(data)
	}
	return m
}
