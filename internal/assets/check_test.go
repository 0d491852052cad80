package assets_test

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
)

// notDER is PEM armour around bytes that are not a certificate or key, as
// hand-written test manifests often hold.
const notDER = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"

func TestChecks(t *testing.T) {
	keyAsCert := strings.ReplaceAll(assetstest.ClientKey, "PRIVATE KEY", "CERTIFICATE")
	for _, tc := range []struct {
		name    string
		check   func() error
		wantErr string
	}{
		{"CA", func() error { return assets.CheckCA(assetstest.CA) }, ""},
		{"CA bundle with a comment", func() error { return assets.CheckCA("# our CAs\n" + assetstest.CA + assetstest.ClientCert) }, ""},
		{"CA not PEM", func() error { return assets.CheckCA("ca.crt") }, "no PEM certificate found"},
		{"CA that is a key", func() error { return assets.CheckCA(assetstest.ClientKey) }, "no PEM certificate found"},
		{"CA whose PEM is not a certificate", func() error { return assets.CheckCA(notDER) }, "no PEM certificate found"},
		{"CA empty", func() error { return assets.CheckCA("") }, "no PEM certificate found"},

		{"certificate", func() error { return assets.CheckCertificate(assetstest.ClientCert) }, ""},
		{"certificate after a key", func() error { return assets.CheckCertificate(assetstest.OtherKey + assetstest.ClientCert) }, ""},
		{"certificate not PEM", func() error { return assets.CheckCertificate("CERT") }, "no PEM certificate found"},
		{"certificate that does not parse", func() error { return assets.CheckCertificate(notDER) }, "the PEM certificate does not parse"},
		{"certificate that is a key", func() error { return assets.CheckCertificate(keyAsCert) }, "the PEM certificate does not parse"},

		{"private key", func() error { return assets.CheckPrivateKey(assetstest.ClientKey) }, ""},
		{"private key not PEM", func() error { return assets.CheckPrivateKey("KEY") }, "no PEM private key found"},
		{"private key that is a certificate", func() error { return assets.CheckPrivateKey(assetstest.ClientCert) }, "no PEM private key found"},
		{"private key that does not parse", func() error {
			return assets.CheckPrivateKey(strings.ReplaceAll(notDER, "CERTIFICATE", "EC PRIVATE KEY"))
		}, "the PEM private key does not parse"},

		{"key pair", func() error { return assets.CheckKeyPair(assetstest.ClientCert, assetstest.ClientKey) }, ""},
		{"key pair that does not match", func() error { return assets.CheckKeyPair(assetstest.ClientCert, assetstest.OtherKey) }, "private key does not match public key"},
		{"key pair with a certificate that is not PEM", func() error { return assets.CheckKeyPair("CERT", assetstest.ClientKey) }, "failed to find any PEM data in certificate input"},
		{"key pair with a key that is not PEM", func() error { return assets.CheckKeyPair(assetstest.ClientCert, "KEY") }, "failed to find any PEM data in key input"},

		{"proxy http", func() error { return assets.CheckProxyURL("http://proxy.example:3128") }, ""},
		{"proxy https with credentials", func() error { return assets.CheckProxyURL("https://u:p@proxy.example") }, ""},
		{"proxy socks5", func() error { return assets.CheckProxyURL("socks5://10.0.0.1:1080") }, ""},
		{"proxy upper-case scheme", func() error { return assets.CheckProxyURL("HTTP://proxy.example") }, ""},
		{"proxy that does not parse", func() error { return assets.CheckProxyURL("http://proxy example:3128") }, "does not parse: invalid character"},
		{"proxy without a scheme", func() error { return assets.CheckProxyURL("//proxy.example:3128") }, "has no scheme"},
		{"proxy host and port only", func() error { return assets.CheckProxyURL("proxy.example:3128") }, `scheme "proxy.example" is not one of http, https, socks5, socks5h`},
		{"proxy ftp", func() error { return assets.CheckProxyURL("ftp://proxy.example") }, `scheme "ftp" is not one of`},
		{"proxy without a host", func() error { return assets.CheckProxyURL("http:///path") }, "has no host"},
		{"proxy with a port and no host", func() error { return assets.CheckProxyURL("http://:3128") }, "has no host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			err := tc.check()
			if tc.wantErr == "" {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
		})
	}
}

// TestProxyURLErrorHidesPassword: the message of a URL that does not
// parse goes into a status; it must not quote a password it carries.
func TestProxyURLErrorHidesPassword(t *testing.T) {
	g := NewWithT(t)
	err := assets.CheckProxyURL("http://user:hunter2@proxy example:3128")
	g.Expect(err).To(HaveOccurred())
	g.Expect(err.Error()).NotTo(ContainSubstring("hunter2"))
}
