package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// defaultStateDir holds everything this package keeps on the host filesystem.
const defaultStateDir = "/run/vigil-sandbox"

// killTimeout bounds how long KillGroup and Sweep wait for killed processes.
const killTimeout = 10 * time.Second

// Mount makes a host file or directory visible inside a container.
type Mount struct {
	// Source is the host file or directory.
	Source string
	// Target is the absolute path inside the container; it need not exist on the host.
	Target string
	// ReadOnly makes the mount refuse writes.
	ReadOnly bool
}

// Spec describes one container process.
type Spec struct {
	// ID is unique per started process, e.g. "<podUID>-<container>-<restart>";
	// it names the cgroup and state directory. [A-Za-z0-9_.-] only.
	ID string
	// Group is the pod-level key (the pod UID) KillGroup finds processes by.
	Group string
	// Path is the absolute path of the binary to exec, as seen in the container.
	Path string
	// Args are argv[1:].
	Args []string
	// Env is the complete environment of the process.
	Env []string
	// Dir is the working directory inside the container; "" means "/".
	Dir string
	// Hostname is the UTS hostname, typically the pod name; "" keeps the host's.
	Hostname string
	// NetNS is a network namespace path (PodNet.NetNS); "" means the host's.
	NetNS string
	// Mounts are applied in order; a later target may lie beneath an earlier one.
	Mounts []Mount
	// Hosts and ResolvConf, when set, are host files bind-mounted at
	// /etc/hosts and /etc/resolv.conf.
	Hosts, ResolvConf string
	// Stdout and Stderr receive the process's output; nil means /dev/null.
	Stdout, Stderr *os.File `json:"-"`
}

func (s *Spec) validate() error {
	switch {
	case !validName(s.ID):
		return fmt.Errorf("container id %q must be non-empty [A-Za-z0-9_.-]", s.ID)
	case !validName(s.Group):
		return fmt.Errorf("container %s: group %q must be non-empty [A-Za-z0-9_.-]", s.ID, s.Group)
	case !filepath.IsAbs(s.Path):
		return fmt.Errorf("container %s: path %q is not absolute", s.ID, s.Path)
	}
	for _, m := range s.allMounts() {
		if !filepath.IsAbs(m.Target) || !filepath.IsAbs(m.Source) || filepath.Clean(m.Target) == "/" {
			return fmt.Errorf("container %s: mount %s -> %s: source and target must be absolute, target not /", s.ID, m.Source, m.Target)
		}
	}
	return nil
}

// allMounts returns Mounts followed by the hosts and resolv.conf binds.
func (s *Spec) allMounts() []Mount {
	out := append([]Mount(nil), s.Mounts...)
	if s.Hosts != "" {
		out = append(out, Mount{Source: s.Hosts, Target: "/etc/hosts"})
	}
	if s.ResolvConf != "" {
		out = append(out, Mount{Source: s.ResolvConf, Target: "/etc/resolv.conf"})
	}
	return out
}

// Runtime starts containers under one cgroup name and state directory. The
// package functions use Default; tests use their own so that their Sweep
// cannot touch a running node's containers.
type Runtime struct {
	// Name is the cgroup directory under each hierarchy, e.g. "vigil".
	Name string
	// StateDir holds each container's root and scratch space while it runs.
	StateDir string
}

// Default is the runtime behind Start, KillGroup and Sweep.
var Default = &Runtime{Name: "vigil", StateDir: filepath.Join(defaultStateDir, "containers")}

// Start starts a container; see Runtime.Start.
func Start(spec Spec) (*Process, error) { return Default.Start(spec) }

// KillGroup kills a pod's containers; see Runtime.KillGroup.
func KillGroup(group string) error { return Default.KillGroup(group) }

// Sweep removes what a crashed run left; see Runtime.Sweep.
func Sweep() error { return Default.Sweep() }

func (r *Runtime) cgroup(rel ...string) (cgroup, error) {
	h, err := cgroupHierarchies()
	if err != nil {
		return cgroup{}, err
	}
	return cgroup{hierarchies: h, rel: filepath.Join(append([]string{r.Name}, rel...)...)}, nil
}

// Process is a running container.
type Process struct {
	// Pid is the container's main process.
	Pid int

	cg   cgroup
	done chan struct{}
	code int
	err  error
}

// childConfig is what Start sends the re-executed child.
type childConfig struct {
	Spec  Spec
	FSDir string // where the child mounts its private tmpfs
}

// Start re-executes the current binary (which must call Init first in main)
// in new mount and UTS namespaces, moves it into the container's cgroup and
// sends it spec. It returns once the target binary has been exec'd, or with
// the error that stopped the setup.
func (r *Runtime) Start(spec Spec) (*Process, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	cg, err := r.cgroup(spec.Group, spec.ID)
	if err != nil {
		return nil, err
	}
	fsDir := filepath.Join(r.StateDir, spec.ID)
	if err := os.MkdirAll(fsDir, 0o700); err != nil {
		return nil, fmt.Errorf("container %s: %w", spec.ID, err)
	}
	if err := cg.create(); err != nil {
		return nil, fmt.Errorf("container %s: %w", spec.ID, err)
	}
	cmd, cfgW, statusR, err := spawnChild(spec)
	if err != nil {
		_ = cleanupContainer(cg, fsDir)
		return nil, fmt.Errorf("container %s: %w", spec.ID, err)
	}
	setupErr := cg.add(cmd.Process.Pid)
	if setupErr == nil {
		setupErr = json.NewEncoder(cfgW).Encode(childConfig{Spec: spec, FSDir: fsDir})
	}
	cfgW.Close()
	if setupErr != nil {
		_ = cmd.Process.Kill()
	}
	// The status pipe closes on exec (success) or carries the setup error.
	msg, _ := io.ReadAll(statusR)
	statusR.Close()
	if setupErr == nil && len(msg) > 0 {
		setupErr = errors.New(strings.TrimSpace(string(msg)))
	}
	p := &Process{Pid: cmd.Process.Pid, cg: cg, done: make(chan struct{})}
	go p.reap(cmd, fsDir)
	if setupErr != nil {
		<-p.done
		return nil, fmt.Errorf("container %s: %w", spec.ID, setupErr)
	}
	return p, nil
}

func spawnChild(spec Spec) (cmd *exec.Cmd, cfgW, statusR *os.File, err error) {
	cfgR, cfgW, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, err
	}
	statusR, statusW, err := os.Pipe()
	if err != nil {
		cfgR.Close()
		cfgW.Close()
		return nil, nil, nil, err
	}
	defer cfgR.Close()
	defer statusW.Close()
	cmd = &exec.Cmd{
		Path:       "/proc/self/exe",
		Args:       []string{initArg0, spec.ID},
		Env:        []string{},
		ExtraFiles: []*os.File{cfgR, statusW}, // fds 3 and 4 in the child
		SysProcAttr: &syscall.SysProcAttr{
			Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS,
			Setpgid:    true,
			// Best effort: fires when the thread that started the child exits.
			Pdeathsig: syscall.SIGKILL,
		},
	}
	if spec.Stdout != nil {
		cmd.Stdout = spec.Stdout
	}
	if spec.Stderr != nil {
		cmd.Stderr = spec.Stderr
	}
	if err := cmd.Start(); err != nil {
		cfgW.Close()
		statusR.Close()
		return nil, nil, nil, fmt.Errorf("re-executing %s: %w", os.Args[0], err)
	}
	return cmd, cfgW, statusR, nil
}

// reap waits for the main process, kills whatever it left in its cgroup and
// removes the cgroup and state directory, so Wait returns a clean slate.
// Reaping at once also keeps zombies from blocking KillGroup.
func (p *Process) reap(cmd *exec.Cmd, fsDir string) {
	defer close(p.done)
	err := cmd.Wait()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		ws := exitErr.Sys().(syscall.WaitStatus)
		p.code = ws.ExitStatus()
		if ws.Signaled() {
			p.code = 128 + int(ws.Signal())
		}
	default:
		p.code, p.err = -1, err
	}
	if cerr := cleanupContainer(p.cg, fsDir); p.err == nil {
		p.err = cerr
	}
}

func cleanupContainer(cg cgroup, fsDir string) error {
	err := cg.destroy(killTimeout)
	return errors.Join(err, removeStateDir(fsDir))
}

// Wait waits for the container's main process to exit and returns its exit
// code (128+n when killed by signal n). By then every other process of the
// container is killed and its cgroup removed. Calling it again returns the
// same result.
func (p *Process) Wait() (exitCode int, err error) {
	<-p.done
	return p.code, p.err
}

// Signal sends sig to every process of the container. It returns
// os.ErrProcessDone when none is left.
func (p *Process) Signal(sig syscall.Signal) error {
	select {
	case <-p.done:
		return os.ErrProcessDone
	default:
	}
	return p.cg.signal(sig)
}

// KillGroup SIGKILLs every process of every container of group, waits until
// they are gone and removes their cgroups. It is idempotent.
func (r *Runtime) KillGroup(group string) error {
	if !validName(group) {
		return fmt.Errorf("group %q must be non-empty [A-Za-z0-9_.-]", group)
	}
	cg, err := r.cgroup(group)
	if err != nil {
		return err
	}
	if err := cg.destroy(killTimeout); err != nil {
		return fmt.Errorf("killing group %s: %w", group, err)
	}
	return nil
}

// Sweep kills every process under the runtime's cgroups, removes the cgroups
// and the state directory: what a crashed run left behind. Mounts made for
// containers live in their mount namespaces and vanish with the processes.
// Call it before starting containers, never while they run.
func (r *Runtime) Sweep() error {
	cg, err := r.cgroup()
	if err != nil {
		return err
	}
	var errs []error
	if err := cg.destroy(killTimeout); err != nil {
		errs = append(errs, fmt.Errorf("sweeping cgroups: %w", err))
	}
	if err := removeStateDir(r.StateDir); err != nil {
		errs = append(errs, fmt.Errorf("sweeping state: %w", err))
	}
	return errors.Join(errs...)
}
