package node

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestExpand(t *testing.T) {
	vars := map[string]string{"IP": "10.213.1.2", "PORT": "9090", "EMPTY": ""}
	lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
	for _, tc := range []struct{ in, want string }{
		{"--listen=$(IP):$(PORT)", "--listen=10.213.1.2:9090"},
		{"$(MISSING)", "$(MISSING)"},
		{"$$(IP)", "$(IP)"},
		{"a$$b", "a$b"},
		{"$(EMPTY)x", "x"},
		{"$IP", "$IP"},
		{"tail$", "tail$"},
		{"$(unclosed", "$(unclosed"},
		{"no refs", "no refs"},
	} {
		if got := expand(tc.in, lookup); got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPodField(t *testing.T) {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", UID: "u", Labels: map[string]string{"app": "x"}},
		Spec:       corev1.PodSpec{NodeName: "n", ServiceAccountName: "sa"},
		Status:     corev1.PodStatus{PodIP: "10.213.1.9", HostIP: "10.213.0.1"},
	}
	for path, want := range map[string]string{
		"metadata.name": "p", "metadata.namespace": "ns", "metadata.uid": "u",
		"metadata.labels['app']": "x", "spec.nodeName": "n", "spec.serviceAccountName": "sa",
		"status.podIP": "10.213.1.9", "status.hostIP": "10.213.0.1", "metadata.labels": "app=\"x\"\n",
	} {
		got, err := podField(pod, path)
		if err != nil || got != want {
			t.Errorf("podField(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	if _, err := podField(pod, "spec.nope"); err == nil {
		t.Error("podField(spec.nope): no error")
	}
}

func TestImages(t *testing.T) {
	im := Images{
		"quay.io/prometheus/prometheus": {Path: "/bin/true", Version: "v3.16.0"},
		"localhost:5000/app":            {Path: "/bin/true"},
	}
	for _, tc := range []struct {
		ref, note string
		err       bool
	}{
		{ref: "quay.io/prometheus/prometheus:v3.16.0"},
		{ref: "quay.io/prometheus/prometheus:v3.9.0", note: "image quay.io/prometheus/prometheus:v3.9.0 runs /bin/true, built at v3.16.0"},
		{ref: "quay.io/prometheus/prometheus@sha256:abc"},
		{ref: "localhost:5000/app"},
		{ref: "localhost:5000/app:1"},
		{ref: "grafana/grafana:12.0.0", err: true},
	} {
		_, note, err := im.resolve(tc.ref)
		if (err != nil) != tc.err || note != tc.note {
			t.Errorf("resolve(%q) = note %q, err %v; want note %q, err %v", tc.ref, note, err, tc.note, tc.err)
		}
	}
}

func TestHostsFile(t *testing.T) {
	self := peer{"10.213.1.3", "monitoring", "alertmanager-main-0", "alertmanager-operated"}
	peers := []peer{
		self,
		{"10.213.1.4", "monitoring", "alertmanager-main-1", "alertmanager-operated"},
		{"10.213.1.5", "default", "web-0", "web"},
		{"10.213.1.6", "default", "plain", ""},
	}
	want := "# Kubernetes-managed hosts file (vigil-node).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
		"10.213.1.3\talertmanager-main-0.alertmanager-operated.monitoring.svc.cluster.local alertmanager-main-0.alertmanager-operated.monitoring.svc alertmanager-main-0.alertmanager-operated.monitoring alertmanager-main-0.alertmanager-operated alertmanager-main-0\n" +
		"10.213.1.4\talertmanager-main-1.alertmanager-operated.monitoring.svc.cluster.local alertmanager-main-1.alertmanager-operated.monitoring.svc alertmanager-main-1.alertmanager-operated.monitoring alertmanager-main-1.alertmanager-operated\n" +
		"10.213.1.5\tweb-0.web.default.svc.cluster.local web-0.web.default.svc web-0.web.default\n"
	if got := string(hostsFile(self, peers)); got != want {
		t.Errorf("hostsFile:\n%s\nwant:\n%s", got, want)
	}
}
