package cluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Machine-wide state: the lock, and the record of the running cluster's
// processes, used to clean up after a run that did not Stop.
var (
	lockPath  = "/run/vigil-localcluster.lock"
	recordDir = "/run/vigil-localcluster"
)

// machineLock is the flock that lets one local cluster run at a time. The
// file also says who holds it. Go opens files close-on-exec, so children do
// not inherit it: a crashed run frees the lock even if a child survived.
type machineLock struct{ f *os.File }

func acquireLock(dir string) (*machineLock, error) {
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		data, _ := os.ReadFile(lockPath)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid, holder := parseLockFile(string(data))
			return nil, fmt.Errorf("another local cluster is running (pid %s, dir %s)", pid, holder)
		}
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(fmt.Sprintf("pid=%d\ndir=%s\n", os.Getpid(), dir)), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	return &machineLock{f: f}, nil
}

func parseLockFile(s string) (pid, dir string) {
	pid, dir = "?", "?"
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(line, "pid="); ok {
			pid = v
		} else if v, ok := strings.CutPrefix(line, "dir="); ok {
			dir = v
		}
	}
	return pid, dir
}

func (l *machineLock) release() {
	_ = l.f.Truncate(0)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}

// recordProcess notes that the cluster's component name runs as pid, with the
// process's start time so that a reused pid is never taken for it.
func recordProcess(name string, pid int) error {
	start, err := procStartTime(pid)
	if err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	if err := os.MkdirAll(recordDir, 0o755); err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	return writeFile(filepath.Join(recordDir, name+".pid"), []byte(fmt.Sprintf("%d %d\n", pid, start)), 0o644)
}

func forgetProcess(name string) {
	_ = os.Remove(filepath.Join(recordDir, name+".pid"))
}

// sweepLeftovers kills the process groups of the recorded processes that
// still run, waits until they are gone, and deletes the record. It returns
// the names of the components it killed.
func sweepLeftovers() ([]string, error) {
	files, _ := filepath.Glob(filepath.Join(recordDir, "*.pid"))
	var killed []string
	var errs []error
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".pid")
		data, _ := os.ReadFile(file)
		var pid int
		var start uint64
		if _, err := fmt.Sscan(string(data), &pid, &start); err == nil && pid > 1 && alive(pid, start) {
			// It may be dying already (its Pdeathsig fired): SIGKILL anyway,
			// then wait until it has released its ports.
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			_ = syscall.Kill(pid, syscall.SIGKILL)
			killed = append(killed, fmt.Sprintf("%s (pid %d)", name, pid))
			if err := waitGone(pid, start, 10*time.Second); err != nil {
				errs = append(errs, fmt.Errorf("leftover %s: %w", name, err))
				continue
			}
		}
		_ = os.Remove(file)
	}
	return killed, errors.Join(errs...)
}

// alive reports whether pid is the process that started at start and has not
// finished exiting. A zombie leader whose other threads still run has not:
// the process's files, its listening sockets among them, close with the last
// thread.
func alive(pid int, start uint64) bool {
	state, got, err := procStat(pid)
	if err != nil || got != start {
		return false
	}
	if state != "Z" && state != "X" {
		return true
	}
	threads, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	return len(threads) > 1
}

func waitGone(pid int, start uint64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for alive(pid, start) {
		if time.Now().After(deadline) {
			return fmt.Errorf("pid %d still running %s after SIGKILL", pid, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func procStartTime(pid int) (uint64, error) {
	_, start, err := procStat(pid)
	return start, err
}

// procStat returns the state and start time (in clock ticks since boot) of
// pid from /proc/<pid>/stat.
func procStat(pid int) (state string, start uint64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0, err
	}
	// The command name, field 2, is in parentheses and may hold anything.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return "", 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 20 {
		return "", 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	start, err = strconv.ParseUint(fields[19], 10, 64) // field 22
	return fields[0], start, err
}
