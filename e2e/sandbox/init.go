package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// initArg0 marks a process started by Start as the sandbox's child.
const initArg0 = "vigil-sandbox-init"

// The child's inherited pipes (see spawnChild).
const (
	configFd = 3
	statusFd = 4
)

// Init must be the first call in the main function of every binary that uses
// Start. In an ordinary run it returns at once. In a process Start created it
// sets the container up and execs the target binary, never returning; a
// failure is reported to Start and the process exits with status 1.
func Init() {
	if len(os.Args) == 0 || os.Args[0] != initArg0 {
		return
	}
	// setns(CLONE_NEWNET) affects only the calling thread: it and the final
	// execve must run on the same one.
	runtime.LockOSThread()
	status := os.NewFile(statusFd, "status")
	err := runChild()
	fmt.Fprintf(status, "%v", err)
	os.Exit(1)
}

// runChild returns only on failure.
func runChild() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("container setup panicked: %v", r)
		}
	}()
	// Both pipes must close when the target is exec'd: the parent reads EOF
	// on the status pipe as success.
	unix.CloseOnExec(configFd)
	unix.CloseOnExec(statusFd)
	var cfg childConfig
	cfgFile := os.NewFile(configFd, "config")
	if err := json.NewDecoder(cfgFile).Decode(&cfg); err != nil {
		return fmt.Errorf("reading container config: %w", err)
	}
	cfgFile.Close()
	return setupAndExec(&cfg)
}

func setupAndExec(cfg *childConfig) error {
	spec := &cfg.Spec
	// Nothing done from here on may propagate back to the host.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making / private: %w", err)
	}
	// Open every source before the mount tree changes under it.
	mounts := spec.allMounts()
	sources := make([]source, len(mounts))
	for i, m := range mounts {
		s, err := openSource(m.Source)
		if err != nil {
			return err
		}
		sources[i] = s
	}
	netFd := -1
	if spec.NetNS != "" {
		fd, err := unix.Open(spec.NetNS, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("opening netns %s: %w", spec.NetNS, err)
		}
		netFd = fd
	}
	// Copies of other pods' netns mounts in this namespace would keep those
	// namespaces (and their veths) alive after they are deleted.
	detachNsfsMounts()

	root, err := newRootfs(cfg.FSDir)
	if err != nil {
		return err
	}
	for i, m := range mounts {
		if err := root.mount(m, sources[i]); err != nil {
			return fmt.Errorf("mounting %s at %s: %w", m.Source, m.Target, err)
		}
	}
	if netFd >= 0 {
		if err := unix.Setns(netFd, unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("joining netns %s: %w", spec.NetNS, err)
		}
	}
	if spec.Hostname != "" {
		if err := unix.Sethostname([]byte(spec.Hostname)); err != nil {
			return fmt.Errorf("setting hostname %q: %w", spec.Hostname, err)
		}
	}
	if err := unix.Chroot(root.dir); err != nil {
		return fmt.Errorf("chroot: %w", err)
	}
	dir := spec.Dir
	if dir == "" {
		dir = "/"
	}
	if err := unix.Chdir(dir); err != nil {
		return fmt.Errorf("changing to working dir %s: %w", dir, err)
	}
	argv := append([]string{spec.Path}, spec.Args...)
	env := spec.Env
	if env == nil {
		env = []string{}
	}
	err = syscall.Exec(spec.Path, argv, env)
	return fmt.Errorf("exec %s: %w", spec.Path, err)
}

// source is a mount source held open as an O_PATH descriptor.
type source struct {
	fd    int
	isDir bool
}

func (s source) path() string { return filepath.Join("/proc/self/fd", fmt.Sprint(s.fd)) }

func openSource(p string) (source, error) {
	fd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return source{}, fmt.Errorf("opening mount source %s: %w", p, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return source{}, fmt.Errorf("stat mount source %s: %w", p, err)
	}
	return source{fd: fd, isDir: st.Mode&unix.S_IFMT == unix.S_IFDIR}, nil
}
