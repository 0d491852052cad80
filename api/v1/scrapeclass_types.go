package v1

// ScrapeClass is a named set of scrape settings that the Prometheus
// object's administrator defines once and ServiceMonitors, PodMonitors,
// Probes and ScrapeConfigs opt into with their scrapeClass field (or get
// through the default class). Each setting applies where the object leaves
// it unset, except relabelings and metricRelabelings, which run before the
// object's own.
type ScrapeClass struct {
	// name of the scrape class, as objects' scrapeClass fields name it.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// default makes the class apply to every object that names no scrape
	// class. At most one class may be the default.
	//
	// +optional
	Default *bool `json:"default,omitempty"`

	// fallbackScrapeProtocol is the format assumed when a target answers
	// with a missing or unknown Content-Type, for objects that set none.
	//
	// +optional
	FallbackScrapeProtocol *ScrapeProtocol `json:"fallbackScrapeProtocol,omitempty"`

	// tlsConfig is used as a whole by objects that configure no TLS. For
	// an object that does, only caFile, certFile and keyFile are taken, each
	// where the object gives neither that file nor its Secret or ConfigMap
	// counterpart. Its Secrets and ConfigMaps are read in the Prometheus
	// object's namespace, and its files are honoured whatever the
	// namespace of the object using the class.
	//
	// +optional
	TLSConfig *TLSConfig `json:"tlsConfig,omitempty"`

	// authorization is used by objects that set no authorization, and its
	// credentials by objects whose authorization sets only a type. Its
	// credentials Secret is read in the Prometheus object's namespace. An
	// object that authenticates otherwise (basicAuth, oauth2,
	// bearerTokenSecret, bearerTokenFile) is refused, as Prometheus takes
	// only one way.
	//
	// +optional
	Authorization *Authorization `json:"authorization,omitempty"`

	// relabelings are applied to every target of the objects using the
	// class: after the rules Vigil generates (namespace, service, pod,
	// job, endpoint...) and before the object's own relabelings.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	Relabelings []RelabelConfig `json:"relabelings,omitempty"`

	// metricRelabelings are applied to every sample of the objects using
	// the class, before the object's own metricRelabelings and before the
	// enforced namespace label.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	MetricRelabelings []RelabelConfig `json:"metricRelabelings,omitempty"`

	// attachMetadata is used by ServiceMonitors and PodMonitors that set no
	// attachMetadata of their own.
	//
	// +optional
	AttachMetadata *AttachMetadata `json:"attachMetadata,omitempty"`
}
