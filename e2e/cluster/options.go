package cluster

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Component names, as Kill and Restart take them and as logs/<name>.log uses.
const (
	Etcd                  = "etcd"
	KubeAPIServer         = "kube-apiserver"
	KubeControllerManager = "kube-controller-manager"
	KubeScheduler         = "kube-scheduler"
	// VigilNode is the node's component name, whatever NodeOptions.Name is.
	VigilNode = "vigil-node"
)

// Pinned versions of the binaries, as hack/tools/install.sh names them.
const (
	EtcdVersion       = "v3.7.3"
	KubernetesVersion = "v1.37.2"
)

// Fixed addresses: one local cluster per machine, so nothing is chosen at run
// time.
const (
	HostIP            = "10.213.0.1" // the node bridge's address
	BridgeName        = "vigil0"
	BridgeCIDR        = HostIP + "/16"
	APIServerPort     = 6443
	APIServerURL      = "https://10.213.0.1:6443"
	ServiceCIDR       = "10.96.0.0/12"
	KubernetesService = "10.96.0.1" // first address of ServiceCIDR
	etcdClientURL     = "http://127.0.0.1:23790"
	etcdPeerURL       = "http://127.0.0.1:23800"
	kcmAddr           = "127.0.0.1:10257"
	schedulerAddr     = "127.0.0.1:10259"
	kubeletAddr       = "10.213.0.1:10250"
)

// DefaultNodeName is the node's name when NodeOptions.Name is empty.
const DefaultNodeName = "vigil-node"

// Options configures Start.
type Options struct {
	// Dir holds the cluster's state: pki/, etcd/, kubeconfigs, node/ and
	// logs/<component>.log. It is created if missing and kept after Stop for
	// debugging. Required.
	Dir string
	// BinDir holds the binaries, named <name>-<version>. Empty means
	// DefaultBinDir().
	BinDir string
	// Node, if set, starts a vigil-node process as the cluster's only node.
	Node *NodeOptions
	// Network sets up and tears down the bridge the API server binds to.
	// Nil means a plain bridge vigil0 with 10.213.0.1/16 (BridgeNetwork).
	Network Network
	// Progress, if set, gets one line per step, such as
	// "kube-apiserver Ready (3.1s)".
	Progress io.Writer
}

// NodeOptions configures the vigil-node process.
type NodeOptions struct {
	// Name is the Node's name. Empty means DefaultNodeName.
	Name string
	// Binary is the path to the vigil-node binary. Required.
	Binary string
	// Args are appended to the flags Start passes (image mappings etc.).
	Args []string
}

// DefaultBinDir returns $VIGIL_BIN, else $XDG_CACHE_HOME/vigil/bin, else
// ~/.cache/vigil/bin: where hack/tools/install.sh puts the binaries.
func DefaultBinDir() string {
	if d := os.Getenv("VIGIL_BIN"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "vigil", "bin")
}

// withDefaults returns a copy of o with defaults filled in and paths made
// absolute, or an error naming what is missing.
func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		return o, errors.New("options: Dir is required")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return o, fmt.Errorf("options: Dir: %w", err)
	}
	o.Dir = dir
	if o.BinDir == "" {
		o.BinDir = DefaultBinDir()
	}
	if o.Network == nil {
		o.Network = BridgeNetwork{}
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Node != nil {
		n := *o.Node
		if n.Name == "" {
			n.Name = DefaultNodeName
		}
		if n.Binary == "" {
			return o, errors.New("options: Node.Binary is required")
		}
		if n.Binary, err = filepath.Abs(n.Binary); err != nil {
			return o, fmt.Errorf("options: Node.Binary: %w", err)
		}
		o.Node = &n
	}
	return o, nil
}

// binary returns the path of the pinned binary name in BinDir.
func (o Options) binary(name string) string {
	version := KubernetesVersion
	if name == Etcd {
		version = EtcdVersion
	}
	return filepath.Join(o.BinDir, name+"-"+version)
}

// layout names the files under Dir.
type layout string

func (l layout) path(elem ...string) string {
	return filepath.Join(append([]string{string(l)}, elem...)...)
}
func (l layout) pki(name string) string        { return l.path("pki", name) }
func (l layout) kubeconfig(user string) string { return l.path(user + ".kubeconfig") }
func (l layout) log(component string) string   { return l.path("logs", component+".log") }
func (l layout) etcdData() string              { return l.path("etcd") }
func (l layout) certDir(component string) string {
	return l.path("certs", component)
}
