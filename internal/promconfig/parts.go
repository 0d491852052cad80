package promconfig

import (
	"crypto/sha256"
)

// part is one object's jobs, built, encoded and loaded with the base.
type part struct {
	job
	fragment
	// key is the cache's key for the fragment, set when hashed.
	key    [sha256.Size]byte
	hashed bool
	// encodeErr is a failure to encode, which fails Generate.
	encodeErr error
}

// buildParts builds, encodes and loads every task's jobs; assemble then
// decides in task order.
func buildParts(tasks []task, frags *fragments) []part {
	parts := make([]part, len(tasks))
	var e emitter
	for i, t := range tasks {
		parts[i] = buildPart(t, frags, &e)
	}
	return parts
}

func buildPart(t task, frags *fragments, e *emitter) part {
	p := part{job: t.run()}
	if p.err != nil {
		return p
	}
	out, err := e.encodeJobs(p.configs)
	if err != nil {
		p.encodeErr = err
		return p
	}
	p.fragment, p.key, p.hashed = frags.fragment(out)
	return p
}
