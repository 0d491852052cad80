package logging

import (
	"bytes"
	"encoding/json"
	"testing"

	. "github.com/onsi/gomega"
)

func TestNew(t *testing.T) {
	g := NewWithT(t)
	var b bytes.Buffer
	l, err := New(&b, "warn", "json")
	g.Expect(err).NotTo(HaveOccurred())
	l.Info("dropped")
	l.Warn("kept", "k", "v")
	var line map[string]any
	g.Expect(json.Unmarshal(b.Bytes(), &line)).To(Succeed(), "one JSON line, the warning only")
	g.Expect(line).To(HaveKeyWithValue("msg", "kept"))

	b.Reset()
	l, err = New(&b, "debug", "logfmt")
	g.Expect(err).NotTo(HaveOccurred())
	l.Debug("shown", "k", "v")
	g.Expect(b.String()).To(ContainSubstring(`msg=shown k=v`))

	_, err = New(&b, "loud", "json")
	g.Expect(err).To(MatchError(ContainSubstring("--log-level")))
	_, err = New(&b, "info", "xml")
	g.Expect(err).To(MatchError(ContainSubstring("--log-format")))
}
