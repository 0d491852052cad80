package rules

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// sized is a rule file whose name and content together take size bytes of
// a ConfigMap.
type sized struct {
	name string
	size int
}

func files(entries ...sized) map[string]string {
	out := map[string]string{}
	for _, e := range entries {
		out[e.name] = strings.Repeat("#", e.size-len(e.name))
	}
	return out
}

func TestPack(t *testing.T) {
	const limit = MaxConfigMapDataSize
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  [][]string // file names per ConfigMap
	}{
		{"no files: one empty ConfigMap", nil, [][]string{nil}},
		{"one small file", files(sized{"a.yaml", 100}), [][]string{{"a.yaml"}}},
		{"one file of exactly the limit", files(sized{"a.yaml", limit}), [][]string{{"a.yaml"}}},
		{"two files filling exactly the limit", files(sized{"a.yaml", limit - 1000}, sized{"b.yaml", 1000}), [][]string{{"a.yaml", "b.yaml"}}},
		{"one byte over the limit", files(sized{"a.yaml", limit - 1000}, sized{"b.yaml", 1001}), [][]string{{"a.yaml"}, {"b.yaml"}}},
		{
			"files in name order, without going back to fill an earlier ConfigMap",
			files(sized{"c.yaml", 100}, sized{"a.yaml", 300 * 1024}, sized{"b.yaml", 300 * 1024}),
			[][]string{{"a.yaml"}, {"b.yaml", "c.yaml"}},
		},
		{
			"many ConfigMaps",
			files(sized{"a.yaml", limit}, sized{"b.yaml", limit}, sized{"c.yaml", limit}),
			[][]string{{"a.yaml"}, {"b.yaml"}, {"c.yaml"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			cms, err := Pack("k8s", tc.files)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(cms).To(HaveLen(len(tc.want)))
			total := 0
			for i, cm := range cms {
				g.Expect(cm.Name).To(Equal(ConfigMapName("k8s", i)))
				g.Expect(cm.Labels).To(Equal(map[string]string{"prometheus-name": "k8s", "app.kubernetes.io/managed-by": "vigil"}))
				g.Expect(cm.Namespace).To(BeEmpty(), "the caller sets the namespace")
				g.Expect(slices.Sorted(maps.Keys(cm.Data))).To(Equal(tc.want[i]))
				size := 0
				for k, v := range cm.Data {
					g.Expect(v).To(Equal(tc.files[k]))
					size += len(k) + len(v)
				}
				g.Expect(size).To(BeNumerically("<=", limit))
				total += len(cm.Data)
			}
			g.Expect(total).To(Equal(len(tc.files)))
		})
	}
}

func TestPackNames(t *testing.T) {
	g := NewWithT(t)
	g.Expect(ConfigMapName("k8s", 0)).To(Equal("prometheus-k8s-rulefiles-0"))
	g.Expect(ConfigMapName("k8s", 12)).To(Equal("prometheus-k8s-rulefiles-12"))
}

func TestPackRefusesAFileOverTheLimit(t *testing.T) {
	g := NewWithT(t)
	_, err := Pack("k8s", files(sized{"a.yaml", 10}, sized{"b.yaml", MaxConfigMapDataSize + 1}))
	g.Expect(errors.Is(err, ErrFileTooLarge)).To(BeTrue(), "got %v", err)
	g.Expect(err.Error()).To(ContainSubstring(`"b.yaml"`))
}
