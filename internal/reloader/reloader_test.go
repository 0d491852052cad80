package reloader_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"

	"github.com/vigil-monitoring/vigil/internal/reloader"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var kube kubernetes.Interface

// TestMain starts a real API server: the reloader watches the Secret and
// ConfigMaps through it, as the sidecar does with its service account.
func TestMain(m *testing.M) {
	os.Exit(testenv.Run(m, func(env *testenv.Env) (err error) {
		kube, err = kubernetes.NewForConfig(env.Config)
		return err
	}))
}

// endpoint is Prometheus's /-/reload: it counts calls and fails the first
// fail of them.
type endpoint struct {
	calls, fail atomic.Int32
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/-/reload" {
		http.Error(w, "POST /-/reload only", http.StatusMethodNotAllowed)
		return
	}
	if n := e.calls.Add(1); n <= e.fail.Load() {
		http.Error(w, "failed to reload config: not yet", http.StatusInternalServerError)
	}
}

func namespace(t *testing.T) string {
	t.Helper()
	ns, err := kube.CoreV1().Namespaces().Create(context.Background(),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "reloader-"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

// start runs the reloader until the test ends.
func start(t *testing.T, o reloader.Options) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- reloader.Run(ctx, o) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

func fileContent(path string) func() string {
	return func() string {
		b, _ := os.ReadFile(path)
		return string(b)
	}
}

// TestFromTheAPI: the configuration Secret and the rule ConfigMaps are
// followed through the API; each change is written into place (gunzipped,
// $(SHARD) replaced) and Prometheus is told, once per change.
func TestFromTheAPI(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := namespace(t)
	out := t.TempDir()
	ep := &endpoint{}
	srv := httptest.NewServer(ep)
	defer srv.Close()
	reg := prometheus.NewRegistry()
	m := reloader.NewMetrics(reg)

	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "prometheus-main", Namespace: ns},
		Data: map[string][]byte{"prometheus.yaml.gz": reloader.Gzip("shard: $(SHARD)\nversion: 1\n")}}
	_, err := kube.CoreV1().Secrets(ns).Create(ctx, secret, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	rulesLabel := map[string]string{"prometheus-name": "main"}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "prometheus-main-rulefiles-0", Namespace: ns, Labels: rulesLabel},
		Data: map[string]string{"apps-a.yaml": "groups: []\n"}}
	_, err = kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	unrelated := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: ns}, Data: map[string]string{"x": "y"}}
	_, err = kube.CoreV1().ConfigMaps(ns).Create(ctx, unrelated, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())

	config := filepath.Join(out, "prometheus.env.yaml")
	rules := filepath.Join(out, "rules")
	start(t, reloader.Options{
		ConfigSecret:   &reloader.SecretKey{Namespace: ns, Name: "prometheus-main", Key: "prometheus.yaml.gz"},
		ConfigOutput:   config,
		RuleConfigMaps: &reloader.ConfigMaps{Namespace: ns, Selector: labels.SelectorFromSet(rulesLabel)},
		RulesDir:       rules,
		Client:         kube,
		ReloadURL:      srv.URL + "/-/reload",
		RetryInterval:  10 * time.Millisecond,
		WatchInterval:  time.Hour, // the API sources need no polling
		Lookup:         func(k string) (string, bool) { return map[string]string{"SHARD": "1"}[k], k == "SHARD" },
		Metrics:        m,
	})
	g.Eventually(fileContent(config)).Should(Equal("shard: 1\nversion: 1\n"))
	g.Eventually(fileContent(filepath.Join(rules, "prometheus-main-rulefiles-0", "apps-a.yaml"))).Should(Equal("groups: []\n"))
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(1))
	g.Expect(filepath.Join(rules, "other")).NotTo(BeAnExistingFile(), "only the selected ConfigMaps")

	secret.Data["prometheus.yaml.gz"] = reloader.Gzip("shard: $(SHARD)\nversion: 2\n")
	_, err = kube.CoreV1().Secrets(ns).Update(ctx, secret, metav1.UpdateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Eventually(fileContent(config)).Should(Equal("shard: 1\nversion: 2\n"))
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(2))

	cm2 := cm.DeepCopy()
	cm2.Name, cm2.Data = "prometheus-main-rulefiles-1", map[string]string{"apps-b.yaml": "groups: []\n"}
	_, err = kube.CoreV1().ConfigMaps(ns).Create(ctx, cm2, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Eventually(fileContent(filepath.Join(rules, "prometheus-main-rulefiles-1", "apps-b.yaml"))).Should(Equal("groups: []\n"))
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(3))
	g.Expect(kube.CoreV1().ConfigMaps(ns).Delete(ctx, cm.Name, metav1.DeleteOptions{})).To(Succeed())
	g.Eventually(func() bool {
		_, err := os.Stat(filepath.Join(rules, "prometheus-main-rulefiles-0"))
		return os.IsNotExist(err)
	}).Should(BeTrue())
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(4))

	// A change of what is not watched changes nothing.
	unrelated.Data["x"] = "z"
	_, err = kube.CoreV1().ConfigMaps(ns).Update(ctx, unrelated, metav1.UpdateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Consistently(ep.calls.Load, "300ms").Should(BeEquivalentTo(4))
	g.Expect(value(t, reg, "reloader_reloads_total")).To(Equal(4.0))
	g.Expect(value(t, reg, "reloader_last_reload_successful")).To(Equal(1.0))
}

// TestRetries: a reload Prometheus fails is retried until it succeeds; the
// metrics kube-prometheus's alert reads say so meanwhile.
func TestRetries(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	input := filepath.Join(dir, "in.yaml")
	g.Expect(os.WriteFile(input, []byte("a: 1\n"), 0o644)).To(Succeed())
	ep := &endpoint{}
	ep.fail.Store(2)
	srv := httptest.NewServer(ep)
	defer srv.Close()
	reg := prometheus.NewRegistry()
	start(t, reloader.Options{
		ConfigFile: input, ConfigOutput: filepath.Join(dir, "out.yaml"),
		ReloadURL: srv.URL + "/-/reload", RetryInterval: 10 * time.Millisecond, WatchInterval: 20 * time.Millisecond,
		Metrics: reloader.NewMetrics(reg),
	})
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(3))
	g.Eventually(func() float64 { return value(t, reg, "reloader_last_reload_successful") }).Should(Equal(1.0))
	g.Expect(value(t, reg, "reloader_reloads_failures_total")).To(Equal(2.0))

	// A mounted file is read again every WatchInterval.
	g.Expect(os.WriteFile(input, []byte("a: 2\n"), 0o644)).To(Succeed())
	g.Eventually(fileContent(filepath.Join(dir, "out.yaml"))).Should(Equal("a: 2\n"))
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(4))
	g.Consistently(ep.calls.Load, "200ms").Should(BeEquivalentTo(4), "no reload without a change")
}

// TestUnsetVariable: a configuration that refers to a variable the pod
// does not set is not written; Prometheus keeps the last good one.
func TestUnsetVariable(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	input, output := filepath.Join(dir, "in.yaml"), filepath.Join(dir, "out.yaml")
	g.Expect(os.WriteFile(input, []byte("shard: $(SHARD)\n"), 0o644)).To(Succeed())
	g.Expect(os.WriteFile(output, []byte("last: good\n"), 0o644)).To(Succeed())
	ep := &endpoint{}
	srv := httptest.NewServer(ep)
	defer srv.Close()
	reg := prometheus.NewRegistry()
	start(t, reloader.Options{
		ConfigFile: input, ConfigOutput: output, ReloadURL: srv.URL + "/-/reload",
		WatchInterval: 20 * time.Millisecond, Lookup: func(string) (string, bool) { return "", false },
		Metrics: reloader.NewMetrics(reg),
	})
	g.Eventually(func() float64 { return value(t, reg, "reloader_config_apply_operations_failed_total") }).Should(BeNumerically(">=", 1))
	g.Expect(fileContent(output)()).To(Equal("last: good\n"))
	g.Expect(ep.calls.Load()).To(BeZero())
}

// TestOnce: the init container's mode writes everything and returns
// without calling Prometheus, which is not running yet.
func TestOnce(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := namespace(t)
	_, err := kube.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "alertmanager-main-generated", Namespace: ns},
		Data: map[string][]byte{"alertmanager.yaml.gz": reloader.Gzip("route: {receiver: x}\n")}}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	out := filepath.Join(t.TempDir(), "alertmanager.env.yaml")
	runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	g.Expect(reloader.Run(runCtx, reloader.Options{
		ConfigSecret: &reloader.SecretKey{Namespace: ns, Name: "alertmanager-main-generated", Key: "alertmanager.yaml.gz"},
		ConfigOutput: out, Client: kube, ReloadURL: "http://127.0.0.1:1/-/reload", Once: true,
	})).To(Succeed())
	g.Expect(fileContent(out)()).To(Equal("route: {receiver: x}\n"))
}

// value is the value of the metric name in reg (one series), 0 when it
// has none yet.
func value(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			m := mf.GetMetric()[0]
			return m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return 0
}

// TestReloadOverLoopbackTLS: Prometheus with web TLS is reloaded over
// HTTPS on 127.0.0.1, whose certificate names something else.
func TestReloadOverLoopbackTLS(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	input := filepath.Join(dir, "in.yaml")
	g.Expect(os.WriteFile(input, []byte("a: 1\n"), 0o644)).To(Succeed())
	ep := &endpoint{}
	srv := httptest.NewTLSServer(ep)
	defer srv.Close()
	start(t, reloader.Options{ConfigFile: input, ConfigOutput: filepath.Join(dir, "out.yaml"),
		ReloadURL: srv.URL + "/-/reload", RetryInterval: 10 * time.Millisecond, WatchInterval: time.Hour})
	g.Eventually(ep.calls.Load).Should(BeEquivalentTo(1))
}
