package crdfields

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

const unservedHeader = `# Fields of Prometheus Operator's CRDs that Vigil's CRDs do not serve yet.
#
# Generated, do not edit: in hack/compat, ` + "`go test ./crdfields -update`" + ` rewrites it
# from Prometheus Operator's full CRDs (the version hack/compat/go.mod requires)
# and config/crd/bases.
#
# Each line is a path Vigil lacks whose parent Vigil has; "(+N below)" counts
# the paths under it, missing too. "[]" is an array's items, "{}" a map's
# values. A kind/version alone means Vigil serves no part of it.
# ` + "`go run ./crdfields/cmd/crdfields -full`" + ` lists every path.
`

// FormatUnserved renders the unserved fields of diffs as the checked-in list:
// a summary, then one section per version with unserved paths.
func FormatUnserved(diffs []Diff) string {
	var b strings.Builder
	b.WriteString(unservedHeader)
	b.WriteString("#\n# Unserved paths per version, of Prometheus Operator's:\n")
	width := 0
	for _, d := range diffs {
		if d.InPO {
			width = max(width, len(d.Version.String()))
		}
	}
	for _, d := range diffs {
		switch {
		case !d.InPO:
		case !d.InVigil:
			fmt.Fprintf(&b, "#   %-*s %5d of %5d  (not served)\n", width, d.Version, len(d.Unserved), d.POFields)
		default:
			fmt.Fprintf(&b, "#   %-*s %5d of %5d\n", width, d.Version, len(d.Unserved), d.POFields)
		}
	}
	for _, d := range diffs {
		if !d.InPO || len(d.Unserved) == 0 {
			continue
		}
		b.WriteString("\n")
		if !d.InVigil {
			fmt.Fprintf(&b, "## %s: not served (%d paths)\n%s\n", d.Version, d.POFields, d.Version)
			continue
		}
		trees := Subtrees(d.Unserved)
		fmt.Fprintf(&b, "## %s: %d of %d paths unserved, in %d subtrees\n",
			d.Version, len(d.Unserved), d.POFields, len(trees))
		for _, t := range trees {
			b.WriteString(subtreeLine(d.Version, t))
		}
	}
	return b.String()
}

func subtreeLine(v Version, t Subtree) string {
	if t.Below == 0 {
		return fmt.Sprintf("%s %s\n", v, t.Path)
	}
	return fmt.Sprintf("%s %s  (+%d below)\n", v, t.Path, t.Below)
}

// WriteReport prints a table of counts per version, then the extra fields and
// the type mismatches (with the reason when allow holds them), then the
// unserved fields (as subtrees, or every path when full is set).
func WriteReport(w io.Writer, diffs []Diff, allow Allowlist, full bool) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND/VERSION\tPO PATHS\tVIGIL PATHS\tUNSERVED\tEXTRA IN VIGIL\tTYPE MISMATCHES")
	var total Diff
	for _, d := range diffs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", d.Version,
			count(d.POFields, d.InPO), count(d.VigilFields, d.InVigil),
			len(d.Unserved), len(d.Extra), len(d.Mismatches))
		total.POFields += d.POFields
		total.VigilFields += d.VigilFields
		total.Unserved = append(total.Unserved, d.Unserved...)
		total.Extra = append(total.Extra, d.Extra...)
		total.Mismatches = append(total.Mismatches, d.Mismatches...)
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\n", total.POFields, total.VigilFields,
		len(total.Unserved), len(total.Extra), len(total.Mismatches))
	tw.Flush()

	section(&b, "Extra in Vigil: paths Prometheus Operator lacks", len(total.Extra))
	for _, d := range diffs {
		if !d.InPO {
			fmt.Fprintf(&b, "%s: Prometheus Operator has no such version (%d paths)%s\n",
				d.Version, d.VigilFields, allow.note(d.Version.String()))
			continue
		}
		for _, t := range Subtrees(d.Extra) {
			line := strings.TrimSuffix(subtreeLine(d.Version, t), "\n")
			fmt.Fprintf(&b, "%s%s\n", line, allow.note(d.Version.String()+" "+t.Path))
		}
	}
	section(&b, "Type mismatches", len(total.Mismatches))
	for _, d := range diffs {
		for _, m := range d.Mismatches {
			key := d.Version.String() + " " + m.Path
			fmt.Fprintf(&b, "%s: %s in Prometheus Operator, %s in Vigil%s\n", key, m.PO, m.Vigil, allow.note(key))
		}
	}
	section(&b, "Unserved: paths Vigil lacks", len(total.Unserved))
	for _, d := range diffs {
		switch {
		case full:
			for _, f := range d.Unserved {
				fmt.Fprintf(&b, "%s %s\t%s\n", d.Version, f.Path, f.Type)
			}
		case d.InPO && !d.InVigil:
			fmt.Fprintf(&b, "%s: not served (%d paths)\n", d.Version, d.POFields)
		default:
			for _, t := range Subtrees(d.Unserved) {
				b.WriteString(subtreeLine(d.Version, t))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func count(n int, served bool) string {
	if !served {
		return "-"
	}
	return fmt.Sprint(n)
}

func section(b *strings.Builder, title string, n int) {
	fmt.Fprintf(b, "\n%s: %d\n", title, n)
}
