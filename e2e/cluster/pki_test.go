package cluster

import (
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func readCert(t *testing.T, dir, name string) *x509.Certificate {
	t.Helper()
	cert, _, err := loadCert(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func readFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(data)
	}
	return m
}

func TestPKICertificates(t *testing.T) {
	dir := t.TempDir()
	if err := ensurePKI(dir, "n1", testNow); err != nil {
		t.Fatal(err)
	}
	ca := readCert(t, dir, pkiCA)
	roots := x509.NewCertPool()
	roots.AddCert(ca)

	tests := []struct {
		name  string
		cn    string
		orgs  []string
		dns   []string
		ips   []string
		usage x509.ExtKeyUsage
	}{
		{name: pkiAPIServer, cn: "kube-apiserver", usage: x509.ExtKeyUsageServerAuth,
			dns: []string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
			ips: []string{"10.213.0.1", "127.0.0.1", "10.96.0.1"}},
		{name: pkiAdmin, cn: "vigil-admin", orgs: []string{"system:masters"}, usage: x509.ExtKeyUsageClientAuth},
		{name: pkiControllerManager, cn: "system:kube-controller-manager", usage: x509.ExtKeyUsageClientAuth},
		{name: pkiScheduler, cn: "system:kube-scheduler", usage: x509.ExtKeyUsageClientAuth},
		{name: pkiAPIServerKubeletCli, cn: "kube-apiserver-kubelet-client", orgs: []string{"system:masters"}, usage: x509.ExtKeyUsageClientAuth},
		{name: pkiNode, cn: "system:node:n1", orgs: []string{"system:nodes"}, usage: x509.ExtKeyUsageClientAuth},
		{name: pkiKubelet, cn: "n1", dns: []string{"n1"}, ips: []string{"10.213.0.1"}, usage: x509.ExtKeyUsageServerAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			cert := readCert(t, dir, tt.name)
			_, err := cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: testNow, KeyUsages: []x509.ExtKeyUsage{tt.usage}})
			g.Expect(err).NotTo(HaveOccurred(), "chains to the CA")
			g.Expect(cert.Subject.CommonName).To(Equal(tt.cn))
			g.Expect(cert.Subject.Organization).To(Equal(tt.orgs))
			g.Expect(cert.DNSNames).To(Equal(tt.dns))
			var ips []string
			for _, ip := range cert.IPAddresses {
				ips = append(ips, ip.String())
			}
			g.Expect(ips).To(Equal(tt.ips))
			g.Expect(cert.IsCA).To(BeFalse())
			for _, name := range tt.dns {
				g.Expect(cert.VerifyHostname(name)).To(Succeed())
			}
			for _, ip := range tt.ips {
				g.Expect(cert.VerifyHostname(net.ParseIP(ip).String())).To(Succeed())
			}
		})
	}
	t.Run("service-account key pair", func(t *testing.T) {
		NewWithT(t).Expect(checkServiceAccountKey(dir)).To(Succeed())
	})
	t.Run("keys are private", func(t *testing.T) {
		g := NewWithT(t)
		keys, _ := filepath.Glob(filepath.Join(dir, "*.key"))
		g.Expect(keys).To(HaveLen(len(tests) + 2)) // leaves, CA, service account
		for _, k := range keys {
			st, err := os.Stat(k)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(st.Mode().Perm()).To(Equal(os.FileMode(0o600)), k)
		}
	})
}

func TestPKIWithoutNode(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	g.Expect(ensurePKI(dir, "", testNow)).To(Succeed())
	g.Expect(filepath.Join(dir, pkiNode+".crt")).NotTo(BeAnExistingFile())
	g.Expect(filepath.Join(dir, pkiKubelet+".crt")).NotTo(BeAnExistingFile())
}

func TestPKIReuse(t *testing.T) {
	tests := []struct {
		name        string
		change      func(t *testing.T, dir string) // before the second ensurePKI
		nodeName    string
		now         time.Time
		regenerated []string // certificates (base names) expected to change
	}{
		{name: "valid: all kept", nodeName: "n1", now: testNow.Add(time.Hour)},
		{name: "node renamed: node certificates only", nodeName: "n2", now: testNow,
			regenerated: []string{pkiNode, pkiKubelet}},
		{name: "corrupt key: that certificate only", nodeName: "n1", now: testNow,
			change: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, pkiAPIServer+".key"), []byte("junk"), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			regenerated: []string{pkiAPIServer}},
		{name: "leaves near expiry: all leaves, same CA", nodeName: "n1", now: testNow.Add(leafLifetime - time.Hour),
			regenerated: []string{pkiAPIServer, pkiAdmin, pkiControllerManager, pkiScheduler, pkiAPIServerKubeletCli, pkiNode, pkiKubelet}},
		{name: "CA gone: everything but the service-account key", nodeName: "n1", now: testNow,
			change: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, pkiCA+".crt")); err != nil {
					t.Fatal(err)
				}
			},
			regenerated: []string{pkiCA, pkiAPIServer, pkiAdmin, pkiControllerManager, pkiScheduler, pkiAPIServerKubeletCli, pkiNode, pkiKubelet}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			dir := t.TempDir()
			g.Expect(ensurePKI(dir, "n1", testNow)).To(Succeed())
			before := readFiles(t, dir)
			if tt.change != nil {
				tt.change(t, dir)
			}
			g.Expect(ensurePKI(dir, tt.nodeName, tt.now)).To(Succeed())
			after := readFiles(t, dir)

			g.Expect(after).To(HaveLen(len(before)), "no stray files")
			regenerated := map[string]bool{}
			for _, name := range tt.regenerated {
				regenerated[name+".crt"], regenerated[name+".key"] = true, true
			}
			for file, data := range before {
				if regenerated[file] {
					g.Expect(after[file]).NotTo(Equal(data), "%s regenerated", file)
				} else {
					g.Expect(after[file]).To(Equal(data), "%s kept", file)
				}
			}
			ca := readCert(t, dir, pkiCA)
			for _, spec := range certSpecs(tt.nodeName) {
				g.Expect(checkLeaf(dir, spec, ca, tt.now)).To(Succeed())
			}
		})
	}
}
