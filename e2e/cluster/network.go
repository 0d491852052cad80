package cluster

import (
	"context"
	"net"
	"os/exec"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// Network provides the address the API server binds to (HostIP on a bridge
// named BridgeName). Start calls Teardown first, to remove what a crashed run
// left, then Setup; Stop calls Teardown. Both must be idempotent.
type Network interface {
	Setup(ctx context.Context) error
	Teardown(ctx context.Context) error
}

// BridgeNetwork is the default Network: the pod network's bridge, vigil0
// with 10.213.0.1/16, as package sandbox makes it (the node attaches its
// pods to the same bridge).
type BridgeNetwork struct{}

func (BridgeNetwork) network() *sandbox.Network {
	_, cidr, _ := net.ParseCIDR(BridgeCIDR)
	return &sandbox.Network{Bridge: BridgeName, Gateway: net.ParseIP(HostIP), CIDR: cidr, Prefix: "vigil-"}
}

// Setup creates the bridge with its address, up, each step only if needed.
func (b BridgeNetwork) Setup(ctx context.Context) error { return b.network().EnsureBridge(ctx) }

// Teardown deletes the bridge if it exists.
func (b BridgeNetwork) Teardown(ctx context.Context) error { return b.network().DeleteBridge(ctx) }

func bridgeExists(ctx context.Context) bool {
	return exec.CommandContext(ctx, "ip", "link", "show", "dev", BridgeName).Run() == nil
}
