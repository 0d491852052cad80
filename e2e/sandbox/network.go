package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// netnsDir is where `ip netns` keeps named network namespaces.
const netnsDir = "/run/netns"

// allowedNet is the only range a Network may configure: the node must never
// touch addresses this machine routes elsewhere.
var allowedNet = &net.IPNet{IP: net.IPv4(10, 213, 0, 0).To4(), Mask: net.CIDRMask(16, 32)}

// Network is the node's pod network: a Linux bridge (created by someone else
// or by EnsureBridge) and one network namespace plus veth pair per pod. Its
// methods are safe for concurrent use; it must not be copied after first use.
type Network struct {
	// Bridge is the bridge's interface name, e.g. "vigil0".
	Bridge string
	// Gateway is the bridge's address and the pods' default route, e.g. 10.213.0.1.
	Gateway net.IP
	// CIDR is the pod network, e.g. 10.213.0.0/16; it must lie in 10.213.0.0/16.
	CIDR *net.IPNet
	// Prefix starts the name of every netns and host-side veth this network
	// creates, e.g. "vgl". 3 to 6 characters; two networks on one host
	// need prefixes where neither starts the other.
	Prefix string
	// StateDir keeps the address leases; "" means /run/vigil-sandbox/net/<Bridge>.
	StateDir string

	mu    sync.Mutex // serialises lease allocation within this process
	locks keyedMutex // serialises AddPod/RemovePod per pod id
}

// PodNet is a pod's network as AddPod created it.
type PodNet struct {
	// IP is the pod's address on eth0.
	IP net.IP
	// NetNS is the namespace's path, usable with setns(2), nsenter and Spec.NetNS.
	NetNS string
}

func (n *Network) validate() error {
	switch {
	case n.Bridge == "" || len(n.Bridge) > 15:
		return fmt.Errorf("bridge name %q must have 1 to 15 characters", n.Bridge)
	case len(n.Prefix) < 3 || len(n.Prefix) > 6 || !validName(n.Prefix):
		return fmt.Errorf("prefix %q must have 3 to 6 characters of [A-Za-z0-9_.-]", n.Prefix)
	case n.CIDR == nil || n.CIDR.IP.To4() == nil:
		return errors.New("CIDR must be an IPv4 network")
	case !allowedNet.Contains(n.CIDR.IP) || maskOnes(n.CIDR) < maskOnes(allowedNet):
		return fmt.Errorf("CIDR %s is outside %s", n.CIDR, allowedNet)
	case n.Gateway.To4() == nil || !n.CIDR.Contains(n.Gateway):
		return fmt.Errorf("gateway %v is not in %s", n.Gateway, n.CIDR)
	}
	return nil
}

func maskOnes(c *net.IPNet) int { ones, _ := c.Mask.Size(); return ones }

func (n *Network) leases() leases {
	dir := n.StateDir
	if dir == "" {
		dir = filepath.Join(defaultStateDir, "net", n.Bridge)
	}
	return leases{dir: dir}
}

// netnsName and vethName derive every name from the pod id, so a later call
// (or a restarted node) finds what an earlier one created. Interface names
// have at most 15 bytes, hence the hash.
func (n *Network) netnsName(id string) string { return n.Prefix + id }

func (n *Network) vethName(id string) string {
	sum := sha256.Sum256([]byte(id))
	return n.Prefix + hex.EncodeToString(sum[:])[:15-len(n.Prefix)]
}

// EnsureBridge creates the bridge if it is missing, gives it Gateway with the
// CIDR's prefix length, and sets it up. It is idempotent.
func (n *Network) EnsureBridge(ctx context.Context) error {
	if err := n.validate(); err != nil {
		return err
	}
	if !linkExists(n.Bridge) {
		if err := ipCmd(ctx, "link", "add", "name", n.Bridge, "type", "bridge"); err != nil {
			return fmt.Errorf("creating bridge: %w", err)
		}
		noLinkLocal(ctx, nil, n.Bridge)
	}
	addr := fmt.Sprintf("%s/%d", n.Gateway, maskOnes(n.CIDR))
	if err := ipCmd(ctx, "addr", "replace", addr, "dev", n.Bridge); err != nil {
		return fmt.Errorf("addressing bridge: %w", err)
	}
	if err := ipCmd(ctx, "link", "set", "dev", n.Bridge, "up"); err != nil {
		return fmt.Errorf("setting bridge up: %w", err)
	}
	return nil
}

// DeleteBridge deletes the bridge if it exists.
func (n *Network) DeleteBridge(ctx context.Context) error {
	if !linkExists(n.Bridge) {
		return nil
	}
	if err := ipCmd(ctx, "link", "del", "dev", n.Bridge); err != nil {
		return fmt.Errorf("deleting bridge: %w", err)
	}
	return nil
}

// AddPod gives pod id a network namespace with eth0 on the bridge, a free
// address from CIDR, lo up and a default route via Gateway. Calling it again
// for the same id returns the same PodNet and repairs missing pieces.
func (n *Network) AddPod(ctx context.Context, id string) (PodNet, error) {
	if err := n.validate(); err != nil {
		return PodNet{}, err
	}
	if !validName(id) {
		return PodNet{}, fmt.Errorf("pod id %q must be non-empty [A-Za-z0-9_.-]", id)
	}
	unlock := n.locks.lock(id)
	defer unlock()

	ip, err := n.leaseFor(id)
	if err != nil {
		return PodNet{}, err
	}
	pn := PodNet{IP: ip, NetNS: filepath.Join(netnsDir, n.netnsName(id))}
	if err := n.plumb(ctx, id, ip); err != nil {
		return PodNet{}, fmt.Errorf("pod %s: %w", id, err)
	}
	return pn, nil
}

func (n *Network) leaseFor(id string) (net.IP, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.leases()
	ip, err := l.find(id)
	if err != nil || ip != nil {
		return ip, err
	}
	return l.acquire(n.CIDR, n.Gateway, id)
}

// plumb creates whatever part of the pod's network is missing.
func (n *Network) plumb(ctx context.Context, id string, ip net.IP) error {
	ns, host := n.netnsName(id), n.vethName(id)
	if _, err := os.Stat(filepath.Join(netnsDir, ns)); err != nil {
		// A host veth without its namespace is left from a crash: its peer is gone.
		if linkExists(host) {
			if err := ipCmd(ctx, "link", "del", "dev", host); err != nil {
				return fmt.Errorf("deleting stale veth: %w", err)
			}
		}
		if err := ipCmd(ctx, "netns", "add", ns); err != nil {
			return fmt.Errorf("creating netns: %w", err)
		}
	}
	if !linkExists(host) {
		if err := ipCmd(ctx, "link", "add", "name", host, "type", "veth", "peer", "name", "eth0", "netns", ns); err != nil {
			return fmt.Errorf("creating veth: %w", err)
		}
		noLinkLocal(ctx, nil, host)
		noLinkLocal(ctx, []string{"-n", ns}, "eth0")
	}
	steps := [][]string{
		{"link", "set", "dev", host, "master", n.Bridge, "up"},
		{"-n", ns, "addr", "replace", fmt.Sprintf("%s/%d", ip, maskOnes(n.CIDR)), "dev", "eth0"},
		{"-n", ns, "link", "set", "dev", "lo", "up"},
		{"-n", ns, "link", "set", "dev", "eth0", "up"},
		{"-n", ns, "route", "replace", "default", "via", n.Gateway.String(), "dev", "eth0"},
	}
	for _, args := range steps {
		if err := ipCmd(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// RemovePod deletes the pod's host-side veth (it lingers after its namespace
// goes while any process still holds the namespace), the namespace and the
// address lease. It is idempotent.
func (n *Network) RemovePod(ctx context.Context, id string) error {
	if err := n.validate(); err != nil {
		return err
	}
	unlock := n.locks.lock(id)
	defer unlock()
	if err := n.removeNames(ctx, n.vethName(id), n.netnsName(id)); err != nil {
		return fmt.Errorf("pod %s: %w", id, err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.leases()
	ip, err := l.find(id)
	if err != nil || ip == nil {
		return err
	}
	return l.release(ip)
}

func (n *Network) removeNames(ctx context.Context, veth, ns string) error {
	if veth != "" && linkExists(veth) {
		if err := ipCmd(ctx, "link", "del", "dev", veth); err != nil {
			return fmt.Errorf("deleting veth: %w", err)
		}
	}
	if ns == "" {
		return nil
	}
	if _, err := os.Stat(filepath.Join(netnsDir, ns)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := ipCmd(ctx, "netns", "del", ns); err != nil {
		return fmt.Errorf("deleting netns: %w", err)
	}
	return nil
}

// Sweep removes every netns and host interface whose name starts with Prefix
// (except the bridge) and all leases: what a crashed run left behind. Call it
// before the first AddPod, never while pods of this network are running.
func (n *Network) Sweep(ctx context.Context) error {
	if err := n.validate(); err != nil {
		return err
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("listing interfaces: %w", err)
	}
	var errs []error
	for _, ifc := range ifaces {
		if strings.HasPrefix(ifc.Name, n.Prefix) && ifc.Name != n.Bridge {
			errs = append(errs, n.removeNames(ctx, ifc.Name, ""))
		}
	}
	entries, err := os.ReadDir(netnsDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, fmt.Errorf("listing netns: %w", err))
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), n.Prefix) {
			errs = append(errs, n.removeNames(ctx, "", e.Name()))
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := os.RemoveAll(n.leases().dir); err != nil {
		errs = append(errs, fmt.Errorf("removing leases: %w", err))
	}
	return errors.Join(errs...)
}

func linkExists(name string) bool {
	_, err := net.InterfaceByName(name)
	return err == nil
}

// noLinkLocal stops the kernel from giving the interface an IPv6 link-local
// address, so the node never sends neighbour discovery outside its range.
// Best effort: it fails harmlessly on kernels without IPv6.
func noLinkLocal(ctx context.Context, nsArgs []string, dev string) {
	_ = ipCmd(ctx, append(nsArgs, "link", "set", "dev", dev, "addrgenmode", "none")...)
}

// keyedMutex is a set of mutexes created on demand, one per key.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedEntry{}
	}
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// validName reports whether s is safe in file, cgroup and netns names.
func validName(s string) bool {
	if s == "" || len(s) > 200 || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}
