package assets

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestStore(t *testing.T) {
	yes := true
	s := NewStore(
		[]corev1.Secret{
			{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "creds"}, Data: map[string][]byte{"password": []byte("p")}, StringData: map[string]string{"user": "u"}},
		},
		[]corev1.ConfigMap{
			{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "ca"}, Data: map[string]string{"ca.crt": "PEM"}},
		},
	)
	secret := func(name, key string, opt *bool) corev1.SecretKeySelector {
		return corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key, Optional: opt}
	}
	cm := func(name, key string) corev1.ConfigMapKeySelector {
		return corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key}
	}
	for _, tc := range []struct {
		name    string
		get     func() (string, error)
		want    string
		wantErr string
	}{
		{"secret data", func() (string, error) { return s.SecretKey("a", secret("creds", "password", nil)) }, "p", ""},
		{"secret stringData", func() (string, error) { return s.SecretKey("a", secret("creds", "user", nil)) }, "u", ""},
		{"other namespace", func() (string, error) { return s.SecretKey("b", secret("creds", "password", nil)) }, "", `secret "creds" in namespace "b": not found`},
		{"missing key", func() (string, error) { return s.SecretKey("a", secret("creds", "token", nil)) }, "", `key "token" of secret "creds" in namespace "a": not found`},
		{"optional missing", func() (string, error) { return s.SecretKey("a", secret("nope", "x", &yes)) }, "", ""},
		{"configmap", func() (string, error) { return s.ConfigMapKey("a", cm("ca", "ca.crt")) }, "PEM", ""},
		{"configmap missing", func() (string, error) { return s.ConfigMapKey("a", cm("nope", "ca.crt")) }, "", `configmap "nope" in namespace "a": not found`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			v, err := tc.get()
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(v).To(Equal(tc.want))
		})
	}
}
