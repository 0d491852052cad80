package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// cgroupMount is where the cgroup hierarchies are; a variable so a test can
// point it at the cgroup2 hierarchy of a hybrid host.
var cgroupMount = "/sys/fs/cgroup"

// v1Controllers are the cgroup v1 hierarchies a container joins, the first
// present one being the one processes are listed from. pids comes first: it
// exists for this purpose and costs nothing without a limit.
var v1Controllers = []string{"pids", "memory", "cpu", "freezer"}

// cgroupHierarchies returns the mount points of the hierarchies containers
// join: /sys/fs/cgroup itself when it is cgroup2, else the v1 controllers.
func cgroupHierarchies() ([]string, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(cgroupMount, &st); err != nil {
		return nil, fmt.Errorf("statfs %s: %w", cgroupMount, err)
	}
	if st.Type == unix.CGROUP2_SUPER_MAGIC {
		return []string{cgroupMount}, nil
	}
	var out []string
	for _, c := range v1Controllers {
		dir := filepath.Join(cgroupMount, c)
		if _, err := os.Stat(filepath.Join(dir, "cgroup.procs")); err == nil {
			out = append(out, dir)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no cgroup hierarchy of %v under %s", v1Controllers, cgroupMount)
	}
	return out, nil
}

// cgroup is one cgroup path (relative, like "vigil/<group>/<id>") present in
// every hierarchy.
type cgroup struct {
	hierarchies []string
	rel         string
}

func (c cgroup) dirs() []string {
	out := make([]string, len(c.hierarchies))
	for i, h := range c.hierarchies {
		out[i] = filepath.Join(h, c.rel)
	}
	return out
}

func (c cgroup) create() error {
	for _, d := range c.dirs() {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("creating cgroup: %w", err)
		}
	}
	return nil
}

// add moves pid into the cgroup in every hierarchy.
func (c cgroup) add(pid int) error {
	for _, d := range c.dirs() {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
			return fmt.Errorf("adding %d to cgroup %s: %w", pid, d, err)
		}
	}
	return nil
}

// procs lists the processes in the cgroup and, recursively, its children.
func (c cgroup) procs() ([]int, error) {
	var out []int
	for _, d := range c.dirs() {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil || !e.IsDir() {
				return err
			}
			pids, err := readPids(filepath.Join(p, "cgroup.procs"))
			out = append(out, pids...)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("listing cgroup %s: %w", d, err)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func readPids(file string) ([]int, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			out = append(out, pid)
		}
	}
	return out, nil
}

// signal sends sig to every process in the cgroup; it reports os.ErrProcessDone
// when there is none.
func (c cgroup) signal(sig syscall.Signal) error {
	pids, err := c.procs()
	if err != nil {
		return err
	}
	if len(pids) == 0 {
		return os.ErrProcessDone
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("signalling %d: %w", pid, err)
		}
	}
	return nil
}

// destroy SIGKILLs every process in the cgroup tree until none is left (a
// process may fork between listing and killing, so it repeats), then removes
// the cgroup directories, deepest first. It is idempotent.
func (c cgroup) destroy(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := c.signal(syscall.SIGKILL)
		if errors.Is(err, os.ErrProcessDone) {
			break
		}
		if err != nil {
			return err
		}
		if time.Now().After(deadline) {
			pids, _ := c.procs()
			return fmt.Errorf("cgroup %s: processes %v still alive after %s", c.rel, pids, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var errs []error
	for _, d := range c.dirs() {
		errs = append(errs, removeCgroupTree(d))
	}
	return errors.Join(errs...)
}

// removeCgroupTree removes an empty cgroup and its children. rmdir is the only
// way to remove a cgroup; the control files go with it.
func removeCgroupTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading cgroup %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := removeCgroupTree(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	// The kernel may still be tearing down a just-killed process: retry EBUSY briefly.
	for i := 0; ; i++ {
		err := unix.Rmdir(dir)
		if err == nil || errors.Is(err, unix.ENOENT) {
			return nil
		}
		if !errors.Is(err, unix.EBUSY) || i == 200 {
			return fmt.Errorf("removing cgroup %s: %w", dir, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cgroupOf returns pid's cgroup in the given hierarchy, relative to its root.
func cgroupOf(pid int, hierarchy string) (string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		return "", err
	}
	defer f.Close()
	ctrl := filepath.Base(hierarchy)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// Lines are "id:controllers:path"; cgroup2's controllers field is empty.
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		v2 := hierarchy == cgroupMount && parts[0] == "0" && parts[1] == ""
		if v2 || slices.Contains(strings.Split(parts[1], ","), ctrl) {
			return parts[2], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("pid %d has no cgroup in %s", pid, hierarchy)
}
