package sandbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// leases records which pod holds which address as one file per address
// (name: the IP, content: the pod id). Creating a lease with O_EXCL makes
// allocation safe across goroutines and processes; the caller also holds a
// mutex so a process does not race itself through the directory scan.
type leases struct{ dir string }

// find returns the IP leased to id, or nil.
func (l leases) find(id string) (net.IP, error) {
	all, err := l.list()
	if err != nil {
		return nil, err
	}
	for ip, owner := range all {
		if owner == id {
			return net.ParseIP(ip).To4(), nil
		}
	}
	return nil, nil
}

// list maps every leased IP to its owner.
func (l leases) list() (map[string]string, error) {
	entries, err := os.ReadDir(l.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading leases: %w", err)
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(l.dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading lease %s: %w", e.Name(), err)
		}
		out[e.Name()] = strings.TrimSpace(string(b))
	}
	return out, nil
}

// acquire leases the first free address of cidr to id.
func (l leases) acquire(cidr *net.IPNet, gateway net.IP, id string) (net.IP, error) {
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating lease dir: %w", err)
	}
	used, err := l.list()
	if err != nil {
		return nil, err
	}
	for {
		ip := nextFreeIP(cidr, gateway, used)
		if ip == nil {
			return nil, fmt.Errorf("no free address left in %s", cidr)
		}
		f, err := os.OpenFile(filepath.Join(l.dir, ip.String()), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			used[ip.String()] = "?" // taken by another process meanwhile
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("creating lease: %w", err)
		}
		_, werr := f.WriteString(id)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("writing lease: %w", werr)
		}
		return ip, nil
	}
}

// release drops the lease of ip.
func (l leases) release(ip net.IP) error {
	err := os.Remove(filepath.Join(l.dir, ip.String()))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("releasing lease %s: %w", ip, err)
	}
	return nil
}

// nextFreeIP returns the lowest address of cidr that a pod may use and that
// is not in used, or nil. Pods never get the network or broadcast address,
// the gateway, or an address ending in .0 or .255. In networks of 1024
// addresses or more the first /24 (x.y.0.z) is left to infrastructure, so a
// 10.213.0.0/16 network hands out 10.213.1.1 first.
func nextFreeIP(cidr *net.IPNet, gateway net.IP, used map[string]string) net.IP {
	base4 := cidr.IP.To4()
	if base4 == nil {
		return nil
	}
	ones, bits := cidr.Mask.Size()
	size := uint32(1) << uint(bits-ones)
	base := binary.BigEndian.Uint32(base4)
	first := uint32(1)
	if size >= 1024 {
		first = 256
	}
	for off := first; off < size-1; off++ {
		ip := make(net.IP, 4)
		binary.BigEndian.PutUint32(ip, base+off)
		if ip[3] == 0 || ip[3] == 255 || ip.Equal(gateway) {
			continue
		}
		if _, taken := used[ip.String()]; !taken {
			return ip
		}
	}
	return nil
}
