package workload

import (
	"bytes"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

const (
	volumeWebConfig = "web-config"
	webConfigFile   = "web-config.yaml"
	webTLSPrefix    = "web-config-tls"
)

// webConfig is the web configuration file of Prometheus or Alertmanager
// (TLS and HTTP headers of its server), kept in the Secret secretName and
// mounted at dir/web-config.yaml; the Secrets and ConfigMaps its TLS
// material comes from are mounted whole beside it, so that renewed
// certificates reach the server without a restart (it reads them on every
// handshake).
type webConfig struct {
	dir        string
	secretName string
	tls        *monitoringv1.WebTLSConfig
	http       *monitoringv1.WebHTTPConfig
}

func newWebConfig(dir, secretName string, f *monitoringv1.WebConfigFileFields) webConfig {
	w := webConfig{dir: dir, secretName: secretName}
	if f != nil {
		w.tls, w.http = f.TLSConfig, f.HTTPConfig
	}
	return w
}

func (w webConfig) path() string { return path.Join(w.dir, webConfigFile) }

// volumes are the file's Secret and the TLS material's Secrets and
// ConfigMaps; mounts mounts them into the server's container.
func (w webConfig) volumes() ([]corev1.Volume, []corev1.VolumeMount) {
	vols := []corev1.Volume{{Name: volumeWebConfig, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: w.secretName}}}}
	mounts := []corev1.VolumeMount{{Name: volumeWebConfig, MountPath: w.path(), SubPath: webConfigFile, ReadOnly: true}}
	for _, m := range w.tlsMaterial() {
		vols = append(vols, m.volume)
		mounts = append(mounts, corev1.VolumeMount{Name: m.volume.Name, MountPath: m.dir, ReadOnly: true})
	}
	return vols, mounts
}

// tlsFile is one piece of TLS material mounted from a Secret or ConfigMap.
type tlsFile struct {
	role   string // key, cert or client-ca
	volume corev1.Volume
	dir    string
	file   string // dir/key
}

// tlsMaterial is the key, certificate and client CA the TLS configuration
// takes from Secrets and ConfigMaps, in that order.
func (w webConfig) tlsMaterial() []tlsFile {
	t := w.tls
	if t == nil {
		return nil
	}
	var out []tlsFile
	add := func(role string, secret *corev1.SecretKeySelector, cm *corev1.ConfigMapKeySelector) {
		f := tlsFile{role: role}
		switch {
		case secret != nil && secret.Name != "":
			f.volume = corev1.Volume{
				Name:         uniqueVolumeName(webTLSPrefix+"-secret-"+role, secret.Name),
				VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: secret.Name}},
			}
			f.dir = path.Join(w.dir, "secret", secret.Name+"-"+short(role))
			f.file = path.Join(f.dir, secret.Key)
		case cm != nil && cm.Name != "":
			f.volume = corev1.Volume{
				Name:         uniqueVolumeName(webTLSPrefix+"-configmap-"+role, cm.Name),
				VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: cm.Name}}},
			}
			f.dir = path.Join(w.dir, "configmap", cm.Name+"-"+short(role))
			f.file = path.Join(f.dir, cm.Key)
		default:
			return
		}
		out = append(out, f)
	}
	add("key", t.KeySecret, nil)
	if t.Cert != nil {
		add("cert", t.Cert.Secret, t.Cert.ConfigMap)
	}
	if t.ClientCA != nil {
		add("client-ca", t.ClientCA.Secret, t.ClientCA.ConfigMap)
	}
	return out
}

// materialFile is the path of the TLS material of role mounted from a
// Secret or ConfigMap; empty when there is none.
func (w webConfig) materialFile(role string) string {
	for _, m := range w.tlsMaterial() {
		if m.role == role {
			return m.file
		}
	}
	return ""
}

// short is the file-name suffix of a role: Prometheus Operator's paths.
func short(role string) string {
	if role == "client-ca" {
		return "ca"
	}
	return role
}

type webConfigDocument struct {
	TLSServerConfig  *tlsServerConfig  `yaml:"tls_server_config,omitempty"`
	HTTPServerConfig *httpServerConfig `yaml:"http_server_config,omitempty"`
}

type tlsServerConfig struct {
	CertFile                 string   `yaml:"cert_file,omitempty"`
	KeyFile                  string   `yaml:"key_file,omitempty"`
	ClientAuthType           string   `yaml:"client_auth_type,omitempty"`
	ClientCAFile             string   `yaml:"client_ca_file,omitempty"`
	MinVersion               string   `yaml:"min_version,omitempty"`
	MaxVersion               string   `yaml:"max_version,omitempty"`
	CipherSuites             []string `yaml:"cipher_suites,omitempty"`
	PreferServerCipherSuites *bool    `yaml:"prefer_server_cipher_suites,omitempty"`
	CurvePreferences         []string `yaml:"curve_preferences,omitempty"`
}

type httpServerConfig struct {
	HTTP2   *bool             `yaml:"http2,omitempty"`
	Headers map[string]string `yaml:"headers,omitempty"`
}

// file is the web configuration file, in exporter-toolkit's format;
// empty when nothing is configured.
func (w webConfig) file() []byte {
	var doc webConfigDocument
	if t := w.tls; t != nil {
		c := &tlsServerConfig{
			ClientAuthType:           string(deref(t.ClientAuthType, "")),
			MinVersion:               string(deref(t.MinVersion, "")),
			MaxVersion:               string(deref(t.MaxVersion, "")),
			CipherSuites:             t.CipherSuites,
			PreferServerCipherSuites: t.PreferServerCipherSuites,
			CurvePreferences:         t.CurvePreferences,
		}
		c.KeyFile = orDefault(deref(t.KeyFile, ""), w.materialFile("key"))
		c.CertFile = orDefault(deref(t.CertFile, ""), w.materialFile("cert"))
		c.ClientCAFile = orDefault(deref(t.ClientCAFile, ""), w.materialFile("client-ca"))
		doc.TLSServerConfig = c
	}
	if h := w.http; h != nil {
		c := &httpServerConfig{HTTP2: h.HTTP2}
		if hd := h.Headers; hd != nil {
			c.Headers = merged(map[string]string{
				"Content-Security-Policy":   hd.ContentSecurityPolicy,
				"Strict-Transport-Security": hd.StrictTransportSecurity,
				"X-Content-Type-Options":    strings.ToLower(hd.XContentTypeOptions),
				"X-Frame-Options":           strings.ToLower(hd.XFrameOptions),
				"X-XSS-Protection":          hd.XXSSProtection,
			})
			for k, v := range c.Headers {
				if v == "" {
					delete(c.Headers, k)
				}
			}
		}
		doc.HTTPServerConfig = c
	}
	if doc.TLSServerConfig == nil && doc.HTTPServerConfig == nil {
		return []byte{}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		panic(err) // strings, lists and booleans always encode
	}
	_ = enc.Close()
	return buf.Bytes()
}

// webConfigSecret holds w's file, named and labelled as Prometheus
// Operator's.
func webConfigSecret(w webConfig, namespace string, owner metav1.OwnerReference, opts Options) *corev1.Secret {
	return &corev1.Secret{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{
			Name:            w.secretName,
			Namespace:       namespace,
			Labels:          merged(poManagedBy(), opts.Labels),
			Annotations:     merged(opts.Annotations),
			OwnerReferences: []metav1.OwnerReference{owner},
		},
		Data: map[string][]byte{webConfigFile: w.file()},
		Type: corev1.SecretTypeOpaque,
	}
}
