package compare

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestReadmeListsTheAllowances keeps the README's table of differences kept
// on purpose and Allowances the same list, so that the comparison accepts
// exactly what the README says and nothing else.
func TestReadmeListsTheAllowances(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)Differences kept on purpose, each accepted by the comparison:\n\n(\|.*?)\n\n`).FindSubmatch(readme)
	if table == nil {
		t.Fatal("README.md has no table of the differences kept on purpose")
	}
	var inReadme []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([^|]+?) \| [^|]+ \|$`).FindAllSubmatch(table[1], -1) {
		if name := string(m[1]); name != "difference" {
			inReadme = append(inReadme, name)
		}
	}
	var allowed []string
	for _, a := range Allowances {
		allowed = append(allowed, a.Name)
	}
	if !slices.Equal(inReadme, allowed) {
		t.Errorf("README.md lists %q, compare.Allowances are %q", inReadme, allowed)
	}
}
