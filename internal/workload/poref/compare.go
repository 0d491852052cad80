package poref

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// A field path of an object, with list elements named by their key: a
// container, volume, env var or port by its name, a volume mount by its
// mount path, an argument by itself (arguments are compared as a set:
// their order carries no meaning). Other list elements go by index.
//
//	spec.template.spec.containers[prometheus].args[--web.route-prefix=/]
//	spec.template.spec.volumes[config-out].emptyDir.medium
type fieldPath = string

// flatten maps every leaf of a JSON value to its field path.
func flatten(v any) map[fieldPath]any {
	out := map[fieldPath]any{}
	flattenInto(out, "", "", v)
	return out
}

func flattenInto(out map[fieldPath]any, path, field string, v any) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out[path] = "{}"
		}
		for k, e := range x {
			flattenInto(out, join(path, k), k, e)
		}
	case []any:
		if len(x) == 0 {
			out[path] = "[]"
		}
		for i, e := range x {
			flattenInto(out, fmt.Sprintf("%s[%s]", path, elementKey(field, i, e)), "", elementValue(field, e))
		}
	default:
		out[path] = x
	}
}

func elementKey(field string, i int, e any) string {
	if s, ok := e.(string); ok && field == "args" {
		return s
	}
	if m, ok := e.(map[string]any); ok {
		if field == "volumeMounts" {
			if p, ok := m["mountPath"].(string); ok {
				return p
			}
		}
		if n, ok := m["name"].(string); ok {
			return n
		}
	}
	return fmt.Sprint(i)
}

// elementValue: an argument's value is its presence.
func elementValue(field string, e any) any {
	if _, ok := e.(string); ok && field == "args" {
		return true
	}
	return e
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// side of a difference.
type side string

const (
	onlyPO    side = "only Prometheus Operator sets"
	onlyVigil side = "only Vigil sets"
	differs   side = "both set, to different values"
)

// difference is a field path where Vigil's object and Prometheus
// Operator's differ.
type difference struct {
	side      side
	path      fieldPath
	po, vigil any
}

func (d difference) String() string {
	switch d.side {
	case onlyPO:
		return fmt.Sprintf("%s: %s (%v)", d.path, d.side, d.po)
	case onlyVigil:
		return fmt.Sprintf("%s: %s (%v)", d.path, d.side, d.vigil)
	}
	return fmt.Sprintf("%s: Prometheus Operator %v, Vigil %v", d.path, d.po, d.vigil)
}

// differences lists every field path where the two objects differ, sorted.
func differences(po, vigil any) []difference {
	p, v := flatten(testenv.Normalize(po)), flatten(testenv.Normalize(vigil))
	var out []difference
	for _, path := range slices.Sorted(maps.Keys(p)) {
		vv, ok := v[path]
		switch {
		case !ok:
			out = append(out, difference{side: onlyPO, path: path, po: p[path]})
		case fmt.Sprint(vv) != fmt.Sprint(p[path]):
			out = append(out, difference{side: differs, path: path, po: p[path], vigil: vv})
		}
	}
	for _, path := range slices.Sorted(maps.Keys(v)) {
		if _, ok := p[path]; !ok {
			out = append(out, difference{side: onlyVigil, path: path, vigil: v[path]})
		}
	}
	return out
}

// allowed is a difference kept on purpose: the fields paths matches, on
// one side, and why.
type allowed struct {
	side   side
	paths  string // a regular expression matching the whole path
	reason string
}

// unexplained returns the differences no allowance covers, and the
// allowances that covered nothing (a stale entry hides nothing, but says
// something that is no longer true).
func unexplained(diffs []difference, allowances []allowed) (left []difference, unused []allowed) {
	used := make([]bool, len(allowances))
	res := make([]*regexp.Regexp, len(allowances))
	for i, a := range allowances {
		res[i] = regexp.MustCompile("^(?:" + a.paths + ")$")
	}
	for _, d := range diffs {
		found := false
		for i, a := range allowances {
			if a.side == d.side && res[i].MatchString(d.path) {
				used[i], found = true, true
			}
		}
		if !found {
			left = append(left, d)
		}
	}
	for i, u := range used {
		if !u {
			unused = append(unused, allowances[i])
		}
	}
	return left, unused
}

// quote escapes a literal for a path pattern.
func quote(s string) string { return regexp.QuoteMeta(s) }

func lines[T fmt.Stringer](xs []T) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString("\n  " + x.String())
	}
	return b.String()
}
