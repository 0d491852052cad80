package cluster

import (
	"fmt"
	"net/http"
	"net/url"
	"os"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubeconfigs maps each kubeconfig written under Dir to the certificate it
// authenticates with.
func kubeconfigs(withNode bool) map[string]string {
	m := map[string]string{
		"admin":              pkiAdmin,
		"controller-manager": pkiControllerManager,
		"scheduler":          pkiScheduler,
	}
	if withNode {
		m["node"] = pkiNode
	}
	return m
}

// kubeconfigFor returns a kubeconfig for server that trusts caPEM and
// authenticates with a client certificate; the data is embedded so that the
// file stands alone.
func kubeconfigFor(server, user string, caPEM, certPEM, keyPEM []byte) *clientcmdapi.Config {
	c := clientcmdapi.NewConfig()
	c.Clusters["vigil"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	c.AuthInfos[user] = &clientcmdapi.AuthInfo{ClientCertificateData: certPEM, ClientKeyData: keyPEM}
	c.Contexts["vigil"] = &clientcmdapi.Context{Cluster: "vigil", AuthInfo: user}
	c.CurrentContext = "vigil"
	return c
}

// writeKubeconfigs writes Dir/<user>.kubeconfig for each of kubeconfigs.
func writeKubeconfigs(l layout, withNode bool) error {
	caPEM, err := os.ReadFile(l.pki(pkiCA + ".crt"))
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	for user, cert := range kubeconfigs(withNode) {
		certPEM, err := os.ReadFile(l.pki(cert + ".crt"))
		if err != nil {
			return fmt.Errorf("kubeconfig %s: %w", user, err)
		}
		keyPEM, err := os.ReadFile(l.pki(cert + ".key"))
		if err != nil {
			return fmt.Errorf("kubeconfig %s: %w", user, err)
		}
		data, err := clientcmd.Write(*kubeconfigFor(APIServerURL, user, caPEM, certPEM, keyPEM))
		if err != nil {
			return fmt.Errorf("kubeconfig %s: %w", user, err)
		}
		if err := writeFile(l.kubeconfig(user), data, 0o600); err != nil {
			return fmt.Errorf("kubeconfig %s: %w", user, err)
		}
	}
	return nil
}

// restConfig loads a kubeconfig for the test's own clients: high rate limits
// (QPS 5 makes create → Ready seconds slower) and no proxy, since the cluster
// is local whatever the environment says.
func restConfig(path string) (*rest.Config, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
	}
	cfg.QPS, cfg.Burst = 200, 400
	cfg.Proxy = func(*http.Request) (*url.URL, error) { return nil, nil }
	return cfg, nil
}
