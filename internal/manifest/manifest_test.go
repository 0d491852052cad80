package manifest

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

func TestDocuments(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{name: "one", in: "a: 1\n", want: []string{`{"a":1}`}},
		{name: "several with empty ones", in: "---\na: 1\n---\n---\n# only a comment\n---\nb: [x]\n", want: []string{`{"a":1}`, `{"b":["x"]}`}},
		{name: "json", in: `{"a": "b"}`, want: []string{`{"a":"b"}`}},
		{name: "duplicate key", in: "a: 1\na: 2\n", wantErr: "already set"},
		{name: "empty", in: "", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			docs, err := Documents([]byte(tc.in))
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			var got []string
			for _, d := range docs {
				got = append(got, strings.TrimSpace(string(d)))
			}
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func TestDecodeStrict(t *testing.T) {
	type spec struct {
		EnableHTTP2 bool `json:"enableHTTP2"`
	}
	for _, tc := range []struct {
		name, in, wantErr string
	}{
		{name: "exact", in: `{"enableHTTP2": true}`},
		{name: "other case", in: `{"enableHttp2": true}`, wantErr: `unknown field "enableHttp2"`},
		{name: "unknown", in: `{"enableHTTP3": true}`, wantErr: `unknown field "enableHTTP3"`},
		{name: "wrong type", in: `{"enableHTTP2": "yes"}`, wantErr: "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var s spec
			err := DecodeStrict([]byte(tc.in), &s)
			if tc.wantErr == "" {
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(s.EnableHTTP2).To(BeTrue())
				return
			}
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
		})
	}
}
