package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// write is one write an operator made, as the API server's audit log has
// it.
type write struct {
	at       time.Time
	verb     string
	resource string // resource, or resource/subresource
}

// auditEvent is the part of an audit.k8s.io/v1 Event read here.
type auditEvent struct {
	Verb string `json:"verb"`
	User struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Subresource string `json:"subresource"`
	} `json:"objectRef"`
	ResponseStatus *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
	StageTimestamp time.Time `json:"stageTimestamp"`
}

// auditTail reads one user's writes as the API server appends them to
// its audit log, from where it was when the tail was made.
type auditTail struct {
	path   string
	user   string
	offset int64
	writes []write
}

func newAuditTail(path, user string) (*auditTail, error) {
	t := &auditTail{path: path, user: user}
	st, err := os.Stat(path)
	switch {
	case err == nil:
		t.offset = st.Size()
	case !os.IsNotExist(err):
		return nil, err
	}
	return t, nil
}

// poll reads the lines appended since the last poll and returns every
// write so far. Reviews (SelfSubjectAccessReview and the like) are
// requests, not writes: they store nothing.
func (t *auditTail) poll() ([]write, error) {
	f, err := os.Open(t.path)
	if os.IsNotExist(err) {
		return t.writes, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.NewSectionReader(f, t.offset, 1<<62))
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	// Only whole lines: the last one may be half written.
	n := bytes.LastIndexByte(data, '\n') + 1
	t.offset += int64(n)
	for _, line := range bytes.Split(data[:n], []byte{'\n'}) {
		var e auditEvent
		if len(line) == 0 || json.Unmarshal(line, &e) != nil {
			continue
		}
		if e.User.Username != t.user || e.ObjectRef == nil || strings.HasSuffix(e.ObjectRef.Resource, "reviews") ||
			e.ResponseStatus == nil || e.ResponseStatus.Code >= 400 {
			continue
		}
		r := e.ObjectRef.Resource
		if e.ObjectRef.Subresource != "" {
			r += "/" + e.ObjectRef.Subresource
		}
		t.writes = append(t.writes, write{at: e.StageTimestamp, verb: e.Verb, resource: r})
	}
	return t.writes, nil
}

// since are the writes at or after t.
func since(ws []write, t time.Time) []write {
	var out []write
	for _, w := range ws {
		if !w.at.Before(t) {
			out = append(out, w)
		}
	}
	return out
}

// byResource counts writes by resource and verb, for the breakdown.
func byResource(ws []write) map[string]int {
	out := map[string]int{}
	for _, w := range ws {
		out[w.resource+" "+w.verb]++
	}
	return out
}
