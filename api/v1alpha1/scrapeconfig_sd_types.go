package v1alpha1

import (
	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// ScrapeConfigSources are the places a ScrapeConfig's targets come from;
// the job scrapes the targets of all of them. Kubernetes discovery lives in
// scrapeconfig_sd_kubernetes.go.
//
// Vigil supports the sources below. Prometheus Operator's cloud and
// service-registry discovery kinds (consul, ec2, azure, gce, openstack,
// digitalOcean, kuma, eureka, docker, dockerSwarm, linode, hetzner, nomad,
// puppetDB, lightSail, ovhcloud, scaleway, ionos) are not part of the schema
// yet, so an object using them is refused by the API server.
type ScrapeConfigSources struct {
	// staticConfigs are fixed lists of targets.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	StaticConfigs []StaticConfig `json:"staticConfigs,omitempty"`

	// fileSDConfigs read targets from files in the Prometheus container.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	FileSDConfigs []FileSDConfig `json:"fileSDConfigs,omitempty"`

	// httpSDConfigs fetch targets from an HTTP endpoint.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	HTTPSDConfigs []HTTPSDConfig `json:"httpSDConfigs,omitempty"`

	// kubernetesSDConfigs discover targets from Kubernetes objects.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	KubernetesSDConfigs []KubernetesSDConfig `json:"kubernetesSDConfigs,omitempty"`

	// dnsSDConfigs discover targets from DNS records.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	DNSSDConfigs []DNSSDConfig `json:"dnsSDConfigs,omitempty"`
}

// Target is a host:port address to scrape.
//
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=1024
type Target string

// StaticConfig is a fixed list of targets sharing a set of labels.
type StaticConfig struct {
	// targets to scrape.
	//
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10000
	Targets []Target `json:"targets"`

	// labels are added to every series scraped from these targets.
	//
	// +optional
	// +mapType=atomic
	Labels map[string]string `json:"labels,omitempty"`
}

// SDFile is the path of a JSON or YAML target file; the file name may hold
// one * wildcard, such as /etc/prometheus/targets/*.json.
//
// +kubebuilder:validation:MaxLength=4096
// +kubebuilder:validation:Pattern=`^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$`
type SDFile string

// FileSDConfig reads targets from files in the Prometheus container, such as
// files mounted from the Prometheus object's configMaps or secrets.
type FileSDConfig struct {
	// files are the target files, best given as absolute paths.
	//
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	Files []SDFile `json:"files"`

	// refreshInterval is how often the files are re-read besides on change.
	//
	// +optional
	RefreshInterval *monitoringv1.Duration `json:"refreshInterval,omitempty"`
}

// HTTPSDConfig fetches targets as JSON from an HTTP endpoint.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.authorization), has(self.oauth2)].filter(x, x).size() <= 1",message="at most one of basicAuth, authorization and oauth2 may be set"
type HTTPSDConfig struct {
	// url the targets are fetched from.
	//
	// +required
	URL URL `json:"url"`

	// refreshInterval is how often the targets are fetched again.
	//
	// +optional
	RefreshInterval *monitoringv1.Duration `json:"refreshInterval,omitempty"`

	// basicAuth authenticates to the endpoint with a user name and password.
	//
	// +optional
	BasicAuth *monitoringv1.BasicAuth `json:"basicAuth,omitempty"`

	// authorization sets the Authorization header sent to the endpoint.
	//
	// +optional
	Authorization *monitoringv1.SafeAuthorization `json:"authorization,omitempty"`

	// oauth2 authenticates to the endpoint with the OAuth 2.0 client
	// credentials flow.
	//
	// +optional
	OAuth2 *monitoringv1.OAuth2 `json:"oauth2,omitempty"`

	monitoringv1.ProxyConfig `json:",inline"`

	// tlsConfig is the TLS configuration used to reach the endpoint.
	//
	// +optional
	TLSConfig *monitoringv1.SafeTLSConfig `json:"tlsConfig,omitempty"`

	// followRedirects makes the client follow HTTP 3xx redirects (the default).
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// enableHTTP2 allows HTTP/2 (the default).
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHTTP2,omitempty"`
}

// DNSRecordType is the type of DNS record queried.
//
// +kubebuilder:validation:Enum=SRV;A;AAAA;MX;NS
type DNSRecordType string

const (
	// DNSRecordSRV reads host and port from SRV records (the default).
	DNSRecordSRV DNSRecordType = "SRV"
	// DNSRecordA reads IPv4 addresses.
	DNSRecordA DNSRecordType = "A"
	// DNSRecordAAAA reads IPv6 addresses.
	DNSRecordAAAA DNSRecordType = "AAAA"
	// DNSRecordMX reads mail exchangers.
	DNSRecordMX DNSRecordType = "MX"
	// DNSRecordNS reads name servers.
	DNSRecordNS DNSRecordType = "NS"
)

// DNSSDConfig discovers targets by querying DNS names periodically, with the
// resolvers of the Prometheus container.
//
// +kubebuilder:validation:XValidation:rule="!has(self.type) || self.type == 'SRV' || has(self.port)",message="port is required unless type is SRV"
type DNSSDConfig struct {
	// names are the DNS names queried.
	//
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=1000
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	Names []string `json:"names"`

	// refreshInterval is how often the names are queried again.
	//
	// +optional
	RefreshInterval *monitoringv1.Duration `json:"refreshInterval,omitempty"`

	// type of record queried; SRV when unset.
	//
	// +optional
	Type *DNSRecordType `json:"type,omitempty"`

	// port of the targets, for every type but SRV, whose records carry it.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=65535
	Port *int32 `json:"port,omitempty"`
}
