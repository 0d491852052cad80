package cluster

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Network provides the address the API server binds to (HostIP on a bridge
// named BridgeName). Start calls Teardown first, to remove what a crashed run
// left, then Setup; Stop calls Teardown. Both must be idempotent.
type Network interface {
	Setup(ctx context.Context) error
	Teardown(ctx context.Context) error
}

// BridgeNetwork is the default Network: a bridge vigil0 with 10.213.0.1/16,
// made with ip(8). It stands in until the pod network package provides the
// bridge.
type BridgeNetwork struct{}

// Setup creates the bridge, adds the address and sets it up, each step only
// if needed.
func (BridgeNetwork) Setup(ctx context.Context) error {
	if _, err := ipCommand(ctx, "link", "show", "dev", BridgeName); err != nil {
		if _, err := ipCommand(ctx, "link", "add", BridgeName, "type", "bridge"); err != nil {
			return err
		}
	}
	out, err := ipCommand(ctx, "-o", "addr", "show", "dev", BridgeName)
	if err != nil {
		return err
	}
	if !strings.Contains(out, " "+BridgeCIDR+" ") {
		if _, err := ipCommand(ctx, "addr", "add", BridgeCIDR, "dev", BridgeName); err != nil {
			return err
		}
	}
	_, err = ipCommand(ctx, "link", "set", "dev", BridgeName, "up")
	return err
}

// Teardown deletes the bridge if it exists.
func (BridgeNetwork) Teardown(ctx context.Context) error {
	if !bridgeExists(ctx) {
		return nil
	}
	_, err := ipCommand(ctx, "link", "del", "dev", BridgeName)
	return err
}

func bridgeExists(ctx context.Context) bool {
	_, err := ipCommand(ctx, "link", "show", "dev", BridgeName)
	return err == nil
}

func ipCommand(ctx context.Context, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "ip", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
