package main

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

// TestInitFromFile: the init container's command line, with a mounted
// configuration, writes it with the pod's variables and exits.
func TestInitFromFile(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "prometheus.yaml"), filepath.Join(dir, "config_out", "prometheus.env.yaml")
	g.Expect(os.WriteFile(in, []byte("shard: $(SHARD)\n"), 0o644)).To(Succeed())
	t.Setenv("SHARD", "3")
	g.Expect(run([]string{"--init", "--config-file=" + in, "--config-envsubst-file=" + out})).To(Succeed())
	g.Expect(os.ReadFile(out)).To(Equal([]byte("shard: 3\n")))
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--log-level=loud"}, "--log-level"},
		{[]string{"--config-file=a", "--init"}, "needs an output file"},
		{[]string{"--rules-configmap-selector=a in (", "--namespace=x", "--kubeconfig=/nonexistent"}, "/nonexistent"},
		{[]string{"--no-such-flag"}, "no-such-flag"},
	} {
		t.Run(tc.err, func(t *testing.T) {
			NewWithT(t).Expect(run(tc.args)).To(MatchError(ContainSubstring(tc.err)))
		})
	}
}
