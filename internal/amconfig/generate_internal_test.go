package amconfig

import (
	"errors"
	"testing"

	. "github.com/onsi/gomega"
)

// TestAssembleLoadableConflict covers fragments that each load with the base
// but not together, which AlertmanagerConfigs cannot produce today (their
// names are prefixed with namespace and name): the first one in order is
// kept and the later one rejected with the loader's message.
func TestAssembleLoadableConflict(t *testing.T) {
	g := NewWithT(t)
	frag := func(ns, name, receiverName string) *fragment {
		return &fragment{
			namespace: ns, name: name,
			route:     &route{Receiver: receiverName, Continue: true},
			receivers: []*receiver{{Name: receiverName}},
		}
	}
	frags := []*fragment{frag("a", "one", "same"), frag("a", "two", "same"), frag("b", "three", "other")}
	var res Result
	out, err := assembleLoadable([]byte(DefaultConfig), frags, &res)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Rejected).To(HaveLen(1))
	g.Expect(res.Rejected[0].Name).To(Equal("two"))
	g.Expect(res.Rejected[0].Message()).To(ContainSubstring(`notification config name "same" is not unique`))
	g.Expect(string(out)).To(ContainSubstring("receiver: other"))
}

// TestLoaderReasonRedactsSecrets checks that Secret values never reach a
// rejection reason through the loader's message.
func TestLoaderReasonRedactsSecrets(t *testing.T) {
	g := NewWithT(t)
	f := &fragment{secrets: []string{"s3cr3t", "https://user:s3cr3t@hooks.example.com", "", "a\"b\n"}}
	reason := loaderReason(errors.New(`parse "https://user:s3cr3t@hooks.example.com": bad; token s3cr3t; value "a\"b\n"`), f)
	g.Expect(reason).To(MatchError(Not(ContainSubstring("s3cr3t"))))
	g.Expect(reason).To(MatchError(ContainSubstring(`parse "<secret>": bad; token <secret>; value "<secret>"`)))
}
