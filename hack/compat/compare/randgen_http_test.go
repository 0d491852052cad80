package compare

// The authentication, TLS and proxy settings of the generated monitors.
// Every namespace holds the Secret authSecret and the ConfigMap caConfigMap
// that they reference.

const (
	authSecret  = "scrape-auth"
	caConfigMap = "scrape-ca"

	// testCA, testCert and testKey are a CA and a client certificate and
	// key it signed, made for Vigil's tests.
	testCA = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUA+flns9HAVgsjWmHBbKEyaYcV/EwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNdmlnaWwgdGVzdCBDQTAgFw0yNjExMjkxNTUxMTRaGA8yMTI2
MTEwNTE1NTExNFowGDEWMBQGA1UEAwwNdmlnaWwgdGVzdCBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABF1y0UnUPfrrEO/YdhWJjTcPe1btTzerqkxlT1fddk1t
oiwBGx2XPKf+chYnrdzmpEQ6+u4vicwshZLDWBLD9h2jUzBRMB0GA1UdDgQWBBQX
BAkBmEGqpiPCKTbYH6m/Y8983DAfBgNVHSMEGDAWgBQXBAkBmEGqpiPCKTbYH6m/
Y8983DAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIGigin/JcuDQ
cQGQCgvhARzd8AlJYAhQY7im7C3txn5bAiEAu2eiFnShGGV0kNk3I8Sd5Ph4X8UN
t/8pXwa7FdcSnUk=
-----END CERTIFICATE-----
`
	testCert = `-----BEGIN CERTIFICATE-----
MIIBLzCB1wIUdUoOboaFde3IgQz0JhPUE0blkJkwCgYIKoZIzj0EAwIwGDEWMBQG
A1UEAwwNdmlnaWwgdGVzdCBDQTAgFw0yNjExMjkxNTUxMTVaGA8yMTI2MTEwNTE1
NTExNVowHDEaMBgGA1UEAwwRdmlnaWwgdGVzdCBjbGllbnQwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAR1gPjHCqQMrTKW1NslRcewcoc+3Op0MR2fvl8N5DDEekjP
fxsHI36bLPNVA6VcWRnZrbHLHTBkgpLb8ZtKT15TMAoGCCqGSM49BAMCA0cAMEQC
IBtDnkdR833LTiPK5SGd+dEYLIrgjq0Y7VaL30q8ImAbAiB6pMoLK6n3t15KoEV0
yHpPe+q3Bua3KKpzExa98kME5A==
-----END CERTIFICATE-----
`
	testKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaaIyqXHMYeDB0qiY
+L7NGdgSUjGhQI5GiBLNn7bdK06hRANCAAR1gPjHCqQMrTKW1NslRcewcoc+3Op0
MR2fvl8N5DDEekjPfxsHI36bLPNVA6VcWRnZrbHLHTBkgpLb8ZtKT15T
-----END PRIVATE KEY-----
`
)

// addAuthObjects adds the Secret and ConfigMap of namespace ns.
func (g *generator) addAuthObjects(ns string) {
	g.docs = append(g.docs,
		obj{
			"apiVersion": "v1", "kind": "Secret",
			"metadata": obj{"name": authSecret, "namespace": ns},
			"stringData": obj{
				"username": "scraper", "password": "s3cr3t-" + ns, "token": "tok-" + ns,
				"client-id": "client-" + ns, "client-secret": "oauth-" + ns,
				"ca.crt": testCA, "tls.crt": testCert, "tls.key": testKey,
			},
		},
		obj{
			"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": obj{"name": caConfigMap, "namespace": ns},
			"data":     obj{"ca.crt": testCA, "client.crt": testCert, "client-id": "cm-client-" + ns},
		})
}

func secretKey(key string) obj { return obj{"name": authSecret, "key": key} }

// safeTLSConfig is a TLS configuration from the namespace's Secret and
// ConfigMap, or nil.
func (g *generator) safeTLSConfig() obj {
	if !g.use("tls-secret-refs", 0.3) {
		return nil
	}
	tls := obj{}
	if g.intn(2) == 0 {
		tls["ca"] = obj{"secret": secretKey("ca.crt")}
	} else {
		tls["ca"] = obj{"configMap": obj{"name": caConfigMap, "key": "ca.crt"}}
	}
	if g.intn(2) == 0 {
		tls["cert"] = obj{"secret": secretKey("tls.crt")}
		tls["keySecret"] = secretKey("tls.key")
	}
	setIf(tls, "serverName", "metrics.internal", g.intn(3) == 0)
	setIf(tls, "insecureSkipVerify", g.intn(2) == 0, g.intn(3) == 0)
	setIf(tls, "minVersion", "TLS12", g.intn(4) == 0)
	setIf(tls, "maxVersion", "TLS13", g.intn(4) == 0)
	return tls
}

// httpAuth sets one kind of authentication on o, or none, and tells
// whether it set one. bearerSecret allows the deprecated bearerTokenSecret
// (ServiceMonitor endpoints and Probes). When a scrape class gives an
// authorization, an object can only replace it with its own: Prometheus
// takes one way to authenticate.
func (g *generator) httpAuth(o obj, bearerSecret bool) bool {
	if !g.use("http-auth", 0.35) {
		return false
	}
	kind := g.intn(4)
	if g.classAuth {
		kind = 1
	}
	switch kind {
	case 0:
		setIf(o, "basicAuth", obj{"username": secretKey("username"), "password": secretKey("password")}, g.use("basic-auth", 1))
	case 1:
		a := obj{"credentials": secretKey("token")}
		setIf(a, "type", "Bearer", g.intn(2) == 0)
		setIf(o, "authorization", a, g.use("authorization", 1))
	case 2:
		oa := obj{"clientSecret": secretKey("client-secret"), "tokenUrl": "https://auth.example.com/token"}
		if g.intn(2) == 0 {
			oa["clientId"] = obj{"secret": secretKey("client-id")}
		} else {
			oa["clientId"] = obj{"configMap": obj{"name": caConfigMap, "key": "client-id"}}
		}
		setIf(oa, "scopes", []string{"metrics"}, g.intn(2) == 0)
		setIf(oa, "endpointParams", obj{"audience": "prometheus"}, g.intn(3) == 0)
		if g.use("oauth2-tls-and-proxy", 0.3) {
			setIf(oa, "tlsConfig", g.safeTLSConfig(), true)
			g.proxy(oa)
		}
		setIf(o, "oauth2", oa, g.use("oauth2", 1))
	default:
		setIf(o, "bearerTokenSecret", secretKey("token"), bearerSecret && g.use("bearer-token-secret", 1))
	}
	for _, k := range []string{"basicAuth", "authorization", "oauth2", "bearerTokenSecret"} {
		if o[k] != nil {
			return true
		}
	}
	return false
}

// httpOptions sets the HTTP client switches and the proxy on o.
// enableHTTP2Key is the field's spelling, which differs between kinds;
// followRedirects tells whether the kind has that field.
func (g *generator) httpOptions(o obj, enableHTTP2Key string, followRedirects bool) {
	setIf(o, "followRedirects", g.intn(2) == 0, followRedirects && g.use("follow-redirects", 0.2))
	setIf(o, enableHTTP2Key, g.intn(2) == 0, g.use("enable-http2", 0.2))
	g.proxy(o)
}

// proxy sets a proxy on o, or none.
func (g *generator) proxy(o obj) {
	if !g.use("proxy", 0.15) {
		return
	}
	if g.use("proxy-from-environment", 0.3) {
		o["proxyFromEnvironment"] = true
	} else {
		o["proxyUrl"] = "http://proxy.example.com:3128"
		setIf(o, "noProxy", "10.0.0.0/8,.cluster.local", g.intn(2) == 0)
	}
	setIf(o, "proxyConnectHeader", obj{"Proxy-Authorization": []obj{secretKey("token")}}, g.use("proxy-connect-header", 0.3))
}
