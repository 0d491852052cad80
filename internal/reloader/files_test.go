package reloader

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

func TestSubstitute(t *testing.T) {
	env := map[string]string{"SHARD": "2", "POD_NAME": "prometheus-main-0", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tc := range []struct{ in, want, err string }{
		{"modulus: 3\nregex: $(SHARD)\n", "modulus: 3\nregex: 2\n", ""},
		{"replica: $(POD_NAME)-$(SHARD)", "replica: prometheus-main-0-2", ""},
		{"empty: '$(EMPTY)'", "empty: ''", ""},
		{"not a reference: $SHARD ${SHARD} $(1X) $()", "not a reference: $SHARD ${SHARD} $(1X) $()", ""},
		{"$(NOPE) $(SHARD) $(ALSO_NOPE) $(NOPE)", "", "not set: ALSO_NOPE, NOPE"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			g := NewWithT(t)
			out, err := substitute([]byte(tc.in), lookup)
			if tc.err != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.err)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(out)).To(Equal(tc.want))
		})
	}
}

func TestGunzip(t *testing.T) {
	g := NewWithT(t)
	out, err := gunzip("prometheus.yaml.gz", gz("global: {}\n"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(out)).To(Equal("global: {}\n"))
	out, err = gunzip("alertmanager.yaml", []byte("route: {}\n"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(out)).To(Equal("route: {}\n"), "only .gz is decompressed")
	_, err = gunzip("prometheus.yaml.gz", []byte("plain"))
	g.Expect(err).To(MatchError(ContainSubstring("prometheus.yaml.gz")))
}

// TestSyncDir: the folder ends up holding exactly the files given; only
// changes count as changes; emptied ConfigMap folders go.
func TestSyncDir(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	changed, err := syncDir(dir, map[string][]byte{"cm-0/a.yaml": []byte("a"), "cm-1/b.yaml": []byte("b")})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(changed).To(BeTrue())
	changed, err = syncDir(dir, map[string][]byte{"cm-0/a.yaml": []byte("a"), "cm-1/b.yaml": []byte("b")})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(changed).To(BeFalse(), "nothing to write")
	changed, err = syncDir(dir, map[string][]byte{"cm-0/a.yaml": []byte("a2")})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(changed).To(BeTrue())
	g.Expect(os.ReadFile(filepath.Join(dir, "cm-0/a.yaml"))).To(Equal([]byte("a2")))
	g.Expect(filepath.Join(dir, "cm-1")).NotTo(BeADirectory(), "the emptied ConfigMap's folder is removed")
	entries, err := os.ReadDir(filepath.Join(dir, "cm-0"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(entries).To(HaveLen(1), "no temporary file left behind")
}
