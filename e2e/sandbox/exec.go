package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// Exec runs argv inside the mount, network and UTS namespaces, root and
// working directory of the running container whose process is pid, with
// exactly env as its environment (argv[0] is looked up in env's PATH, or a
// default path). It joins the process's cgroups, so KillGroup reaches it too.
// A non-zero exit is returned as exitCode with a nil error; err reports that
// the command could not be run or ctx ended.
func Exec(ctx context.Context, pid int, argv []string, env []string, stdin io.Reader, stdout, stderr io.Writer) (exitCode int, err error) {
	if len(argv) == 0 {
		return -1, errors.New("exec: empty command")
	}
	args := append([]string{"-t", strconv.Itoa(pid), "-m", "-n", "-u", "-r", "-w", "--"}, argv...)
	cmd := exec.CommandContext(ctx, "nsenter", args...)
	cmd.Env = append([]string{}, env...) // never the node's own environment
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("exec in %d: %w", pid, err)
	}
	// nsenter execs the command in place (no pid namespace to fork for), so
	// the pid stays the same.
	joinCgroupsOf(pid, cmd.Process.Pid)
	err = cmd.Wait()
	if ctx.Err() != nil {
		return -1, fmt.Errorf("exec in %d: %w", pid, ctx.Err())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		ws := exitErr.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			return 128 + int(ws.Signal()), nil
		}
		return ws.ExitStatus(), nil
	}
	if err != nil {
		return -1, fmt.Errorf("exec in %d: %w", pid, err)
	}
	return 0, nil
}

// joinCgroupsOf moves pid into target's cgroups, best effort: the exec still
// runs if the container's cgroup is gone.
func joinCgroupsOf(target, pid int) {
	hierarchies, err := cgroupHierarchies()
	if err != nil {
		return
	}
	for _, h := range hierarchies {
		rel, err := cgroupOf(target, h)
		if err != nil {
			continue
		}
		_ = cgroup{hierarchies: []string{h}, rel: filepath.Clean(rel)}.add(pid)
	}
}
