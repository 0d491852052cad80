package crdfields

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Allowlist holds the differences Vigil keeps on purpose: extra paths and type
// mismatches. Each entry is a pattern over "Kind/version path" (or
// "Kind/version" for a version Prometheus Operator lacks) where "*" matches
// any run of characters, with the reason the difference is kept.
type Allowlist []Allowed

// Allowed is one allowlist entry.
type Allowed struct {
	Pattern string
	Reason  string
	re      *regexp.Regexp
}

// ParseAllowlist reads lines of "pattern  # reason". Blank lines and lines
// starting with "#" are comments. A reason is required.
func ParseAllowlist(r io.Reader) (Allowlist, error) {
	var allow Allowlist
	seen := map[string]bool{}
	scanner := bufio.NewScanner(r)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pattern, reason, _ := strings.Cut(line, "#")
		pattern, reason = strings.Join(strings.Fields(pattern), " "), strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("line %d: %q has no reason; write it after a #", n, pattern)
		}
		if seen[pattern] {
			return nil, fmt.Errorf("line %d: %q is listed twice", n, pattern)
		}
		seen[pattern] = true
		allow = append(allow, Allowed{Pattern: pattern, Reason: reason, re: globRegexp(pattern)})
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("reading the allowlist: %w", err)
	}
	return allow, nil
}

// globRegexp matches the whole key, "*" standing for any run of characters;
// everything else, "[]" included, is literal.
func globRegexp(pattern string) *regexp.Regexp {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// reason returns the reason of the first entry matching key.
func (a Allowlist) reason(key string) (string, bool) {
	for _, entry := range a {
		if entry.re.MatchString(key) {
			return entry.Reason, true
		}
	}
	return "", false
}

// note is the report's suffix for key: its reason when allowed.
func (a Allowlist) note(key string) string {
	if reason, ok := a.reason(key); ok {
		return "  # allowed: " + reason
	}
	return ""
}

// Check returns the extra paths and type mismatches of diffs that no entry
// allows, and the patterns that allow nothing, so that fixed differences
// leave the list. Extra paths are checked as subtrees: an entry allowing the
// top of a subtree allows the paths below it.
func (a Allowlist) Check(diffs []Diff) (problems, stale []string) {
	used := make([]bool, len(a))
	check := func(key, problem string) {
		allowed := false
		for i, entry := range a {
			if entry.re.MatchString(key) {
				used[i], allowed = true, true
			}
		}
		if !allowed {
			problems = append(problems, problem)
		}
	}
	for _, d := range diffs {
		if !d.InPO {
			check(d.Version.String(), fmt.Sprintf("%s: Prometheus Operator has no such version", d.Version))
			continue
		}
		for _, t := range Subtrees(d.Extra) {
			key := d.Version.String() + " " + t.Path
			problem := key + ": Vigil has it, Prometheus Operator does not"
			if t.Below > 0 {
				problem = fmt.Sprintf("%s: Vigil has it and %d paths below, Prometheus Operator does not", key, t.Below)
			}
			check(key, problem)
		}
		for _, m := range d.Mismatches {
			key := d.Version.String() + " " + m.Path
			check(key, fmt.Sprintf("%s: %s in Prometheus Operator, %s in Vigil", key, m.PO, m.Vigil))
		}
	}
	for i, entry := range a {
		if !used[i] {
			stale = append(stale, entry.Pattern)
		}
	}
	return problems, stale
}
