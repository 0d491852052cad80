package assets

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// The checks below find what Prometheus and Alertmanager would only trip
// on when they connect (each scrape, each notification): TLS material that
// is not PEM, a certificate that does not go with its key, a proxy URL Go's
// HTTP client cannot use. Their messages never quote the value: it usually
// comes from a Secret, and the message ends up in a status and an Event.

// CheckCA says whether data holds at least one PEM certificate, as a CA
// bundle must.
func CheckCA(data string) error {
	if !x509.NewCertPool().AppendCertsFromPEM([]byte(data)) {
		return errNoCertificate
	}
	return nil
}

// errNoCertificate and the errors below are InvalidTLSMaterial, so that a
// condition says what kind of problem it is.
var (
	errNoCertificate = rejection.Wrap(rejection.InvalidTLSMaterial, errors.New("no PEM certificate found"))
	errNoPrivateKey  = rejection.Wrap(rejection.InvalidTLSMaterial, errors.New("no PEM private key found"))
)

// CheckCertificate says whether data holds a PEM certificate that parses,
// for a client certificate whose key is a file (so the pair cannot be
// checked together).
func CheckCertificate(data string) error {
	rest := []byte(data)
	for {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			return errNoCertificate
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return rejection.Errorf(rejection.InvalidTLSMaterial, "the PEM certificate does not parse: %w", err)
		}
		return nil
	}
}

// CheckPrivateKey says whether data holds a PEM private key Go's TLS
// client can use (PKCS #1, PKCS #8 or SEC 1), for a key whose certificate
// is a file.
func CheckPrivateKey(data string) error {
	rest := []byte(data)
	for {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			return errNoPrivateKey
		}
		if block.Type != "PRIVATE KEY" && !strings.HasSuffix(block.Type, " PRIVATE KEY") {
			continue
		}
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
			return nil
		}
		if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
			return nil
		}
		if _, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
			return nil
		}
		return rejection.Errorf(rejection.InvalidTLSMaterial, "the PEM private key does not parse")
	}
}

// CheckKeyPair says whether cert and key are a PEM certificate and the
// private key that goes with it.
func CheckKeyPair(cert, key string) error {
	_, err := tls.X509KeyPair([]byte(cert), []byte(key))
	return rejection.Wrap(rejection.InvalidTLSMaterial, err)
}

// proxySchemes are the proxy URL schemes Go's HTTP transport dials; any
// other fails every request. url.Parse lowers the scheme.
var proxySchemes = []string{"http", "https", "socks5", "socks5h"}

// CheckProxyURL says whether u is a proxy URL Go's HTTP client can use: it
// parses, and has one of the schemes the transport knows and a host.
func CheckProxyURL(u string) error {
	parsed, err := url.Parse(u)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			// The URL may carry a password: say what is wrong without it.
			err = uerr.Err
		}
		return fmt.Errorf("does not parse: %w", err)
	}
	switch {
	case parsed.Scheme == "":
		return fmt.Errorf("has no scheme: use one of %s", strings.Join(proxySchemes, ", "))
	case !slices.Contains(proxySchemes, parsed.Scheme):
		return fmt.Errorf("scheme %q is not one of %s", parsed.Scheme, strings.Join(proxySchemes, ", "))
	case parsed.Hostname() == "":
		return errors.New("has no host")
	}
	return nil
}
