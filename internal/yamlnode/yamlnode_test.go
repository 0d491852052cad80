package yamlnode

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"
)

// TestResolve: the resolved tree means what the original means, as
// yaml.v3's own decoder (which implements merge keys) reads both, has no
// anchor, alias or merge key left, and keeps every scalar's text.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string // the resolved document, as written
	}{
		{"no anchors", "a: 1\nb: [x, y]\n", "a: 1\nb: [x, y]\n"},
		{"alias", "a: &x {k: 1}\nb: *x\n", "a: {k: 1}\nb: {k: 1}\n"},
		{"merge, own keys win", "d: &d {interval: 30s, matchers: [team = a]}\nr:\n  <<: *d\n  matchers: [team = b]\n",
			"d: {interval: 30s, matchers: [team = a]}\nr:\n  matchers: [team = b]\n  interval: 30s\n"},
		{"merge list, first source wins", "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n",
			"a: {x: 1, y: 1}\nb: {y: 2, z: 2}\nc:\n  x: 1\n  y: 1\n  z: 2\n"},
		{"deep in a list", "routes:\n  - &r {receiver: pager}\n  - <<: *r\n    continue: true\n",
			"routes:\n  - {receiver: pager}\n  - continue: true\n    receiver: pager\n"},
		{"scalars keep their text", "d: &d {api_key: 00123, message: 1.10}\nr: {<<: *d}\n",
			"d: {api_key: 00123, message: 1.10}\nr: {api_key: 00123, message: 1.10}\n"},
		{"a quoted << is a key", "a: {\"<<\": 1}\n", "a: {\"<<\": 1}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var doc yaml.Node
			g.Expect(yaml.Unmarshal([]byte(tc.in), &doc)).To(Succeed())
			out, err := yaml.Marshal(Resolve(&doc))
			g.Expect(err).NotTo(HaveOccurred())

			var want, got any
			g.Expect(yaml.Unmarshal([]byte(tc.in), &want)).To(Succeed())
			g.Expect(yaml.Unmarshal(out, &got)).To(Succeed())
			g.Expect(got).To(Equal(want), "yaml.v3 reads both alike:\n%s", out)
			g.Expect(string(out)).NotTo(Or(ContainSubstring("&"), ContainSubstring("*"), ContainSubstring("!!merge")))
			if !strings.Contains(tc.in, `"<<"`) {
				g.Expect(string(out)).NotTo(ContainSubstring("<<"))
			}

			var wantDoc yaml.Node
			g.Expect(yaml.Unmarshal([]byte(tc.want), &wantDoc)).To(Succeed())
			wantOut, err := yaml.Marshal(&wantDoc)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(out)).To(Equal(string(wantOut)))
		})
	}
}
