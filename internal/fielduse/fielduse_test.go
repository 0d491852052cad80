package fielduse

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const tableFile = "fields.yaml"

// The kinds of reader an entry may name besides a function.
const (
	// operatorIssue marks a field read by code the operator issue builds,
	// such as the StatefulSet of a Prometheus: "operator issue: <package>
	// (<what>)".
	operatorIssue = "operator issue: "
	// noEffect marks a field accepted so that Prometheus Operator's
	// manifests apply, which has no effect on the versions Vigil runs.
	noEffect = "no effect: "
	// notReadYet marks a field accepted and read by nothing yet: the list
	// of what remains, kept in sight.
	notReadYet = "not read yet: "
)

var operatorIssueForm = regexp.MustCompile(`^operator issue: [a-z0-9_/]+ \([^()]+\)$`)

// table is fields.yaml turned around: kind, then field path, then its
// reader.
type table map[string]map[string]string

// cover is the entry of a table that covers path: the longest entry equal
// to path or a prefix of it at a segment boundary.
func (t table) cover(kind, path string) (string, bool) {
	best := ""
	for entry := range t[kind] {
		if (entry == path || strings.HasPrefix(path, entry+".")) && len(entry) > len(best) {
			best = entry
		}
	}
	return best, best != ""
}

func loadTable(t *testing.T) table {
	t.Helper()
	data, err := os.ReadFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	// Kind, then reader, then the fields it reads. yaml.v3 refuses a key
	// written twice, so a reader cannot hide another.
	var byReader map[string]map[string][]string
	if err := yaml.Unmarshal(data, &byReader); err != nil {
		t.Fatalf("%s: %v", tableFile, err)
	}
	tab := table{}
	for kind, readers := range byReader {
		tab[kind] = map[string]string{}
		for reader, paths := range readers {
			for _, path := range paths {
				if other, dup := tab[kind][path]; dup {
					t.Errorf("%s: %s %s is listed under %s and %s", tableFile, kind, path, other, reader)
				}
				tab[kind][path] = reader
			}
		}
	}
	return tab
}

// TestEveryFieldHasAReader walks every spec field of every CRD and finds
// the entry of fields.yaml that says what reads it.
func TestEveryFieldHasAReader(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	crds, err := readCRDs(root)
	if err != nil {
		t.Fatal(err)
	}
	tab := loadTable(t)
	for kind := range specTypes {
		if _, ok := crds[kind]; !ok {
			t.Errorf("no CRD of kind %s in config/crd/bases", kind)
		}
	}
	for kind, fields := range crds {
		if _, ok := specTypes[kind]; !ok {
			t.Errorf("CRD %s: add its spec type to specTypes", kind)
			continue
		}
		var missing []string
		for _, leaf := range fields.leaves {
			if _, ok := tab.cover(kind, leaf); !ok {
				missing = append(missing, leaf)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: %d fields have no entry in %s; say what reads them:\n%s",
				kind, len(missing), tableFile, summarise(missing))
		}
	}
}

// summarise lists paths, grouping those under the same two first segments
// so that a whole new struct shows as one line.
func summarise(paths []string) string {
	groups := map[string][]string{}
	for _, p := range paths {
		segs := strings.SplitN(p, ".", 3)
		key := strings.Join(segs[:min(2, len(segs))], ".")
		groups[key] = append(groups[key], p)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if len(groups[k]) == 1 {
			fmt.Fprintf(&b, "  %s\n", groups[k][0])
		} else {
			fmt.Fprintf(&b, "  %s (%d fields under it)\n", k, len(groups[k]))
		}
	}
	return b.String()
}

// TestEveryEntryIsTrue checks each entry of fields.yaml: its field exists
// in the CRD, and the function it names exists and mentions the field by
// its Go name (the last segment of a path covering a subtree).
func TestEveryEntryIsTrue(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	crds, err := readCRDs(root)
	if err != nil {
		t.Fatal(err)
	}
	index, err := indexFuncs(root)
	if err != nil {
		t.Fatal(err)
	}
	tab := loadTable(t)
	kinds := make([]string, 0, len(tab))
	for kind := range tab {
		kinds = append(kinds, kind)
	}
	slices.Sort(kinds)
	var notRead, ignored []string
	for _, kind := range kinds {
		fields, ok := crds[kind]
		if !ok {
			t.Errorf("%s: no CRD of kind %s", tableFile, kind)
			continue
		}
		for path, reader := range tab[kind] {
			where := fmt.Sprintf("%s: %s %s", tableFile, kind, path)
			if !fields.all[path] {
				t.Errorf("%s: no such field in the CRD", where)
				continue
			}
			switch {
			case strings.HasPrefix(reader, notReadYet):
				notRead = append(notRead, kind+" "+path)
			case strings.HasPrefix(reader, noEffect):
				ignored = append(ignored, kind+" "+path)
			case strings.HasPrefix(reader, operatorIssue):
				if !operatorIssueForm.MatchString(reader) {
					t.Errorf("%s: %q is not %q", where, reader, "operator issue: <package> (<what>)")
				}
			default:
				body, err := index.lookup(reader)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				name, err := goFieldName(specTypes[kind], path)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if !body[name] {
					t.Errorf("%s: %s does not mention %s", where, reader, name)
				}
			}
		}
	}
	t.Logf("accepted and not read yet: %s", list(notRead))
	t.Logf("accepted with no effect: %s", list(ignored))
}

func list(entries []string) string {
	if len(entries) == 0 {
		return "none"
	}
	slices.Sort(entries)
	return "\n  " + strings.Join(entries, "\n  ")
}
