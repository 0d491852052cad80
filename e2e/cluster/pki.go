package cluster

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Lifetimes: long enough that a kept Dir stays usable for a long while, and
// renewed once less than minRemaining is left.
const (
	caLifetime   = 10 * 365 * 24 * time.Hour
	leafLifetime = 2 * 365 * 24 * time.Hour
	minRemaining = 24 * time.Hour
	backdate     = time.Hour // tolerate small clock differences
)

// PKI file names under Dir/pki (each certificate has <name>.crt and <name>.key).
const (
	pkiCA                  = "ca"
	pkiAPIServer           = "apiserver"
	pkiAdmin               = "admin"
	pkiControllerManager   = "controller-manager"
	pkiScheduler           = "scheduler"
	pkiAPIServerKubeletCli = "apiserver-kubelet-client"
	pkiNode                = "node"
	pkiKubelet             = "kubelet"
	pkiServiceAccountKey   = "sa.key"
	pkiServiceAccountPub   = "sa.pub"
)

// certSpec is what one leaf certificate must contain.
type certSpec struct {
	name   string // file base name under pki/
	cn     string
	orgs   []string
	dns    []string
	ips    []string
	server bool // serverAuth, else clientAuth
}

// certSpecs returns the leaf certificates of a cluster; the node's two only
// when nodeName is set.
func certSpecs(nodeName string) []certSpec {
	specs := []certSpec{
		{name: pkiAPIServer, cn: "kube-apiserver", server: true,
			dns: []string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
			ips: []string{HostIP, "127.0.0.1", KubernetesService}},
		{name: pkiAdmin, cn: "vigil-admin", orgs: []string{"system:masters"}},
		{name: pkiControllerManager, cn: "system:kube-controller-manager"},
		{name: pkiScheduler, cn: "system:kube-scheduler"},
		{name: pkiAPIServerKubeletCli, cn: "kube-apiserver-kubelet-client", orgs: []string{"system:masters"}},
	}
	if nodeName != "" {
		specs = append(specs,
			certSpec{name: pkiNode, cn: "system:node:" + nodeName, orgs: []string{"system:nodes"}},
			certSpec{name: pkiKubelet, cn: nodeName, server: true, dns: []string{nodeName}, ips: []string{HostIP}},
		)
	}
	return specs
}

// ensurePKI makes dir hold a CA, the leaves of certSpecs(nodeName) signed by it
// and the service-account key pair. What is present and valid at now is kept;
// what is missing, invalid or near expiry is generated again (all leaves when
// the CA is).
func ensurePKI(dir, nodeName string, now time.Time) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	ca, caKey, err := loadCA(dir, now)
	fresh := err != nil
	if fresh {
		if ca, caKey, err = newCA(now); err != nil {
			return fmt.Errorf("pki: generate CA: %w", err)
		}
		if err := writeCert(dir, pkiCA, ca, caKey); err != nil {
			return err
		}
	}
	for _, spec := range certSpecs(nodeName) {
		if !fresh && checkLeaf(dir, spec, ca, now) == nil {
			continue
		}
		cert, key, err := newLeaf(spec, ca, caKey, now)
		if err != nil {
			return fmt.Errorf("pki: generate %s: %w", spec.name, err)
		}
		if err := writeCert(dir, spec.name, cert, key); err != nil {
			return err
		}
	}
	if checkServiceAccountKey(dir) == nil {
		return nil
	}
	return newServiceAccountKey(dir)
}

func newKey() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

func newCA(now time.Time) (*x509.Certificate, crypto.Signer, error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: "vigil-localcluster-ca"},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func newLeaf(spec certSpec, ca *x509.Certificate, caKey crypto.Signer, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, nil, err
	}
	usage := x509.ExtKeyUsageClientAuth
	if spec.server {
		usage = x509.ExtKeyUsageServerAuth
	}
	tmpl := &x509.Certificate{
		SerialNumber: sn,
		Subject:      pkix.Name{CommonName: spec.cn, Organization: spec.orgs},
		NotBefore:    now.Add(-backdate),
		NotAfter:     now.Add(leafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		DNSNames:     spec.dns,
	}
	for _, ip := range spec.ips {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP(ip))
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

// loadCA returns the CA in dir if it is usable at now.
func loadCA(dir string, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	cert, key, err := loadCert(dir, pkiCA)
	if err != nil {
		return nil, nil, err
	}
	if !cert.IsCA || now.Add(minRemaining).After(cert.NotAfter) {
		return nil, nil, errors.New("pki: CA not usable")
	}
	return cert, key, nil
}

// checkLeaf returns nil if the certificate spec.name in dir matches spec, is
// signed by ca and is valid for at least minRemaining after now.
func checkLeaf(dir string, spec certSpec, ca *x509.Certificate, now time.Time) error {
	cert, _, err := loadCert(dir, spec.name)
	if err != nil {
		return err
	}
	if err := cert.CheckSignatureFrom(ca); err != nil {
		return fmt.Errorf("%s: %w", spec.name, err)
	}
	var ips []string
	for _, ip := range cert.IPAddresses {
		ips = append(ips, ip.String())
	}
	usage := x509.ExtKeyUsageClientAuth
	if spec.server {
		usage = x509.ExtKeyUsageServerAuth
	}
	switch {
	case now.Add(minRemaining).After(cert.NotAfter), now.Before(cert.NotBefore):
		return fmt.Errorf("%s: expired or not yet valid", spec.name)
	case cert.Subject.CommonName != spec.cn, !slices.Equal(cert.Subject.Organization, spec.orgs),
		!slices.Equal(cert.DNSNames, spec.dns), !slices.Equal(ips, spec.ips),
		!slices.Equal(cert.ExtKeyUsage, []x509.ExtKeyUsage{usage}):
		return fmt.Errorf("%s: does not match its specification", spec.name)
	}
	return nil
}

// loadCert reads <name>.crt and <name>.key from dir and checks that they
// belong together.
func loadCert(dir, name string) (*x509.Certificate, crypto.Signer, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, name+".crt"))
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, name+".key"))
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil || cb.Type != "CERTIFICATE" || kb.Type != "EC PRIVATE KEY" {
		return nil, nil, fmt.Errorf("pki: %s: not PEM", name)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: %s: %w", name, err)
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: %s: %w", name, err)
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, nil, fmt.Errorf("pki: %s: key does not match certificate", name)
	}
	return cert, key, nil
}

func writeCert(dir, name string, cert *x509.Certificate, key crypto.Signer) error {
	der, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
	if err != nil {
		return fmt.Errorf("pki: %s: %w", name, err)
	}
	if err := writeFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, name+".crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644)
}

// checkServiceAccountKey returns nil if sa.key is an RSA private key and
// sa.pub its public key.
func checkServiceAccountKey(dir string) error {
	keyPEM, err := os.ReadFile(filepath.Join(dir, pkiServiceAccountKey))
	if err != nil {
		return err
	}
	pubPEM, err := os.ReadFile(filepath.Join(dir, pkiServiceAccountPub))
	if err != nil {
		return err
	}
	kb, _ := pem.Decode(keyPEM)
	pb, _ := pem.Decode(pubPEM)
	if kb == nil || pb == nil || kb.Type != "RSA PRIVATE KEY" || pb.Type != "PUBLIC KEY" {
		return errors.New("pki: service-account key: not PEM")
	}
	key, err := x509.ParsePKCS1PrivateKey(kb.Bytes)
	if err != nil {
		return err
	}
	pub, err := x509.ParsePKIXPublicKey(pb.Bytes)
	if err != nil {
		return err
	}
	if !key.PublicKey.Equal(pub) {
		return errors.New("pki: service-account keys do not match")
	}
	return nil
}

func newServiceAccountKey(dir string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("pki: service-account key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return fmt.Errorf("pki: service-account key: %w", err)
	}
	if err := writeFile(filepath.Join(dir, pkiServiceAccountKey),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, pkiServiceAccountPub), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644)
}

// writeFile replaces path by data atomically, so that a crash never leaves a
// half-written key behind; it leaves an identical file untouched.
func writeFile(path string, data []byte, mode os.FileMode) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
