package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// The operators' names, as the table and the logs have them.
const (
	vigilName = "Vigil"
	poName    = "Prometheus Operator"
)

// operator is one of the two programs measured.
type operator struct {
	name string
	user string // the API server user it runs as
	// command is the program and its arguments, logging into log.
	command func(ctx context.Context) *exec.Cmd
}

// operators are Vigil's and Prometheus Operator's, each with its own user:
// Vigil reads a kubeconfig, Prometheus Operator takes the API server's
// address and a client certificate.
func (c *cluster) operators(o options) ([]operator, error) {
	vu, err := c.user(vigilUser)
	if err != nil {
		return nil, err
	}
	kubeconfig, err := vu.KubeConfig()
	if err != nil {
		return nil, err
	}
	kubeconfigPath := filepath.Join(c.dir, "vigil.kubeconfig")
	if err := os.WriteFile(kubeconfigPath, kubeconfig, 0o600); err != nil {
		return nil, err
	}
	pu, err := c.user(poUser)
	if err != nil {
		return nil, err
	}
	pc := pu.Config()
	files := map[string][]byte{"po-cert.pem": pc.CertData, "po-key.pem": pc.KeyData, "po-ca.pem": pc.CAData}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	return []operator{
		{name: vigilName, user: vigilUser, command: func(ctx context.Context) *exec.Cmd {
			cmd := exec.CommandContext(ctx, o.vigil, append([]string{"--metrics-bind-address=0", "--health-probe-bind-address=0"}, o.vigilArgs...)...)
			cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfigPath)
			return cmd
		}},
		{name: poName, user: poUser, command: func(ctx context.Context) *exec.Cmd {
			return exec.CommandContext(ctx, o.po,
				"--apiserver="+pc.Host,
				"--cert-file="+filepath.Join(c.dir, "po-cert.pem"),
				"--key-file="+filepath.Join(c.dir, "po-key.pem"),
				"--ca-file="+filepath.Join(c.dir, "po-ca.pem"),
				"--web.listen-address=127.0.0.1:0")
		}},
	}, nil
}

// process is a running operator.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when it has exited
	err    error         // Wait's, once exited is closed
}

// start starts op with its output in dir/<name>-<n>.log.
func start(ctx context.Context, op operator, dir string, n int) (*process, error) {
	log, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.log", fileName(op.name), n)))
	if err != nil {
		return nil, err
	}
	cmd := op.command(ctx)
	cmd.Stdout, cmd.Stderr = log, log
	// Stopped by SIGTERM, as the kubelet stops a pod; killed if it hangs.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", op.name, err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		log.Close()
		close(p.exited)
	}()
	return p, nil
}

// usage is what the kernel counted for a process that has exited.
type usage struct {
	cpu     time.Duration // user and system
	peakRSS int64         // bytes
}

// stop sends SIGTERM, waits for the exit (killing after 30 s), and
// returns the usage.
func (p *process) stop() (usage, error) {
	if err := p.failed(); err != nil {
		return usage{}, err
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return usage{}, err
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return usage{}, fmt.Errorf("no resource usage for the operator's process")
	}
	return usage{
		cpu:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		peakRSS: ru.Maxrss * 1024, // KiB on Linux
	}, nil
}

// failed reports an operator that stopped by itself.
func (p *process) failed() error {
	select {
	case <-p.exited:
		return fmt.Errorf("the operator exited during the run (%v): see its log", p.err)
	default:
		return nil
	}
}

func fileName(s string) string {
	out := []byte(s)
	for i, b := range out {
		if b == ' ' {
			out[i] = '-'
		}
	}
	return string(out)
}
