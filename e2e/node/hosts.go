package node

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The cluster has no DNS server yet, so each pod's /etc/hosts names the
// node's pods that have a hostname and subdomain (StatefulSet pods under
// their governing Service, as alertmanager-main-0.alertmanager-operated),
// the way cluster DNS would answer for them. Files are rewritten in place:
// containers bind-mount them, and a rename would leave them the old inode.

func (r *podRuntime) hostsPath() string  { return filepath.Join(r.dir, "etc-hosts") }
func (r *podRuntime) resolvPath() string { return filepath.Join(r.dir, "resolv.conf") }

// peer is a pod as the hosts files name it.
type peer struct {
	ip, namespace, hostname, subdomain string
}

func (r *podRuntime) peer() (peer, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status.PodIP == "" || r.ctx.Err() != nil {
		return peer{}, false
	}
	return peer{r.status.PodIP, r.namespace, podHostname(r.pod), r.pod.Spec.Subdomain}, true
}

// hostsChanged rewrites every pod's hosts file after a pod got or lost
// its address.
func (p *Provider) hostsChanged() {
	pods := p.list()
	var peers []peer
	for _, r := range pods {
		if pe, ok := r.peer(); ok {
			peers = append(peers, pe)
		}
	}
	sort.Slice(peers, func(i, j int) bool { return peers[i].ip < peers[j].ip })
	for _, r := range pods {
		self, ok := r.peer()
		if !ok {
			continue
		}
		if err := writeInPlace(r.hostsPath(), hostsFile(self, peers)); err != nil {
			logf(r, "Writing /etc/hosts: %v", err)
		}
		if _, err := os.Stat(r.resolvPath()); os.IsNotExist(err) {
			if err := writeInPlace(r.resolvPath(), resolvConf(self.namespace)); err != nil {
				logf(r, "Writing /etc/resolv.conf: %v", err)
			}
		}
	}
}

func hostsFile(self peer, peers []peer) []byte {
	var b strings.Builder
	b.WriteString("# Kubernetes-managed hosts file (vigil-node).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	for _, pe := range peers {
		names := pe.names(self.namespace)
		if pe.ip == self.ip && pe.hostname == self.hostname {
			names = append(names, self.hostname)
		}
		if len(names) > 0 {
			fmt.Fprintf(&b, "%s\t%s\n", pe.ip, strings.Join(names, " "))
		}
	}
	return []byte(b.String())
}

// names are the DNS names cluster DNS gives a pod with a subdomain, the
// short ones only to pods of its own namespace (whose search path ends
// them).
func (pe peer) names(from string) []string {
	if pe.subdomain == "" {
		return nil
	}
	base := pe.hostname + "." + pe.subdomain + "." + pe.namespace
	names := []string{base + ".svc.cluster.local", base + ".svc", base}
	if pe.namespace == from {
		names = append(names, pe.hostname+"."+pe.subdomain)
	}
	return names
}

func resolvConf(namespace string) []byte {
	return []byte(fmt.Sprintf("search %s.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.0.0.53\noptions ndots:5\n", namespace))
}

// writeInPlace replaces a file's content keeping its inode.
func writeInPlace(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}
