package crdfields

import (
	"cmp"
	"slices"
	"strings"
)

// Diff compares one CRD version of Prometheus Operator with Vigil's.
type Diff struct {
	Version Version
	// InPO and InVigil say which side serves the version at all.
	InPO, InVigil bool
	// POFields and VigilFields count the paths of each side.
	POFields, VigilFields int
	// Unserved are the paths Prometheus Operator has and Vigil lacks.
	Unserved []Field
	// Extra are the paths Vigil has and Prometheus Operator lacks.
	Extra []Field
	// Mismatches are the paths both have with different types.
	Mismatches []Mismatch
}

// Mismatch is a path whose type differs between the two sides.
type Mismatch struct {
	Path  string
	PO    string
	Vigil string
}

// Compare returns one Diff for every version either side serves, sorted by
// kind, then version.
func Compare(po, vigil Schemas) []Diff {
	versions := make([]Version, 0, len(po)+len(vigil))
	for v := range po {
		versions = append(versions, v)
	}
	for v := range vigil {
		if _, ok := po[v]; !ok {
			versions = append(versions, v)
		}
	}
	slices.SortFunc(versions, func(a, b Version) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name))
	})
	diffs := make([]Diff, 0, len(versions))
	for _, v := range versions {
		poFields, inPO := po[v]
		vigilFields, inVigil := vigil[v]
		d := compareFields(poFields, vigilFields)
		d.Version, d.InPO, d.InVigil = v, inPO, inVigil
		diffs = append(diffs, d)
	}
	return diffs
}

// compareFields compares two path-sorted field lists.
func compareFields(po, vigil []Field) Diff {
	d := Diff{POFields: len(po), VigilFields: len(vigil)}
	vigilTypes := make(map[string]string, len(vigil))
	for _, f := range vigil {
		vigilTypes[f.Path] = f.Type
	}
	poPaths := make(map[string]bool, len(po))
	for _, f := range po {
		poPaths[f.Path] = true
		vigilType, ok := vigilTypes[f.Path]
		switch {
		case !ok:
			d.Unserved = append(d.Unserved, f)
		case vigilType != f.Type:
			d.Mismatches = append(d.Mismatches, Mismatch{Path: f.Path, PO: f.Type, Vigil: vigilType})
		}
	}
	for _, f := range vigil {
		if !poPaths[f.Path] {
			d.Extra = append(d.Extra, f)
		}
	}
	return d
}

// Subtree is a missing path together with the count of missing paths below it.
type Subtree struct {
	Path  string
	Below int
}

// Subtrees folds sorted missing paths into the tops of missing subtrees: when
// a path is missing, everything below it is too, and one line says so.
func Subtrees(fields []Field) []Subtree {
	var trees []Subtree
	for _, f := range fields {
		if n := len(trees); n > 0 && isBelow(f.Path, trees[n-1].Path) {
			trees[n-1].Below++
			continue
		}
		trees = append(trees, Subtree{Path: f.Path})
	}
	return trees
}

// isBelow reports whether path is a descendant of top: it continues top with
// ".", "[]" or "{}".
func isBelow(path, top string) bool {
	rest, ok := strings.CutPrefix(path, top)
	if !ok {
		return false
	}
	return strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "[]") || strings.HasPrefix(rest, "{}")
}
