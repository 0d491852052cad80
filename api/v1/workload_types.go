package v1

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LogLevel is the log level of Prometheus or Alertmanager and of the
// config-reloader sidecar; empty means the program's default (info).
//
// +kubebuilder:validation:Enum="";debug;info;warn;error
type LogLevel string

// LogFormat is the log format of Prometheus or Alertmanager and of the
// config-reloader sidecar; empty means the program's default (logfmt).
//
// +kubebuilder:validation:Enum="";logfmt;json
type LogFormat string

// PodManagementPolicyType is how the StatefulSet starts and stops its pods.
//
// +kubebuilder:validation:Enum=OrderedReady;Parallel
type PodManagementPolicyType string

const (
	// OrderedReadyPodManagement starts pods one at a time, each after the
	// previous one is ready.
	OrderedReadyPodManagement PodManagementPolicyType = "OrderedReady"
	// ParallelPodManagement starts and stops all pods at once.
	ParallelPodManagement PodManagementPolicyType = "Parallel"
)

// DNSPolicy is the DNS policy of the pods.
//
// +kubebuilder:validation:Enum=ClusterFirstWithHostNet;ClusterFirst;Default;None
type DNSPolicy string

// CommonWorkloadFields are the pod and StatefulSet settings that Prometheus
// and Alertmanager share. Both specs embed them inline, so the JSON names are
// those of spec.
type CommonWorkloadFields struct {
	// podMetadata are labels and annotations added to the pods. Vigil's own
	// pod labels (app.kubernetes.io/name, app.kubernetes.io/instance,
	// app.kubernetes.io/managed-by, prometheus or alertmanager,
	// operator.prometheus.io/name and operator.prometheus.io/shard) win over
	// labels of the same name set here.
	//
	// +optional
	PodMetadata *EmbeddedObjectMetadata `json:"podMetadata,omitempty"`

	// version of Prometheus or Alertmanager that runs. Vigil shapes flags and
	// configuration to it; the default is the version Vigil was built with.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Version string `json:"version,omitempty"`

	// image is the container image to run. It should match version; unset
	// or empty, Vigil's default image for version is used.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Image *string `json:"image,omitempty"`

	// imagePullPolicy of the main and config-reloader containers.
	//
	// +optional
	// +kubebuilder:validation:Enum="";Always;Never;IfNotPresent
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`

	// imagePullSecrets are Secrets in the object's namespace used to pull
	// the images.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	ImagePullSecrets []corev1.LocalObjectReference `json:"imagePullSecrets,omitempty"`

	// paused stops Vigil from changing the workload; only deletion is acted on.
	//
	// +optional
	Paused bool `json:"paused,omitempty"`

	// logLevel of the main container and of the config-reloader.
	//
	// +optional
	LogLevel LogLevel `json:"logLevel,omitempty"`

	// logFormat of the main container and of the config-reloader.
	//
	// +optional
	LogFormat LogFormat `json:"logFormat,omitempty"`

	// externalUrl is the URL users reach the web UI under, for links in
	// alerts and in the UI, such as https://prometheus.example.com/.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	ExternalURL string `json:"externalUrl,omitempty"`

	// routePrefix is the path prefix the HTTP handlers are served under;
	// by default the path of externalUrl, or "/".
	//
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	RoutePrefix string `json:"routePrefix,omitempty"`

	// storage holds the data directory; an emptyDir when unset.
	//
	// +optional
	Storage *StorageSpec `json:"storage,omitempty"`

	// volumes are added to the pods after the ones Vigil generates.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=256
	Volumes []corev1.Volume `json:"volumes,omitempty"`

	// volumeMounts are added to the main container after the ones Vigil
	// generates.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=256
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`

	// persistentVolumeClaimRetentionPolicy says whether the StatefulSet's
	// volume claims are deleted when it is deleted or scaled down; they are
	// kept when unset.
	//
	// +optional
	PersistentVolumeClaimRetentionPolicy *appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy `json:"persistentVolumeClaimRetentionPolicy,omitempty"`

	// resources of the main container.
	//
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty,omitzero"`

	// nodeSelector restricts the pods to nodes with these labels.
	//
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`

	// affinity holds the pods' scheduling constraints.
	//
	// +optional
	Affinity *corev1.Affinity `json:"affinity,omitempty"`

	// tolerations of the pods.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`

	// securityContext of the pods. Unset, Vigil runs them as a non-root
	// user (uid 1000, fsGroup 2000).
	//
	// +optional
	SecurityContext *corev1.PodSecurityContext `json:"securityContext,omitempty"`

	// dnsPolicy of the pods; ClusterFirstWithHostNet when hostNetwork is set
	// and this is not.
	//
	// +optional
	DNSPolicy *DNSPolicy `json:"dnsPolicy,omitempty"`

	// dnsConfig adds to the pods' DNS settings.
	//
	// +optional
	DNSConfig *PodDNSConfig `json:"dnsConfig,omitempty"`

	// schedulerName is the scheduler that places the pods.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	SchedulerName string `json:"schedulerName,omitempty"`

	// priorityClassName of the pods.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	PriorityClassName string `json:"priorityClassName,omitempty"`

	// serviceAccountName the pods run as.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	ServiceAccountName string `json:"serviceAccountName,omitempty"`

	// automountServiceAccountToken mounts the service account token into
	// the pods (the default). Prometheus needs it for Kubernetes service
	// discovery.
	//
	// +optional
	AutomountServiceAccountToken *bool `json:"automountServiceAccountToken,omitempty"`

	// enableServiceLinks puts environment variables for Services into the
	// containers, as Kubernetes does by default.
	//
	// +optional
	EnableServiceLinks *bool `json:"enableServiceLinks,omitempty"`

	// hostNetwork runs the pods in the node's network namespace. Mind the
	// ports this takes on the node.
	//
	// +optional
	HostNetwork bool `json:"hostNetwork,omitempty"`

	// hostUsers set to false runs the pods in their own user namespace.
	//
	// +optional
	HostUsers *bool `json:"hostUsers,omitempty"`

	// hostAliases are added to the pods' /etc/hosts.
	//
	// +optional
	// +listType=map
	// +listMapKey=ip
	// +kubebuilder:validation:MaxItems=64
	HostAliases []HostAlias `json:"hostAliases,omitempty"`

	// secrets are Secrets in the object's namespace mounted into the main
	// container at /etc/<prometheus|alertmanager>/secrets/<name>.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=128
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	Secrets []string `json:"secrets,omitempty"`

	// configMaps are ConfigMaps in the object's namespace mounted into the
	// main container at /etc/<prometheus|alertmanager>/configmaps/<name>.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=128
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	ConfigMaps []string `json:"configMaps,omitempty"`

	// listenLocal makes the web server listen on 127.0.0.1 only, for use
	// behind a proxy container in the same pod.
	//
	// +optional
	ListenLocal bool `json:"listenLocal,omitempty"`

	// portName is the name of the web port on the pods and the governing
	// Service.
	//
	// +optional
	// +kubebuilder:default:="web"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=15
	// +kubebuilder:validation:Pattern:="^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
	PortName string `json:"portName,omitempty"`

	// containers are added to the pods. One named like a container Vigil
	// generates (prometheus, alertmanager, config-reloader) is merged into it
	// with a strategic merge patch instead; that is unsupported territory.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	Containers []corev1.Container `json:"containers,omitempty"`

	// initContainers are added to the pods; one named init-config-reloader is
	// merged into Vigil's own.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	InitContainers []corev1.Container `json:"initContainers,omitempty"`

	// additionalArgs are passed to the main container after the arguments
	// Vigil sets. An argument Vigil already sets is refused in status.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=128
	AdditionalArgs []Argument `json:"additionalArgs,omitempty"`

	// minReadySeconds is how long a new pod must be ready before it counts
	// as available.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MinReadySeconds *int32 `json:"minReadySeconds,omitempty"`

	// terminationGracePeriodSeconds is how long a pod has to stop before it
	// is killed.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`

	// podManagementPolicy of the StatefulSets; Parallel when unset, so a
	// broken pod does not block its siblings.
	//
	// +optional
	PodManagementPolicy *PodManagementPolicyType `json:"podManagementPolicy,omitempty"`
}

// StorageSpec is where a workload keeps its data. Set one of the three
// sources; if more are set, emptyDir wins over ephemeral, which wins over
// volumeClaimTemplate (Prometheus Operator's order, kept because its Go
// client always writes a volumeClaimTemplate).
type StorageSpec struct {
	// disableMountSubPath mounts the volume's root instead of a
	// sub-directory named after the workload.
	// Deprecated: kept for Prometheus Operator manifests.
	//
	// +optional
	DisableMountSubPath bool `json:"disableMountSubPath,omitempty"`

	// emptyDir keeps the data for the lifetime of the pod.
	//
	// +optional
	EmptyDir *corev1.EmptyDirVolumeSource `json:"emptyDir,omitempty"`

	// ephemeral keeps the data in a volume created with the pod and deleted
	// with it.
	//
	// +optional
	Ephemeral *corev1.EphemeralVolumeSource `json:"ephemeral,omitempty"`

	// volumeClaimTemplate gives each pod a persistent volume claim that
	// outlives it.
	//
	// +optional
	VolumeClaimTemplate *EmbeddedPersistentVolumeClaim `json:"volumeClaimTemplate,omitempty"`
}

// EmbeddedPersistentVolumeClaim is the template of a StatefulSet's volume
// claim.
type EmbeddedPersistentVolumeClaim struct {
	// apiVersion and kind are accepted for manifests that spell them out
	// (v1, PersistentVolumeClaim) and otherwise ignored.
	metav1.TypeMeta `json:",inline"`

	// metadata of the claim; name defaults to
	// <prometheus|alertmanager>-<name>-db.
	//
	// +optional
	Metadata EmbeddedObjectMetadata `json:"metadata,omitempty,omitzero"`

	// spec of the claim.
	//
	// +optional
	Spec corev1.PersistentVolumeClaimSpec `json:"spec,omitempty,omitzero"`

	// status is never read or written. Deprecated: accepted for manifests
	// copied from Prometheus Operator objects.
	//
	// +optional
	Status *corev1.PersistentVolumeClaimStatus `json:"status,omitempty"`
}

// HostAlias is an entry of a pod's /etc/hosts.
type HostAlias struct {
	// ip address the host names resolve to.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	IP string `json:"ip"`

	// hostnames that resolve to ip.
	//
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	Hostnames []string `json:"hostnames"`
}

// Argument is a command-line flag passed to a container as --name or
// --name=value.
type Argument struct {
	// name of the flag, without leading dashes.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:Pattern:="^[^-]"
	Name string `json:"name"`

	// value of the flag; without one the flag is passed alone.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	Value string `json:"value,omitempty"`
}

// PodDNSConfig adds to the DNS settings of a pod.
type PodDNSConfig struct {
	// nameservers are DNS server addresses added to those of dnsPolicy.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=3
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=64
	Nameservers []string `json:"nameservers,omitempty"`

	// searches are DNS search domains added to those of dnsPolicy.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	Searches []string `json:"searches,omitempty"`

	// options are resolver options, such as ndots.
	//
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=32
	Options []PodDNSConfigOption `json:"options,omitempty"`
}

// PodDNSConfigOption is a resolver option.
type PodDNSConfigOption struct {
	// name of the option.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`

	// value of the option, if it takes one.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Value *string `json:"value,omitempty"`
}

// WebConfigFileFields configure the HTTP server of Prometheus or
// Alertmanager through its web configuration file.
type WebConfigFileFields struct {
	// tlsConfig serves HTTPS instead of HTTP.
	//
	// +optional
	TLSConfig *WebTLSConfig `json:"tlsConfig,omitempty"`

	// httpConfig sets HTTP/2 and response headers.
	//
	// +optional
	HTTPConfig *WebHTTPConfig `json:"httpConfig,omitempty"`
}

// WebClientAuthType is the server's policy for client certificates, as Go's
// crypto/tls names it.
//
// +kubebuilder:validation:Enum=NoClientCert;RequestClientCert;RequireAnyClientCert;VerifyClientCertIfGiven;RequireAndVerifyClientCert
type WebClientAuthType string

// WebTLSConfig is the TLS configuration of a web server. A certificate and
// its key are required, each from a Secret (or ConfigMap) or from a file.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.certFile) && has(self.cert) && (has(self.cert.secret) || has(self.cert.configMap)))",message="cert and certFile are mutually exclusive"
// +kubebuilder:validation:XValidation:rule="has(self.certFile) || (has(self.cert) && (has(self.cert.secret) || has(self.cert.configMap)))",message="one of cert and certFile is required"
// +kubebuilder:validation:XValidation:rule="!(has(self.keyFile) && has(self.keySecret) && self.keySecret.key.size() > 0)",message="keySecret and keyFile are mutually exclusive"
// +kubebuilder:validation:XValidation:rule="has(self.keyFile) || (has(self.keySecret) && self.keySecret.key.size() > 0)",message="one of keySecret and keyFile is required"
// +kubebuilder:validation:XValidation:rule="!(has(self.clientCAFile) && has(self.client_ca) && (has(self.client_ca.secret) || has(self.client_ca.configMap)))",message="client_ca and clientCAFile are mutually exclusive"
type WebTLSConfig struct {
	// cert is the server certificate, from a Secret or a ConfigMap.
	//
	// +optional
	Cert *SecretOrConfigMap `json:"cert,omitempty"`

	// certFile is the path of the server certificate in the container.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	CertFile *string `json:"certFile,omitempty"`

	// keySecret is the Secret key holding the server certificate's private
	// key.
	//
	// +optional
	KeySecret *corev1.SecretKeySelector `json:"keySecret,omitempty"`

	// keyFile is the path of the private key in the container.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	KeyFile *string `json:"keyFile,omitempty"`

	// client_ca is the CA that verifies client certificates. The name keeps
	// the web configuration file's spelling, as Prometheus Operator does.
	//
	// +optional
	ClientCA *SecretOrConfigMap `json:"client_ca,omitempty"`

	// clientCAFile is the path of the client CA in the container.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	ClientCAFile *string `json:"clientCAFile,omitempty"`

	// clientAuthType is the policy for client certificates;
	// NoClientCert when unset.
	//
	// +optional
	ClientAuthType *WebClientAuthType `json:"clientAuthType,omitempty"`

	// minVersion is the lowest TLS version accepted.
	//
	// +optional
	MinVersion *TLSVersion `json:"minVersion,omitempty"`

	// maxVersion is the highest TLS version accepted.
	//
	// +optional
	MaxVersion *TLSVersion `json:"maxVersion,omitempty"`

	// cipherSuites allowed up to TLS 1.2, by their Go names; Go's defaults
	// when unset.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=128
	CipherSuites []string `json:"cipherSuites,omitempty"`

	// preferServerCipherSuites picks the server's preferred cipher suite
	// instead of the client's.
	//
	// +optional
	PreferServerCipherSuites *bool `json:"preferServerCipherSuites,omitempty"`

	// curvePreferences are the elliptic curves of the ECDHE handshake, in
	// order of preference, by their Go names.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=64
	CurvePreferences []string `json:"curvePreferences,omitempty"`
}

// WebHTTPConfig sets HTTP options of a web server.
type WebHTTPConfig struct {
	// http2 enables HTTP/2 (the default); it needs tlsConfig.
	//
	// +optional
	HTTP2 *bool `json:"http2,omitempty"`

	// headers are added to every response.
	//
	// +optional
	Headers *WebHTTPHeaders `json:"headers,omitempty"`
}

// WebHTTPHeaders are security headers added to a web server's responses.
type WebHTTPHeaders struct {
	// contentSecurityPolicy is the Content-Security-Policy header.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	ContentSecurityPolicy string `json:"contentSecurityPolicy,omitempty"`

	// xFrameOptions is the X-Frame-Options header.
	//
	// +optional
	// +kubebuilder:validation:Enum="";Deny;SameOrigin
	XFrameOptions string `json:"xFrameOptions,omitempty"`

	// xContentTypeOptions is the X-Content-Type-Options header.
	//
	// +optional
	// +kubebuilder:validation:Enum="";NoSniff
	XContentTypeOptions string `json:"xContentTypeOptions,omitempty"`

	// xXSSProtection is the X-XSS-Protection header.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=256
	XXSSProtection string `json:"xXSSProtection,omitempty"`

	// strictTransportSecurity is the Strict-Transport-Security header.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=256
	StrictTransportSecurity string `json:"strictTransportSecurity,omitempty"`
}
