package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestMountsAndHostname(t *testing.T) {
	requireRoot(t)
	tag := strconv.FormatInt(time.Now().UnixNano(), 36)
	src := t.TempDir()
	write(t, filepath.Join(src, "data.txt"), "volume data")
	roDir := t.TempDir()
	write(t, filepath.Join(roDir, "ro.txt"), "read only")
	confFile := filepath.Join(t.TempDir(), "app.conf")
	write(t, confFile, "config file")
	hosts := filepath.Join(t.TempDir(), "hosts")
	write(t, hosts, "10.213.1.1 pod-x\n")

	top := "/vigil-test-" + tag             // top level: created on the root tmpfs
	deep := "/etc/vigil-test-" + tag        // below an existing dir: overlay on /etc
	viaLink := "/var/run/vigil-test-" + tag // /var/run -> /run: overlay on /run
	spec := testSpec(t, "mounts-"+tag, "sleep")
	spec.Hostname = "pod-x"
	spec.Hosts = hosts
	spec.Dir = top
	spec.Mounts = []Mount{
		{Source: src, Target: top},
		{Source: src, Target: deep + "/config_out"},
		{Source: confFile, Target: deep + "/config_out/sub/app.conf"}, // beneath the earlier mount
		{Source: roDir, Target: viaLink + "/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
		{Source: confFile, Target: "/vigil-file-" + tag},
		{Source: confFile, Target: "/dev/vigil-termination-log-" + tag}, // overlay on /dev keeps /dev/pts, /dev/shm
		{Source: roDir, Target: "/vigil-ro-" + tag, ReadOnly: true},
		{Source: src, Target: "/vigil-ro-" + tag + "/nested"}, // the overlay on a read-only mount stays read-only
	}
	p := startTest(t, spec)

	reads := []struct{ path, want string }{
		{top + "/data.txt", "volume data"},
		{"data.txt", "volume data"}, // relative to Dir
		{deep + "/config_out/data.txt", "volume data"},
		{deep + "/config_out/sub/app.conf", "config file"},
		{viaLink + "/secrets/kubernetes.io/serviceaccount/ro.txt", "read only"},
		{"/run/vigil-test-" + tag + "/secrets/kubernetes.io/serviceaccount/ro.txt", "read only"},
		{"/vigil-file-" + tag, "config file"},
		{"/etc/hosts", "10.213.1.1 pod-x\n"},
		{"/dev/vigil-termination-log-" + tag, "config file"},
		{"/vigil-ro-" + tag + "/nested/data.txt", "volume data"},
		{"/proc/sys/kernel/hostname", "pod-x\n"},
	}
	for _, r := range reads {
		code, out := execOut(t, p, podserver, "cat", r.path)
		if code != 0 || out != r.want {
			t.Errorf("cat %s = %d %q, want 0 %q", r.path, code, out, r.want)
		}
	}
	// The overlay keeps what was there: /etc still has the host's passwd.
	if code, out := execOut(t, p, podserver, "cat", "/etc/passwd"); code != 0 || !strings.Contains(out, "root:") {
		t.Errorf("/etc/passwd in the container: %d %q", code, out)
	}
	if code, _ := execOut(t, p, podserver, "write", viaLink+"/secrets/kubernetes.io/serviceaccount/new"); code == 0 {
		t.Error("write into the read-only mount succeeded")
	}
	if code, _ := execOut(t, p, podserver, "write", "/vigil-ro-"+tag+"/new"); code == 0 {
		t.Error("write into the overlaid read-only mount succeeded")
	}
	if code, _ := execOut(t, p, podserver, "write", "/dev/null"); code != 0 {
		t.Error("writing /dev/null failed")
	}
	_, mounts := execOut(t, p, podserver, "cat", "/proc/self/mountinfo")
	for _, m := range []string{" /dev/pts ", " /dev/shm ", " /proc ", " /sys "} {
		if !strings.Contains(mounts, m) {
			t.Errorf("mount%snot visible in the container", m)
		}
	}
	if code, _ := execOut(t, p, podserver, "write", top+"/new"); code != 0 {
		t.Error("write into the read-write mount failed")
	}
	if b, err := os.ReadFile(filepath.Join(src, "new")); err != nil || string(b) != "written" {
		t.Errorf("write through the volume mount: %q, %v", b, err)
	}
	if code, _ := execOut(t, p, podserver, "exit", "7"); code != 7 {
		t.Errorf("Exec exit code = %d, want 7", code)
	}
	if code, _ := execOut(t, p, "/nonexistent-binary"); code == 0 {
		t.Error("Exec of a missing binary exited 0")
	}
	if h, _ := os.Hostname(); h == "pod-x" {
		t.Error("the host's hostname changed")
	}
	mustNotExist(t, top, deep, "/run/vigil-test-"+tag, "/vigil-file-"+tag, "/dev/vigil-termination-log-"+tag,
		"/vigil-ro-"+tag, filepath.Join(roDir, "new"), filepath.Join(roDir, "nested"))
	if err := testRuntime.KillGroup(spec.Group); err != nil {
		t.Fatal(err)
	}
	if code, err := p.Wait(); code != 128+int(syscall.SIGKILL) || err != nil {
		t.Errorf("Wait = %d, %v; want %d", code, err, 128+int(syscall.SIGKILL))
	}
	mustNotExist(t, top, deep, "/run/vigil-test-"+tag, filepath.Join(testRuntime.StateDir, spec.ID))
}

func TestSignalAndWait(t *testing.T) {
	requireRoot(t)
	tests := []struct {
		name   string
		args   []string
		signal syscall.Signal // 0: none, the process exits by itself
		want   int
	}{
		{name: "exit code", args: []string{"exit", "3"}, want: 3},
		{name: "handled SIGTERM", args: []string{"trap"}, signal: syscall.SIGTERM, want: 42},
		{name: "SIGKILL", args: []string{"sleep"}, signal: syscall.SIGKILL, want: 137},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := testSpec(t, fmt.Sprintf("signal-%d", i), tt.args...)
			p := startTest(t, spec)
			if tt.signal != 0 {
				// trap prints "ready" once its handler is installed.
				eventually(t, "process ready", func() error {
					if tt.args[0] != "trap" {
						return nil
					}
					b, _ := os.ReadFile(spec.Stdout.Name())
					if !strings.Contains(string(b), "ready") {
						return errors.New("not ready")
					}
					return nil
				})
				if err := p.Signal(tt.signal); err != nil {
					t.Fatalf("Signal: %v", err)
				}
			}
			code, err := p.Wait()
			if err != nil || code != tt.want {
				t.Errorf("Wait = %d, %v; want %d", code, err, tt.want)
			}
			if err := p.Signal(syscall.SIGTERM); !errors.Is(err, os.ErrProcessDone) {
				t.Errorf("Signal after exit = %v, want os.ErrProcessDone", err)
			}
		})
	}
}

func TestKillGroupKillsForkedChildren(t *testing.T) {
	requireRoot(t)
	spec := testSpec(t, "killgroup", "fork", "3")
	p := startTest(t, spec)
	var children []int
	eventually(t, "children started", func() error {
		b, _ := os.ReadFile(spec.Stdout.Name())
		children = children[:0]
		for _, f := range strings.Fields(string(b)) {
			pid, _ := strconv.Atoi(f)
			children = append(children, pid)
		}
		if len(children) < 3 {
			return fmt.Errorf("%d children", len(children))
		}
		return nil
	})
	if err := testRuntime.KillGroup(spec.Group); err != nil {
		t.Fatalf("KillGroup: %v", err)
	}
	for _, pid := range append(children, p.Pid) {
		if alive(pid) {
			t.Errorf("pid %d survived KillGroup", pid)
		}
	}
	if code, _ := p.Wait(); code != 137 {
		t.Errorf("Wait = %d, want 137", code)
	}
	hs, _ := cgroupHierarchies()
	for _, h := range hs {
		mustNotExist(t, filepath.Join(h, testRuntime.Name, spec.Group))
	}
	if err := testRuntime.KillGroup(spec.Group); err != nil {
		t.Errorf("second KillGroup: %v", err)
	}
}

func TestStartErrors(t *testing.T) {
	requireRoot(t)
	tests := []struct {
		name   string
		modify func(*Spec)
		want   string
	}{
		{name: "missing binary", modify: func(s *Spec) { s.Path = "/nonexistent/bin" }, want: "exec /nonexistent/bin: no such file or directory"},
		{name: "missing mount source", modify: func(s *Spec) { s.Mounts = []Mount{{Source: "/nonexistent-src", Target: "/x"}} }, want: "opening mount source /nonexistent-src"},
		{name: "missing working dir", modify: func(s *Spec) { s.Dir = "/nonexistent-dir" }, want: "changing to working dir /nonexistent-dir"},
		{name: "missing netns", modify: func(s *Spec) { s.NetNS = "/run/netns/nonexistent" }, want: "opening netns /run/netns/nonexistent"},
		{name: "relative path", modify: func(s *Spec) { s.Path = "podserver" }, want: "is not absolute"},
		{name: "mount over /", modify: func(s *Spec) { s.Mounts = []Mount{{Source: "/tmp", Target: "/"}} }, want: "target not /"},
		{name: "bad id", modify: func(s *Spec) { s.ID = "../x" }, want: "must be non-empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := testSpec(t, "errors", "sleep")
			tt.modify(&spec)
			p, err := testRuntime.Start(spec)
			if err == nil {
				p.Signal(syscall.SIGKILL)
				p.Wait()
				t.Fatal("Start succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %q, want it to contain %q", err, tt.want)
			}
			mustNotExist(t, filepath.Join(testRuntime.StateDir, spec.ID))
		})
	}
	hs, _ := cgroupHierarchies()
	for _, h := range hs {
		mustNotExist(t, filepath.Join(h, testRuntime.Name, "errors", "x"))
		entries, _ := os.ReadDir(filepath.Join(h, testRuntime.Name, "errors"))
		for _, e := range entries {
			if e.IsDir() {
				t.Errorf("cgroup %s left after a failed Start", e.Name())
			}
		}
	}
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCgroupV2 runs a container under the cgroup2 hierarchy of a hybrid host
// as if /sys/fs/cgroup were cgroup2.
func TestCgroupV2(t *testing.T) {
	requireRoot(t)
	const unified = "/sys/fs/cgroup/unified"
	var st unix.Statfs_t
	if err := unix.Statfs(unified, &st); err != nil || st.Type != unix.CGROUP2_SUPER_MAGIC {
		if err := unix.Statfs(cgroupMount, &st); err != nil || st.Type != unix.CGROUP2_SUPER_MAGIC {
			t.Skip("no cgroup2 hierarchy here")
		}
	} else {
		saved := cgroupMount
		cgroupMount = unified
		t.Cleanup(func() { cgroupMount = saved })
	}
	t.Cleanup(func() {
		if err := testRuntime.Sweep(); err != nil {
			t.Errorf("Sweep: %v", err)
		}
	})
	spec := testSpec(t, "cgroup2", "fork", "2")
	p := startTest(t, spec)
	eventually(t, "children started", func() error {
		pids, err := readPids(filepath.Join(cgroupMount, testRuntime.Name, spec.Group, spec.ID, "cgroup.procs"))
		if err != nil || len(pids) < 3 {
			return fmt.Errorf("%v in the cgroup (%v)", pids, err)
		}
		return nil
	})
	if err := testRuntime.KillGroup(spec.Group); err != nil {
		t.Fatalf("KillGroup: %v", err)
	}
	if code, _ := p.Wait(); code != 137 {
		t.Errorf("Wait = %d, want 137", code)
	}
	mustNotExist(t, filepath.Join(cgroupMount, testRuntime.Name, spec.Group))
}
