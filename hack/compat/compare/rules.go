package compare

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/prometheus/prometheus/model/rulefmt"
	"go.yaml.in/yaml/v2"
)

// Rules compares Vigil's rule files with Prometheus Operator's, by file
// name (<namespace>-<name>-<uid>.yaml for both), each loaded with
// Prometheus's rule parser and compared group by group, rule by rule.
//
// Offline, objects have no UID: Prometheus Operator then names the file
// <namespace>-<name>-.yaml and Vigil <namespace>-<name>.yaml, the same file.
func Rules(vigil, po map[string]string) ([]Difference, error) {
	vigil, po = withoutEmptyUID(vigil), withoutEmptyUID(po)
	var diffs []Difference
	for _, name := range union(keys(vigil), keys(po)) {
		v, inV := vigil[name]
		p, inP := po[name]
		switch {
		case !inV:
			diffs = append(diffs, Difference{Job: "rule file " + name, Diff: "only Prometheus Operator writes it\n"})
		case !inP:
			diffs = append(diffs, Difference{Job: "rule file " + name, Diff: "only Vigil writes it\n"})
		default:
			vg, err := loadRules("Vigil", name, v)
			if err != nil {
				return nil, err
			}
			pg, err := loadRules("Prometheus Operator", name, p)
			if err != nil {
				return nil, err
			}
			if d := diffYAML(pg, vg); d != "" {
				diffs = append(diffs, Difference{Job: "rule file " + name, Diff: d})
			}
		}
	}
	return diffs, nil
}

// loadRules parses a rule file as Prometheus does and returns its groups
// in a form that marshals every setting.
func loadRules(side, name, content string) (any, error) {
	groups, errs := rulefmt.Parse([]byte(content), false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s's rule file %s does not load: %v", side, name, errs)
	}
	// Round-trip through YAML so that the parsed nodes compare as values.
	out, err := yaml.Marshal(groups)
	if err != nil {
		return nil, err
	}
	var v any
	return v, yaml.Unmarshal(out, &v)
}

func withoutEmptyUID(files map[string]string) map[string]string {
	out := make(map[string]string, len(files))
	for name, content := range files {
		if base, ok := strings.CutSuffix(name, "-.yaml"); ok {
			name = base + ".yaml"
		}
		out[name] = content
	}
	return out
}
