package amconfig_test

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden generates each testdata/golden/<case>/input.yaml and compares
// the result with alertmanager.yaml beside it; every golden file is loaded
// by Alertmanager's own loader.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			g := NewWithT(t)
			in := readInput(t, filepath.Join(dir, "input.yaml"))
			res, err := in.generate()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(res.Rejected).To(BeEmpty())
			mustLoad(t, res.Config)

			golden := filepath.Join(dir, "alertmanager.yaml")
			if *update {
				g.Expect(os.WriteFile(golden, res.Config, 0o644)).To(Succeed())
			}
			want, err := os.ReadFile(golden)
			g.Expect(err).NotTo(HaveOccurred(), "run go test -update to create it")
			mustLoad(t, want)
			g.Expect(string(res.Config)).To(Equal(string(want)), "run go test -update after checking the difference")
		})
	}
}

// TestDeterministic shuffles the AlertmanagerConfigs: the output must not
// depend on the order the caller lists them in.
func TestDeterministic(t *testing.T) {
	g := NewWithT(t)
	in := readInput(t, filepath.Join("testdata", "golden", "strategy-on-namespace", "input.yaml"))
	first, err := in.generate()
	g.Expect(err).NotTo(HaveOccurred())
	r := rand.New(rand.NewPCG(1, 2))
	for range 10 {
		r.Shuffle(len(in.configs), func(i, j int) { in.configs[i], in.configs[j] = in.configs[j], in.configs[i] })
		again, err := in.generate()
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(string(again.Config)).To(Equal(string(first.Config)))
	}
}
