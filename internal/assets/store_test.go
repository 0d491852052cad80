package assets

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// TestResolver: the one rule set every generator resolves references with.
func TestResolver(t *testing.T) {
	yes := true
	s := NewStore(
		[]corev1.Secret{
			{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "creds"}, Data: map[string][]byte{"password": []byte("p")}, StringData: map[string]string{"user": "u"}},
		},
		[]corev1.ConfigMap{
			{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "ca"}, Data: map[string]string{"ca.crt": "PEM"}},
		},
	)
	secret := func(name, key string, opt *bool) *corev1.SecretKeySelector {
		return &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key, Optional: opt}
	}
	cm := func(name, key string, opt *bool) *corev1.ConfigMapKeySelector {
		return &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key, Optional: opt}
	}
	in := func(ns string) *Resolver { return NewResolver(s, ns, Owner{Kind: "Prometheus", Namespace: "a"}) }
	for _, tc := range []struct {
		name       string
		get        func() (string, error)
		want       string
		wantErr    string
		wantReason rejection.Reason
	}{
		{"secret data", func() (string, error) { return in("a").Secret(secret("creds", "password", nil)) }, "p", "", ""},
		{"secret stringData", func() (string, error) { return in("a").Secret(secret("creds", "user", nil)) }, "u", "", ""},
		{"not set", func() (string, error) { return in("a").Secret(nil) }, "", "", ""},
		{"no name", func() (string, error) { return in("a").Secret(secret("", "password", nil)) }, "", "needs name and key", rejection.InvalidSpec},
		{"never another namespace", func() (string, error) { return in("b").Secret(secret("creds", "password", nil)) },
			"", `secret "creds" in namespace "b": not found`, rejection.ReferenceNotFound},
		{"missing key", func() (string, error) { return in("a").Secret(secret("creds", "token", nil)) },
			"", `key "token" of secret "creds" in namespace "a": not found`, rejection.ReferenceNotFound},
		{"optional missing secret", func() (string, error) { return in("a").Secret(secret("nope", "x", &yes)) }, "", "", ""},
		{"optional missing key", func() (string, error) { return in("a").Secret(secret("creds", "x", &yes)) }, "", "", ""},
		{"configmap", func() (string, error) { return in("a").ConfigMap(cm("ca", "ca.crt", nil)) }, "PEM", "", ""},
		{"configmap missing", func() (string, error) { return in("a").ConfigMap(cm("nope", "ca.crt", nil)) },
			"", `configmap "nope" in namespace "a": not found`, rejection.ReferenceNotFound},
		{"optional configmap missing", func() (string, error) { return in("a").ConfigMap(cm("nope", "ca.crt", &yes)) }, "", "", ""},
		{"secret or configmap, both", func() (string, error) {
			return in("a").SecretOrConfigMap(monitoringv1.SecretOrConfigMap{Secret: secret("creds", "user", nil), ConfigMap: cm("ca", "ca.crt", nil)})
		}, "", "mutually exclusive", rejection.InvalidSpec},
		{"secret or configmap, configmap", func() (string, error) {
			return in("a").SecretOrConfigMap(monitoringv1.SecretOrConfigMap{ConfigMap: cm("ca", "ca.crt", nil)})
		}, "PEM", "", ""},
		{"no source", func() (string, error) { return NewResolver(nil, "a", Owner{}).Secret(secret("creds", "password", nil)) },
			"", "not found", rejection.ReferenceNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			v, err := tc.get()
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				g.Expect(rejection.ReasonOf(err)).To(Equal(tc.wantReason))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(v).To(Equal(tc.want))
		})
	}
}

func TestResolverRedacts(t *testing.T) {
	g := NewWithT(t)
	s := NewStore([]corev1.Secret{{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "s"},
		Data: map[string][]byte{"short": []byte("toke"), "long": []byte("toke\"n"), "tiny": []byte("u")}}}, nil)
	r := NewResolver(s, "a", Owner{})
	for _, k := range []string{"short", "long", "tiny"} {
		_, err := r.Secret(&corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: k})
		g.Expect(err).NotTo(HaveOccurred())
	}
	g.Expect(r.Redact(`bad value "toke\"n" and toke, user`)).To(Equal(`bad value "<secret>" and <secret>, user`),
		"longest first, quoted too, and a one-letter value is left: it would blank the message and guard nothing")
}

func TestFileReferencePolicy(t *testing.T) {
	for _, tc := range []struct {
		policy    FileReferencePolicy
		namespace string
		refused   string
	}{
		{"", "b", ""},
		{FileReferencesAll, "b", ""},
		{FileReferencesOwnerNamespace, "a", ""},
		{FileReferencesOwnerNamespace, "b", `--file-references=prometheus-namespace) honours them only in the Alertmanager object's namespace "a"`},
		{FileReferencesNone, "a", "--file-references=none"},
	} {
		t.Run(string(tc.policy)+" "+tc.namespace, func(t *testing.T) {
			g := NewWithT(t)
			err := NewResolver(nil, tc.namespace, Owner{Kind: "Alertmanager", Namespace: "a", Files: tc.policy}).Files()
			if tc.refused == "" {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(err).To(MatchError(ErrFileReference))
			g.Expect(err).To(MatchError(ContainSubstring(tc.refused)))
			g.Expect(rejection.ReasonOf(err)).To(Equal(rejection.FileReferenceDenied))
		})
	}
	g := NewWithT(t)
	var p FileReferencePolicy
	g.Expect(p.Set("sometimes")).To(MatchError(ContainSubstring("unknown file reference policy")))
	g.Expect(FileReferencePolicy("sometimes").Valid()).To(HaveOccurred())
}
