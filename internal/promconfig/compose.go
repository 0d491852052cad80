package promconfig

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// composes says whether the assembled file loads with Prometheus's parser
// (config.Load), given that each of its parts did. It replaces loading the
// whole file, which costs as much as loading every part again, with
// checks that cost nothing next to it; when they do not hold, assemble
// loads the whole file.
//
// The file is F = B + K + f1 + ... + fn + x: the base B, the line K
// "scrape_configs:", the accepted objects' jobs f1..fn and the additional
// jobs x (K only when some follow). B was loaded alone, and each part p
// (each fi, and x) was loaded as B + K + p, all by config.Load. config.Load
// of F then succeeds, because each of its steps does:
//
//  1. It parses F with yaml v2 and decodes it strictly into a
//     config.Config. If every part is a block sequence whose items start
//     at column 0 (each of its lines empty, a comment, an item's "- " or
//     indented, and its last line ended; isBlockSequence), the
//     scrape_configs sequence of F is the items of f1..fn and x in order,
//     each the same text as in its part's load; an item's end is decided
//     by the next line at column 0 or the end of the input alike. Each
//     item is decoded alone, by ScrapeConfig.UnmarshalYAML, into the same
//     value as in its part's load; strict mode's duplicate keys are per
//     mapping, and the nesting limits per item. The decoder's one check
//     over the whole document, the ratio of nodes reached through aliases
//     ("excessive aliasing"), cannot fire when F has no alias; Vigil's
//     types never make one, and hasAlias checks the user's YAML in B and x.
//  2. Config.UnmarshalYAML reads the global settings from B, as in every
//     part's load; checks each scrape config with ScrapeConfig.Validate and
//     those settings, as in its part's load; and refuses two jobs of one
//     name, which composes checks on the names the parser read in the
//     parts' loads. Its other checks (rule files, alerting, remote write
//     and read) are B's, passed in every load.
//  3. Load then expands B's external labels and checks B's OTLP settings,
//     as in every load.
//
// TestComposesAgreesWithLoad compares composes with config.Load of the
// whole file on random files, valid and not.
func composes(base []byte, parts []fragment, extra *fragment, aliasFree bool) bool {
	if !aliasFree || len(base) == 0 || base[len(base)-1] != '\n' {
		return false
	}
	n := 0
	for _, p := range parts {
		n += len(p.names)
	}
	names := make(map[string]struct{}, n)
	distinct := func(f *fragment) bool {
		if f.err != nil || !f.blockSequence {
			return false
		}
		for _, name := range f.names {
			if _, taken := names[name]; taken {
				return false
			}
			names[name] = struct{}{}
		}
		return true
	}
	for i := range parts {
		if !distinct(&parts[i]) {
			return false
		}
	}
	return extra == nil || distinct(extra)
}

// isBlockSequence says whether the YAML b is a block sequence whose items
// start at column 0 with "- ", and whose other lines are empty, comments
// or indented, the last one ended.
func isBlockSequence(b []byte) bool {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return false
	}
	item := false
	for line := range bytes.Lines(b) {
		switch {
		case line[0] == '\n', line[0] == '#':
		case bytes.HasPrefix(line, []byte("- ")):
			item = true
		case line[0] == ' ' && item:
		default:
			return false
		}
	}
	return item
}

// hasAlias says whether any of the user's YAML nodes is an alias.
func hasAlias(nodes ...*yaml.Node) bool {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		if n.Kind == yaml.AliasNode || hasAlias(n.Content...) {
			return true
		}
	}
	return false
}

// userNodes are the YAML nodes of the Prometheus object's additional
// settings that cfg and extra hold, written as the user gave them.
func userNodes(cfg *Config, extra []yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	if a := cfg.Alerting; a != nil {
		for _, list := range [][]any{a.AlertRelabelConfigs, a.Alertmanagers} {
			for _, v := range list {
				if n, ok := v.(*yaml.Node); ok {
					out = append(out, n)
				}
			}
		}
	}
	for i := range extra {
		out = append(out, &extra[i])
	}
	return out
}
